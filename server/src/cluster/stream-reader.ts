/**
 * Reads Redis Streams as entries arrive, on one connection of its own (XREAD blocks it): each
 * followed stream from the id after the last one read, so a connection that drops and comes back
 * goes on without a gap (unless the stream was trimmed past it: the followers check for that).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';

export interface StreamEntry {
  id: string;
  fields: Map<string, Buffer>;
}
type Follower = (entry: StreamEntry) => void;

/** How many entries one read takes from each stream. */
const READ_COUNT = 200;
/** How long a read waits for an entry before it reads again (a new stream wakes it at once). */
const BLOCK_MS = 5000;
/** How long to wait after a failed read (Redis is down) before reading again. */
const RETRY_MS = 250;

export class StreamReader {
  private readonly positions = new Map<string, string>();
  private readonly followers = new Map<string, Follower>();
  private readerId: number | null = null;
  private stopped = false;
  private readonly healthListeners = new Set<(reachable: boolean) => void>();
  private reachable = true;

  constructor(
    private readonly reader: Redis,
    /** Another connection: it wakes the blocked reader when the set of streams changes. */
    private readonly waker: Redis,
    private readonly log: FastifyBaseLogger,
  ) {
    void this.loop();
  }

  /** Reads `key` from the entry after `afterId` on. */
  follow(key: string, afterId: string, follower: Follower): void {
    this.positions.set(key, afterId);
    this.followers.set(key, follower);
    this.wake();
  }

  unfollow(key: string): void {
    this.positions.delete(key);
    this.followers.delete(key);
  }

  /** Told when reads start failing (Redis unreachable) and when they work again. */
  onReachable(listener: (reachable: boolean) => void): void {
    this.healthListeners.add(listener);
  }

  get isReachable(): boolean {
    return this.reachable;
  }

  /** Resolves once reads work (at once if they do), or after `maxMs` in any case. */
  whenReachable(maxMs: number): Promise<void> {
    if (this.reachable) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.healthListeners.delete(listener);
        resolve();
      };
      const listener = (reachable: boolean) => reachable && done();
      const timer = setTimeout(done, maxMs);
      this.healthListeners.add(listener);
    });
  }

  close(): void {
    this.stopped = true;
    this.wake();
  }

  private wake(): void {
    if (this.readerId === null) return;
    void this.waker.call('CLIENT', 'UNBLOCK', String(this.readerId)).catch(() => undefined);
  }

  private setReachable(reachable: boolean): void {
    if (this.reachable === reachable) return;
    this.reachable = reachable;
    for (const listener of this.healthListeners) listener(reachable);
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        // Asked again after every failure: the answer says Redis is back before a read waits on it.
        this.readerId ??= Number(await this.reader.call('CLIENT', 'ID'));
        this.setReachable(true);
        const keys = [...this.positions.keys()];
        if (keys.length === 0) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          continue;
        }
        const ids = keys.map((key) => this.positions.get(key) as string);
        const answer = (await this.reader.xreadBuffer(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...keys,
          ...ids,
        )) as Array<[Buffer, Array<[Buffer, Buffer[]]>]> | null;
        for (const [rawKey, entries] of answer ?? []) {
          const key = rawKey.toString('utf8');
          for (const [rawId, flat] of entries) {
            // Unfollowed (or followed again from elsewhere) while this read waited.
            const follower = this.followers.get(key);
            if (!follower) break;
            const id = rawId.toString('utf8');
            this.positions.set(key, id);
            const fields = new Map<string, Buffer>();
            for (let i = 0; i + 1 < flat.length; i += 2) {
              const [name, value] = [flat[i], flat[i + 1]];
              if (name && value) fields.set(name.toString('utf8'), value);
            }
            try {
              follower({ id, fields });
            } catch (error) {
              this.log.error({ err: error, key }, 'a stream entry could not be applied');
            }
          }
        }
      } catch (error) {
        if (this.stopped) break;
        // A new connection has another id: asked again once it works.
        this.readerId = null;
        if (this.reachable) this.log.warn({ err: error }, 'cannot read from Redis');
        this.setReachable(false);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }
}
