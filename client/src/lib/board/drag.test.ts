import { describe, expect, it } from 'vitest';
import { edgeScroll } from './drag.js';

const box = { left: 100, top: 50, right: 1100, bottom: 850 };

describe('edgeScroll', () => {
  it('scrolls towards the edge a dragged card is held at, faster the nearer it is, and not elsewhere', () => {
    expect(edgeScroll(box, 600, 450)).toEqual({ x: 0, y: 0 });
    const near = edgeScroll(box, 600, 830);
    const nearer = edgeScroll(box, 600, 848);
    expect(near.y).toBeGreaterThan(0);
    expect(nearer.y).toBeGreaterThan(near.y);
    expect(edgeScroll(box, 110, 450).x).toBeLessThan(0);
    expect(edgeScroll(box, 600, 60).y).toBeLessThan(0);
    // Past the edge (the pointer left the board while dragging): no faster than at the edge.
    expect(edgeScroll(box, 600, 2000)).toEqual(edgeScroll(box, 600, 850));
  });
});
