/**
 * How the projector draws a board: the largest scale at which the whole board fits the screen,
 * laid out with as many columns as that width allows; never below MIN_PROJECTOR_SCALE (card
 * text at 18 px or more), and then the board is taller than the screen and scrolls by itself.
 */
import {
  type BoardLayout,
  type LayoutContent,
  type Localized,
  layoutBoard,
  MIN_PROJECTOR_SCALE,
  PROJECTOR_STYLE,
} from '@kaptar/board';

/** Larger than this, a board of three cards would be a wall of letters. */
const MAX_PROJECTOR_SCALE = 1.6;
const STEPS = 12;

export interface ProjectorFit {
  layout: BoardLayout;
  scale: number;
  /** Whether the board is taller than the screen at that scale (it then scrolls). */
  overflows: boolean;
}

export function fitProjector(
  content: LayoutContent,
  width: number,
  height: number,
  locale: keyof Localized,
): ProjectorFit {
  const at = (scale: number) => layoutBoard(content, PROJECTOR_STYLE, { locale, width: width / scale });
  for (let step = 0; step <= STEPS; step++) {
    const scale = MAX_PROJECTOR_SCALE - ((MAX_PROJECTOR_SCALE - MIN_PROJECTOR_SCALE) * step) / STEPS;
    const layout = at(scale);
    if (layout.width * scale <= width && layout.height * scale <= height)
      return { layout, scale, overflows: false };
  }
  const layout = at(MIN_PROJECTOR_SCALE);
  return { layout, scale: MIN_PROJECTOR_SCALE, overflows: true };
}
