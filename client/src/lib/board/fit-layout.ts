/**
 * The largest scale at which a whole board fits a screen, laid out with as many columns as the
 * screen's width allows at that scale (a wide window gets more columns, not smaller cards). At
 * the smallest scale allowed the board may still be taller than the screen: it then scrolls.
 * The canvas fits with it (its "Illesztés"), the projector always.
 */
import {
  type BoardLayout,
  type LayoutContent,
  type LayoutStyle,
  type Localized,
  layoutBoard,
} from '@kaptar/board';

export interface FittedLayout {
  layout: BoardLayout;
  scale: number;
  /** The width the layout was made for (its `width` option): kept while someone zooms. */
  width: number;
  /** Whether the board is taller than the screen at that scale. */
  overflows: boolean;
}

/** Scales tried between the largest and the smallest, largest first. */
const STEPS = 12;

export function fitLayout(
  content: LayoutContent,
  style: LayoutStyle,
  screen: { width: number; height: number },
  scales: { min: number; max: number },
  locale: keyof Localized,
): FittedLayout {
  const at = (scale: number) => {
    const width = screen.width / scale;
    return { layout: layoutBoard(content, style, { locale, width }), scale, width };
  };
  for (let step = 0; step <= STEPS; step++) {
    const fitted = at(scales.max - ((scales.max - scales.min) * step) / STEPS);
    const { layout, scale } = fitted;
    if (layout.width * scale <= screen.width && layout.height * scale <= screen.height) {
      return { ...fitted, overflows: false };
    }
  }
  return { ...at(scales.min), overflows: true };
}
