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

  /** Takes `amount` tokens (one message, or a message's bytes); false, taking none, when the budget lacks them. */
  take(now: number = Date.now(), amount = 1): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }
}

/** Budgets kept in a map beyond which the full ones are let go (a full budget is the same as a new one). */
const BUCKETS_BEFORE_SWEEP = 1000;

/** One budget per key (a person on a board, a link), made when first used; the map holds only who is active. */
export class BucketsByKey {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  of(key: string): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= BUCKETS_BEFORE_SWEEP) {
        for (const [other, old] of this.buckets) if (old.isFull()) this.buckets.delete(other);
      }
      bucket = new TokenBucket(this.perSecond, this.burst);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
