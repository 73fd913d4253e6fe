/**
 * Pointer gestures on the canvas, delegated from one element: drag a card or a group (by its
 * handle), or grab the empty board to pan it. One listener for the whole board instead of one
 * per card; while a gesture runs, pointer moves only note the position and one
 * requestAnimationFrame callback applies it (a transform on the dragged element, or the scroll
 * offset), so a frame costs the same however many moves the mouse sent.
 *
 * Markup: draggable elements carry `data-drag="card"` or `data-drag="group"` with
 * `data-drag-id`; a group is dragged by its `[data-drag-handle]`.
 */
import type { Action } from 'svelte/action';

export interface Drop {
  kind: 'card' | 'group';
  id: string;
  /** The dragged element, still translated to where it was let go. */
  element: HTMLElement;
  clientX: number;
  clientY: number;
}

export interface DragOptions {
  /** The canvas's zoom: screen pixels per board unit. */
  scale: number;
  ondrop(drop: Drop): void;
}

/** Moves shorter than this stay clicks (a tap on a card's button must not move the card). */
const THRESHOLD = 3;
/**
 * Pressing these never starts a drag: they have their own use for the pointer. Except those marked
 * `data-drag-through` (a card's cut text, a button that is most of the card): a press there that
 * moves drags the card, and only a tap is a click.
 */
const INTERACTIVE = 'button, textarea, a, summary, select, input, label';

interface Gesture {
  pointerId: number;
  startX: number;
  startY: number;
  x: number;
  y: number;
  started: boolean;
  /** What to move: an element, or (null) the board itself. */
  element: HTMLElement | null;
  scrollLeft: number;
  scrollTop: number;
}

function grabbed(target: EventTarget | null, viewport: HTMLElement): HTMLElement | null | undefined {
  if (!(target instanceof Element)) return undefined;
  const control = target.closest(INTERACTIVE);
  if (control && !control.hasAttribute('data-drag-through')) return undefined;
  const item = target.closest<HTMLElement>('[data-drag]');
  if (item && viewport.contains(item)) {
    if (item.dataset.drag === 'group' && !target.closest('[data-drag-handle]')) return undefined;
    return item;
  }
  // Only the bare board pans; text outside cards (area titles, hints) pans too.
  return target.closest('[data-drop-card], [data-drop-group]') ? undefined : null;
}

const swallow = (click: Event) => click.stopPropagation();

/** How near an edge (px) a dragged card makes the board scroll, and the fastest step (px a frame). */
const EDGE = 48;
const MAX_STEP = 18;

/** The scroll step for a pointer at (x, y) over `box`: faster the nearer the edge, 0 away from it. */
export function edgeScroll(box: Pick<DOMRect, 'left' | 'top' | 'right' | 'bottom'>, x: number, y: number) {
  const along = (at: number, start: number, end: number) => {
    if (at < start + EDGE) return -Math.ceil((MAX_STEP * (start + EDGE - Math.max(at, start))) / EDGE);
    if (at > end - EDGE) return Math.ceil((MAX_STEP * (Math.min(at, end) - (end - EDGE))) / EDGE);
    return 0;
  };
  return { x: along(x, box.left, box.right), y: along(y, box.top, box.bottom) };
}

/** Whether the press is on the viewport's own scrollbar, which scrolls by itself. */
function onScrollbar(event: PointerEvent, viewport: HTMLElement): boolean {
  return (
    event.target === viewport &&
    (event.offsetX > viewport.clientWidth || event.offsetY > viewport.clientHeight)
  );
}

export const canvasDrag: Action<HTMLElement, DragOptions> = (viewport, initial) => {
  let options = initial;
  let gesture: Gesture | null = null;
  let frame = 0;

  const apply = () => {
    frame = 0;
    if (!gesture?.started) return;
    const dx = gesture.x - gesture.startX;
    const dy = gesture.y - gesture.startY;
    if (!gesture.element) {
      viewport.scrollTo(gesture.scrollLeft - dx, gesture.scrollTop - dy);
      return;
    }
    // Held near an edge, the board scrolls under the card: a card goes onto one off-screen.
    const step = edgeScroll(viewport.getBoundingClientRect(), gesture.x, gesture.y);
    if (step.x !== 0 || step.y !== 0) {
      viewport.scrollBy(step.x, step.y);
      frame = requestAnimationFrame(apply);
    }
    // The element is inside the scaled board, and the board may have scrolled since the press:
    // in board units, it stays under the pointer.
    const { scale } = options;
    const x = (dx + viewport.scrollLeft - gesture.scrollLeft) / scale;
    const y = (dy + viewport.scrollTop - gesture.scrollTop) / scale;
    gesture.element.style.transform = `translate(${x}px, ${y}px)`;
  };

  const move = (event: PointerEvent) => {
    if (!gesture || event.pointerId !== gesture.pointerId) return;
    gesture.x = event.clientX;
    gesture.y = event.clientY;
    if (!gesture.started) {
      if (Math.hypot(gesture.x - gesture.startX, gesture.y - gesture.startY) < THRESHOLD) return;
      gesture.started = true;
      gesture.element?.classList.add('dragging');
      viewport.classList.add(gesture.element ? 'dragging-item' : 'panning');
    }
    event.preventDefault();
    frame ||= requestAnimationFrame(apply);
  };

  const end = (event: PointerEvent) => {
    if (!gesture || event.pointerId !== gesture.pointerId) return;
    const { element, started } = gesture;
    gesture.x = event.clientX;
    gesture.y = event.clientY;
    // The last moves may not have been drawn yet: put the element where the pointer let go.
    cancelAnimationFrame(frame);
    apply();
    gesture = null;
    stopListening();
    viewport.classList.remove('dragging-item', 'panning');
    if (!started) return;
    // The click that ends a drag is not a click on whatever lies under the pointer. It comes in
    // the same task as the pointerup, if at all: a later click is the person's own.
    addEventListener('click', swallow, { capture: true, once: true });
    setTimeout(() => removeEventListener('click', swallow, true));
    if (!element || event.type === 'pointercancel') {
      element?.style.removeProperty('transform');
      element?.classList.remove('dragging');
      return;
    }
    const { drag, dragId } = element.dataset;
    if ((drag === 'card' || drag === 'group') && dragId) {
      options.ondrop({
        kind: drag,
        id: dragId,
        element,
        clientX: event.clientX,
        clientY: event.clientY,
      });
    }
    // The drop has changed the board (Svelte draws it before the next paint) or was refused:
    // either way the element goes back to the place the board gives it.
    element.style.removeProperty('transform');
    element.classList.remove('dragging');
  };

  const stopListening = () => {
    removeEventListener('pointermove', move);
    removeEventListener('pointerup', end);
    removeEventListener('pointercancel', end);
  };

  const down = (event: PointerEvent) => {
    if (gesture || event.button !== 0 || !event.isPrimary || onScrollbar(event, viewport)) return;
    const element = grabbed(event.target, viewport);
    if (element === undefined) return;
    // Touch on the bare board scrolls natively; only mouse and pen pan by grabbing.
    if (element === null && event.pointerType === 'touch') return;
    gesture = {
      pointerId: event.pointerId,
      startX: event.clientX,
      startY: event.clientY,
      x: event.clientX,
      y: event.clientY,
      started: false,
      element,
      scrollLeft: viewport.scrollLeft,
      scrollTop: viewport.scrollTop,
    };
    addEventListener('pointermove', move);
    addEventListener('pointerup', end);
    addEventListener('pointercancel', end);
  };

  viewport.addEventListener('pointerdown', down);
  return {
    update(next) {
      options = next;
    },
    destroy() {
      viewport.removeEventListener('pointerdown', down);
      stopListening();
      cancelAnimationFrame(frame);
    },
  };
};
