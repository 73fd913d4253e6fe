/**
 * Where a new card lands when its author did not drop it somewhere (phones,
 * the add buttons): problems fill the left half of the board, resources the
 * right half, row by row, so a projector shows the two lists side by side.
 */
import { type BoardTarget, modelOf } from './model.js';
import type { CardKind } from './schema.js';

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
  const taken = modelOf(board)
    .cards()
    .map((card) => ({ x: card.x, y: card.y }));
  const originX = kindAreaX(kind);
  for (let slot = 0; ; slot++) {
    // Inset from the area's border.
    const x = originX + 12 + (slot % COLUMNS_PER_KIND) * (CARD_SIZE.width + GAP);
    const y = FIRST_ROW_Y + Math.floor(slot / COLUMNS_PER_KIND) * (CARD_SIZE.height + GAP);
    const overlaps = taken.some(
      (pos) => Math.abs(pos.x - x) < CARD_SIZE.width && Math.abs(pos.y - y) < CARD_SIZE.height,
    );
    if (!overlaps) return { x, y };
  }
}
