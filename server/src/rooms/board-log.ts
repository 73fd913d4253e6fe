/**
 * Persistence of one board: updates are appended to the store in batches (one
 * transaction per turn of the event loop, not one per keystroke), and the log
 * is folded into a single state once it grows long. `append` resolves once
 * the update is stored: the room relays an update only after that, so no
 * client ever holds an edit the server could lose in a crash.
 */
import type { FastifyBaseLogger } from 'fastify';
import * as Y from 'yjs';
import type { StorageHealth } from '../storage/health.js';
import type { Store } from '../storage/store.js';

/** Log length at which the board is compacted into one stored state. */
export const COMPACT_AFTER_UPDATES = 500;
const RETRY_DELAY_MS = 1000;

interface Pending {
  update: Uint8Array;
  stored: () => void;
}

export class BoardLog {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly boardId: string,
    private readonly store: Store,
    private readonly doc: Y.Doc,
    private logLength: number,
    private readonly log: FastifyBaseLogger,
    private readonly health: StorageHealth,
  ) {}

  /** Queues the update for the next batch; resolves when it is in the store. */
  append(update: Uint8Array): Promise<void> {
    return new Promise((stored) => {
      this.pending.push({ update, stored });
      // Everything that arrives in this turn of the event loop shares one transaction.
      this.timer ??= setImmediate(() => void this.flush());
    });
  }

  /** Writes everything appended so far; resolves when it is in the store. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.timer = null;
    this.writing = this.writing.then(() => this.writePending());
    return this.writing;
  }

  private async writePending(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      await this.store.appendBoardUpdates(
        this.boardId,
        batch.map((entry) => entry.update),
      );
      this.logLength += batch.length;
      if (this.health.failing) this.log.warn({ boardId: this.boardId }, 'saving board updates again');
      this.health.recovered();
      for (const entry of batch) entry.stored();
      if (this.logLength >= COMPACT_AFTER_UPDATES) {
        await this.store.compactBoard(this.boardId, Y.encodeStateAsUpdate(this.doc));
        this.logLength = 0;
      }
    } catch (error) {
      // Keep the batch in order and try again: losing an edit is worse than waiting.
      this.pending = batch.concat(this.pending);
      this.health.failed(error);
      this.log.error(
        { err: error, boardId: this.boardId },
        'could not save board updates (disk full or read-only?); edits are held and retried every second',
      );
      this.timer ??= setTimeout(() => void this.flush(), RETRY_DELAY_MS);
    }
  }
}

/** Rebuilds a board's document from its stored state and log. */
export async function loadBoardDoc(
  store: Store,
  boardId: string,
): Promise<{ doc: Y.Doc; logLength: number }> {
  const stored = await store.loadBoardDoc(boardId);
  const doc = new Y.Doc();
  doc.transact(() => {
    if (stored.state) Y.applyUpdate(doc, stored.state);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
  });
  return { doc, logLength: stored.updates.length };
}
