/**
 * What lies under the pointer when a dragged card or group is let go: another card (to group
 * with), a group frame (to join), or an area of the board (to move to). The dragged element
 * itself is skipped. Elements mark themselves with data-drop-card / data-drop-group /
 * data-drop-area.
 */
export type DropTarget = { card: string } | { group: string } | { area: string } | null;

export function dropTargetAt(x: number, y: number, dragged: Element): DropTarget {
  for (const element of document.elementsFromPoint(x, y)) {
    if (dragged.contains(element)) continue;
    const card = element.closest<HTMLElement>('[data-drop-card]');
    if (card?.dataset.dropCard && !dragged.contains(card)) return { card: card.dataset.dropCard };
    const group = element.closest<HTMLElement>('[data-drop-group]');
    if (group?.dataset.dropGroup && !dragged.contains(group)) return { group: group.dataset.dropGroup };
    const area = element.closest<HTMLElement>('[data-drop-area]');
    if (area?.dataset.dropArea !== undefined) return { area: area.dataset.dropArea };
  }
  return null;
}

/** The area under the pointer, through whatever card or group lies over it (a group is dropped into areas only). */
export function dropAreaAt(x: number, y: number, dragged: Element): string | null {
  for (const element of document.elementsFromPoint(x, y)) {
    if (dragged.contains(element)) continue;
    const area = element.closest<HTMLElement>('[data-drop-area]');
    if (area?.dataset.dropArea !== undefined) return area.dataset.dropArea;
  }
  return null;
}
