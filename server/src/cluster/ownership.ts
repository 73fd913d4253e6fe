/**
 * Which process owns each session: a lease in Redis (`SET NX PX`, renewed), taken by the first
 * process that needs a session nobody owns. The owner alone loads the session's boards and session
 * document as their writer; the store's fencing numbers (claimed when a board loads) make sure a
 * former owner that lost its lease while paused can store nothing after the new one has begun.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { aliveKey, LEASE_MS, ownerKey, RENEW_EVERY_MS } from './keys.js';

/** Renews a lease only if it is still this process's: the answer is 1, or 0 if it is not. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** Lets a lease go only if it is still this process's (a clean stop). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** How long another process's ownership is believed without asking again. */
const KNOWN_OWNER_MS = 500;

export class Ownership {
  readonly processId = randomUUID();
  /** Sessions this process owns. */
  private readonly owned = new Set<string>();
  /** Other processes' sessions, as last read, and until when that is believed. */
  private readonly others = new Map<string, { owner: string; until: number }>();
  private readonly timer: NodeJS.Timeout;
  private readonly lostListeners = new Set<(sessionId: string) => void>();

  constructor(
    private readonly redis: Redis,
    private readonly log: FastifyBaseLogger,
  ) {
    this.timer = setInterval(() => void this.renew(), RENEW_EVERY_MS);
    this.timer.unref();
    void this.renew();
  }

  /**
   * Called when this process finds it no longer owns a session (another process took it over), or
   * that its lease lapsed (a pause, Redis away) before it took it again: either way, what it holds
   * of the session may be older than the store.
   */
  onLost(listener: (sessionId: string) => void): void {
    this.lostListeners.add(listener);
  }

  /** Whether this process owns the session now (without asking Redis). */
  ownsNow(sessionId: string): boolean {
    return this.owned.has(sessionId);
  }

  /**
   * The id of the process that owns the session, taking it if nobody does. Throws if Redis cannot
   * answer: then nobody can take a session over, and only its current owner goes on serving it.
   */
  async ownerOf(sessionId: string): Promise<string> {
    if (this.owned.has(sessionId)) return this.processId;
    const known = this.others.get(sessionId);
    if (known && known.until > Date.now()) return known.owner;
    for (;;) {
      const taken = await this.redis.set(ownerKey(sessionId), this.processId, 'PX', LEASE_MS, 'NX');
      if (taken === 'OK') {
        this.owned.add(sessionId);
        this.others.delete(sessionId);
        return this.processId;
      }
      const owner = await this.redis.get(ownerKey(sessionId));
      // Expired between the two calls: try to take it again.
      if (owner === null) continue;
      this.others.set(sessionId, { owner, until: Date.now() + KNOWN_OWNER_MS });
      return owner;
    }
  }

  /** Which of the processes still run (all of them while Redis cannot say). */
  async running(processIds: string[]): Promise<Set<string>> {
    try {
      const found = await this.redis.mget(...processIds.map(aliveKey));
      return new Set(processIds.filter((_, index) => found[index] !== null));
    } catch {
      return new Set(processIds);
    }
  }

  /** Forgets what was read of another process's session (it did not answer, or no longer owns it). */
  forget(sessionId: string): void {
    this.others.delete(sessionId);
  }

  /** Lets every lease go (a clean stop): the next process that needs a session takes it at once. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    const sessions = [...this.owned];
    this.owned.clear();
    await Promise.allSettled([
      this.redis.del(aliveKey(this.processId)),
      ...sessions.map((sessionId) => this.redis.eval(RELEASE, 1, ownerKey(sessionId), this.processId)),
    ]);
  }

  /**
   * Renews every lease. While Redis does not answer the owner goes on (nobody can take a session
   * over meanwhile); a lease that expired during the outage is taken again if nobody else has, and
   * a session someone else now owns is let go.
   */
  private async renew(): Promise<void> {
    const now = Date.now();
    for (const [sessionId, known] of this.others) if (known.until < now) this.others.delete(sessionId);
    const sessions = [...this.owned];
    const batch = this.redis.pipeline();
    for (const sessionId of sessions) batch.eval(RENEW, 1, ownerKey(sessionId), this.processId, LEASE_MS);
    batch.set(aliveKey(this.processId), '1', 'PX', LEASE_MS);
    let answers: Array<[Error | null, unknown]> | null;
    try {
      answers = await batch.exec();
    } catch (error) {
      this.log.warn({ err: error }, 'could not renew the session leases (Redis)');
      return;
    }
    await Promise.all(
      sessions.map(async (sessionId, index) => {
        const [error, renewed] = answers?.[index] ?? [null, 0];
        if (error || renewed === 1 || !this.owned.has(sessionId)) return;
        let taken: string | null;
        try {
          taken = await this.redis.set(ownerKey(sessionId), this.processId, 'PX', LEASE_MS, 'NX');
        } catch {
          return;
        }
        // Taken again after it lapsed: another process may have owned the session meanwhile and
        // changed it, so what this one holds of it is let go as well, and read again when needed.
        if (taken === 'OK') this.log.warn({ sessionId }, 'this process took a lapsed session again');
        else {
          this.owned.delete(sessionId);
          this.log.warn({ sessionId }, 'another process owns this session now');
        }
        for (const listener of this.lostListeners) listener(sessionId);
      }),
    );
  }
}
