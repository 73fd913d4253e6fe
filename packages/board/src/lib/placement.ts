/**
 * Where a new card lands when its author did not drop it somewhere (phones,
 * the add buttons): problems fill the left half of the board, resources the
 * right half, row by row, so a projector shows the two lists side by side.
 */
import { type BoardTarget, modelOf } from './model.js';
import { CARD_KINDS, type CardKind } from './schema.js';

/**
 * A card's slot. Canvas cards clamp their text to fit it (CardContent.svelte): three lines above a
 * row of 44-48 px buttons, with the author and settlement on two lines, come to about 215 px.
 */
export const CARD_SIZE = { width: 200, height: 220 } as const;
const GAP = 24;
const COLUMNS_PER_KIND = 3;
const MARGIN = 40;
/** Rows start below the area titles and hints of the templates. */
const FIRST_ROW_Y = 110;

/** Width of one kind's area; views draw the area headings from these figures. */
export const KIND_AREA_WIDTH = COLUMNS_PER_KIND * (CARD_SIZE.width + GAP);

/** Left edge of the area where cards of `kind` are placed. */
export function kindAreaX(kind: CardKind): number {
  return kind === 'problem' ? MARGIN : 2 * MARGIN + KIND_AREA_WIDTH;
}

/** The first free slot in the kind's area, scanning row by row. */
export function suggestCardPosition(board: BoardTarget, kind: CardKind): { x: number; y: number } {
  return placeCards(modelOf(board).cards(), [kind])[0] as { x: number; y: number };
}

/**
 * Free slots for several new cards at once (the drafts of a silent collect, revealed together),
 * in one pass: each kind's area is scanned once, slot by slot, past the slots that cards already
 * on the board cover. Placing 1,000 cards one by one rescanned the board for each.
 */
export function placeCards(
  existing: readonly { x: number; y: number }[],
  kinds: readonly CardKind[],
): Array<{ x: number; y: number }> {
  const covered = new Set<string>();
  for (const card of existing) for (const kind of CARD_KINDS) coverSlots(covered, kind, card);
  const next = new Map<CardKind, number>();
  return kinds.map((kind) => {
    let slot = next.get(kind) ?? 0;
    while (covered.has(`${kind}:${slot}`)) slot++;
    next.set(kind, slot + 1);
    return slotPosition(kind, slot);
  });
}

const STEP_X = CARD_SIZE.width + GAP;
const STEP_Y = CARD_SIZE.height + GAP;

function slotPosition(kind: CardKind, slot: number): { x: number; y: number } {
  // Inset from the area's border.
  return {
    x: kindAreaX(kind) + 12 + (slot % COLUMNS_PER_KIND) * STEP_X,
    y: FIRST_ROW_Y + Math.floor(slot / COLUMNS_PER_KIND) * STEP_Y,
  };
}

/** Marks the slots of `kind`'s area that a card at `pos` overlaps. */
function coverSlots(covered: Set<string>, kind: CardKind, pos: { x: number; y: number }): void {
  const left = kindAreaX(kind) + 12;
  // Slot columns c and rows r with |slotX - x| < width and |slotY - y| < height.
  const firstColumn = Math.max(0, Math.floor((pos.x - CARD_SIZE.width - left) / STEP_X) + 1);
  const lastColumn = Math.min(COLUMNS_PER_KIND - 1, Math.ceil((pos.x + CARD_SIZE.width - left) / STEP_X) - 1);
  const firstRow = Math.max(0, Math.floor((pos.y - CARD_SIZE.height - FIRST_ROW_Y) / STEP_Y) + 1);
  const lastRow = Math.ceil((pos.y + CARD_SIZE.height - FIRST_ROW_Y) / STEP_Y) - 1;
  for (let row = firstRow; row <= lastRow; row++) {
    for (let column = firstColumn; column <= lastColumn; column++) {
      const slot = slotPosition(kind, row * COLUMNS_PER_KIND + column);
      if (Math.abs(slot.x - pos.x) < CARD_SIZE.width && Math.abs(slot.y - pos.y) < CARD_SIZE.height) {
        covered.add(`${kind}:${row * COLUMNS_PER_KIND + column}`);
      }
    }
  }
}
