/**
 * A board taller than the projector's screen scrolls by itself, down and back up, pausing at
 * each end, so every card comes by without anyone touching the projector. With reduced motion
 * asked for, it turns pages instead of gliding.
 */
import type { Action } from 'svelte/action';

const PIXELS_PER_SECOND = 40;
const PAUSE_MS = 6000;
const PAGE_MS = 12000;

export const autoScroll: Action<HTMLElement, boolean> = (element, initial) => {
  let enabled = initial;
  let direction = 1;
  let pausedUntil = performance.now() + PAUSE_MS;
  let last = performance.now();
  let frame = 0;
  const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;

  const step = (now: number) => {
    frame = requestAnimationFrame(step);
    const elapsed = now - last;
    last = now;
    const room = element.scrollHeight - element.clientHeight;
    if (!enabled || room <= 0 || now < pausedUntil) return;
    if (reduced) {
      const next = element.scrollTop + direction * element.clientHeight * 0.9;
      element.scrollTop = Math.min(room, Math.max(0, next));
      pausedUntil = now + PAGE_MS;
    } else {
      element.scrollTop = Math.min(
        room,
        Math.max(0, element.scrollTop + (direction * PIXELS_PER_SECOND * elapsed) / 1000),
      );
    }
    const atEnd = direction > 0 ? element.scrollTop >= room - 1 : element.scrollTop <= 0;
    if (atEnd) {
      direction = -direction;
      pausedUntil = now + PAUSE_MS;
    }
  };
  frame = requestAnimationFrame(step);
  return {
    update(next) {
      enabled = next;
    },
    destroy() {
      cancelAnimationFrame(frame);
    },
  };
};
