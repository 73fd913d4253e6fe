import { describe, expect, it, vi } from 'vitest';
import { throttlePerKey } from './throttle-per-key.js';

describe('throttlePerKey', () => {
  it('runs the first call at once, folds a burst into one run at the end of the window, per key', async () => {
    vi.useFakeTimers();
    const runs: string[] = [];
    const announce = throttlePerKey(
      1000,
      async (key) => void runs.push(key),
      () => {},
    );
    announce('a');
    announce('a');
    announce('a');
    announce('b');
    expect(runs).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toEqual(['a', 'b', 'a']);
    // The trailing run opened a new window; a quiet window ends without running again.
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toEqual(['a', 'b', 'a']);
    announce('a');
    expect(runs).toEqual(['a', 'b', 'a', 'a']);
    vi.useRealTimers();
  });

  it('reports a failed run and keeps going', async () => {
    vi.useFakeTimers();
    const errors: string[] = [];
    let calls = 0;
    const announce = throttlePerKey(
      10,
      async () => {
        calls++;
        throw new Error('store closed');
      },
      (error, key) => errors.push(`${key}: ${(error as Error).message}`),
    );
    announce('s');
    await vi.advanceTimersByTimeAsync(10);
    announce('s');
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toBe(2);
    expect(errors).toEqual(['s: store closed', 's: store closed']);
    vi.useRealTimers();
  });
});
