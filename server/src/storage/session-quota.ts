/**
 * The storage one session may take (its boards' logs, intents and private rows, each distinct state
 * of its boards and snapshots, its people): checked before each write that makes a session bigger.
 * The store measures it (a handful of indexed sums); a session's measure is reused for a few
 * seconds, so a busy board pays one measure per interval, and a session may pass its quota by
 * what its people can write in that time (a few kB each, within their intent rate).
 */
import type { Store } from './store.js';

const REMEASURE_MS = 1_000;
/** Sessions measured and kept before the stale measures are let go. */
const MEASURES_BEFORE_SWEEP = 1000;

/** A write refused because the session is full: `507 {error}` on HTTP, `session-full` on the control plane. */
export class SessionFullError extends Error {
  readonly statusCode = 507;
  /** Its message is the reply (errors.ts). */
  readonly expose = true;
  readonly replyCode = 'session-full';
}

export class SessionQuota {
  private readonly measures = new Map<string, { bytes: number; at: number }>();

  constructor(
    private readonly store: Store,
    readonly maxBytes: number,
  ) {}

  /** Why the session may store nothing more, or null while it is under its quota. */
  async refusal(sessionId: string): Promise<string | null> {
    const bytes = await this.storedBytes(sessionId);
    if (bytes < this.maxBytes) return null;
    const mb = (value: number) => Number((value / 1024 / 1024).toFixed(1));
    return `This session has used the ${mb(this.maxBytes)} MB of storage a session may use: nothing more can be saved in it. Its boards can still be read and exported.`;
  }

  /** Throws SessionFullError when the session is at its quota. */
  async require(sessionId: string): Promise<void> {
    const refusal = await this.refusal(sessionId);
    if (refusal) throw new SessionFullError(refusal);
  }

  /**
   * Runs `store`, a write that makes the session grow by a large step (a snapshot, a board), if the
   * session is under its quota (SessionFullError otherwise); its next check measures it afresh.
   */
  async growing<T>(sessionId: string, store: () => Promise<T>): Promise<T> {
    await this.require(sessionId);
    try {
      return await store();
    } finally {
      this.measures.delete(sessionId);
    }
  }

  private async storedBytes(sessionId: string): Promise<number> {
    const now = Date.now();
    const known = this.measures.get(sessionId);
    if (known && now - known.at < REMEASURE_MS) return known.bytes;
    const bytes = await this.store.sessionStoredBytes(sessionId);
    if (this.measures.size >= MEASURES_BEFORE_SWEEP) {
      for (const [id, measure] of this.measures)
        if (now - measure.at >= REMEASURE_MS) this.measures.delete(id);
    }
    this.measures.set(sessionId, { bytes, at: now });
    return bytes;
  }
}
