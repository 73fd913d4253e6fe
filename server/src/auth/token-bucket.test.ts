import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the given rate', () => {
    const bucket = new TokenBucket(10, 3);
    const start = Date.now();
    expect([1, 2, 3, 4].map(() => bucket.take(start))).toEqual([true, true, true, false]);
    expect(bucket.take(start + 50)).toBe(false);
    expect(bucket.take(start + 100)).toBe(true);
    expect(bucket.take(start + 10_000)).toBe(true);
  });

  it('says when it has refilled completely', () => {
    const bucket = new TokenBucket(10, 3);
    const start = Date.now();
    expect(bucket.isFull(start)).toBe(true);
    bucket.take(start);
    expect(bucket.isFull(start + 50)).toBe(false);
    expect(bucket.isFull(start + 100)).toBe(true);
  });
});
