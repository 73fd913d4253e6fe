/**
 * What lies under the pointer when a dragged card is let go: another card
 * (to group with) or a group frame (to join). The dragged element itself is
 * skipped. Elements mark themselves with data-drop-card / data-drop-group.
 */
export type DropTarget = { card: string } | { group: string } | null;

export function dropTargetAt(x: number, y: number, dragged: Element): DropTarget {
  for (const element of document.elementsFromPoint(x, y)) {
    if (dragged.contains(element)) continue;
    const card = element.closest<HTMLElement>('[data-drop-card]');
    if (card?.dataset.dropCard && !dragged.contains(card)) return { card: card.dataset.dropCard };
    const group = element.closest<HTMLElement>('[data-drop-group]');
    if (group?.dataset.dropGroup) return { group: group.dataset.dropGroup };
  }
  return null;
}
