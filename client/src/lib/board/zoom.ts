/** The canvas's zoom: how small a board may be drawn to fit, how large to read a card up close. */
import type { BoardLayout } from '@kaptar/board';

export const MIN_ZOOM = 0.25;
export const MAX_ZOOM = 2;
/** One press of "+" or "−". */
export const ZOOM_STEP = 1.25;

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/** The zoom that shows the whole board in the window; never above 1 (a small board stays as it is). */
export function fitZoom(
  layout: Pick<BoardLayout, 'width' | 'height'>,
  width: number,
  height: number,
): number {
  if (width <= 0 || height <= 0) return 1;
  return clampZoom(Math.min(1, width / layout.width, height / layout.height));
}
