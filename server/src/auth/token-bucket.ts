/**
 * A per-connection message budget: `burst` messages at once, refilled at
 * `perSecond`. Synchronous on purpose: a Yjs connection's messages must be
 * handled in order, so the check cannot wait on a promise.
 */
export class TokenBucket {
  private tokens: number;
  private last = Date.now();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  /** Whether the budget has refilled completely (nothing spent that is not back). */
  isFull(now: number = Date.now()): boolean {
    return this.tokens + ((now - this.last) / 1000) * this.perSecond >= this.burst;
  }

  /** Takes one token; false when the budget is spent. */
  take(now: number = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
