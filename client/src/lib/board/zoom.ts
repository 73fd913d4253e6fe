/** The canvas's zoom: how small a board may be drawn, how large to read a card up close. */

export const MIN_ZOOM = 0.25;
export const MAX_ZOOM = 2;
/** One press of "+" or "−". */
export const ZOOM_STEP = 1.25;
/**
 * Fitting to the window never enlarges a small board, and stops where card text is still
 * legible on a laptop (about 6 px): a larger board then scrolls.
 */
export const FIT_ZOOM = { min: 0.4, max: 1 } as const;

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}
