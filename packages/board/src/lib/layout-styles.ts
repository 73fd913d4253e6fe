/**
 * The sizes each view draws a board at: the layout (layout.ts) counts lines and heights from
 * them, and the views set their fonts and boxes from the same figures, so what is drawn is what
 * was laid out.
 */
import type { LayoutStyle } from './layout.js';

/**
 * The desktop canvas: every card one slot tall, its text clamped to the lines its buttons leave
 * (CardContent.svelte: three lines above a row of 44-48 px buttons, the author on two lines).
 */
export const CANVAS_STYLE: LayoutStyle = {
  card: {
    width: 200,
    inset: 34,
    text: { size: 15, lineHeight: 20 },
    chrome: 120,
    label: 0,
    minLines: 5,
    maxLines: 5,
  },
  group: { padding: 12, title: { size: 16, lineHeight: 22 }, minHeader: 22, tools: 44 },
  area: { padding: 12, title: { size: 18, lineHeight: 24 }, hint: { size: 14, lineHeight: 20 } },
  gap: 16,
};

/**
 * The projector, read from the back of a village hall: no buttons, large type (drawn at no less
 * than 18 px on a 1920x1080 screen: ProjectorBoard.svelte scales by at least MIN_PROJECTOR_SCALE).
 */
export const PROJECTOR_STYLE: LayoutStyle = {
  card: {
    width: 280,
    inset: 34,
    text: { size: 24, lineHeight: 30 },
    chrome: 70,
    label: 20,
    minLines: 1,
    maxLines: 6,
  },
  group: { padding: 12, title: { size: 22, lineHeight: 28 }, minHeader: 28, tools: 0 },
  area: { padding: 14, title: { size: 28, lineHeight: 34 }, hint: { size: 18, lineHeight: 24 } },
  gap: 16,
};

/** The smallest scale the projector draws at: its card text stays at 18 px or more. */
export const MIN_PROJECTOR_SCALE = 18 / PROJECTOR_STYLE.card.text.size;

/** The exported picture (SVG, PNG, the report): every card's whole text. */
export const PICTURE_STYLE: LayoutStyle = {
  card: {
    width: 200,
    inset: 24,
    text: { size: 14, lineHeight: 18 },
    chrome: 46,
    label: 0,
    minLines: 1,
    maxLines: 20,
  },
  group: { padding: 12, title: { size: 15, lineHeight: 20 }, minHeader: 20, tools: 0 },
  area: { padding: 12, title: { size: 20, lineHeight: 26 }, hint: { size: 14, lineHeight: 18 } },
  gap: 16,
};
