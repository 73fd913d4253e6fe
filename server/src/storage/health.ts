/**
 * Whether the store can write right now. A full disk or a database that went away must not be
 * hidden: writes fail loudly (log, health endpoint, 503 replies), the store is probed every second
 * while they do, and the state clears itself with the first write that succeeds again.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from './store.js';

const PROBE_INTERVAL_MS = 1000;

export class StorageHealth {
  private failure: { message: string; since: number } | null = null;
  private probing: NodeJS.Timeout | null = null;

  constructor(
    private readonly log: FastifyBaseLogger,
    /** Probed (checkWritable) while failing, and asked why (diagnose) when a failure is first seen. */
    private readonly store: Pick<Store, 'checkWritable' | 'diagnose'>,
  ) {}

  get failing(): { message: string; since: number } | null {
    return this.failure;
  }

  failed(error: unknown): void {
    if (this.failure) return;
    const detail = error instanceof Error ? error.message : String(error);
    const failure = { message: detail, since: Date.now() };
    this.failure = failure;
    // Probing clears the state even when no edit is waiting to be retried.
    this.probing = setInterval(() => {
      this.store.checkWritable().then(
        () => this.recovered(),
        () => undefined, // Still failing: the next probe tries again.
      );
    }, PROBE_INTERVAL_MS);
    this.probing.unref();
    // The driver's message alone ("disk I/O error") tells an operator nothing: the engine says why.
    void this.store.diagnose().then(
      ({ where, problem }) => this.report(failure, error, where, problem ?? detail),
      () => this.report(failure, error, 'the store', detail),
    );
  }

  recovered(): void {
    if (!this.failure) return;
    this.stop();
    this.failure = null;
    this.log.warn('saving again');
  }

  /** Stops probing (on shutdown). */
  stop(): void {
    if (this.probing) clearInterval(this.probing);
    this.probing = null;
  }

  private report(failure: { message: string }, error: unknown, where: string, reason: string): void {
    const detail = error instanceof Error ? error.message : String(error);
    if (reason !== detail) failure.message = `${reason} (${detail})`;
    this.log.error(
      { err: error, where },
      `CANNOT SAVE: ${reason}. Writes are refused (503) and board edits are held until they can be saved.`,
    );
  }
}
