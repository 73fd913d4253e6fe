/**
 * Persistence of one board: updates are appended to the store in batches (one
 * transaction per turn of the event loop, not one per keystroke, merged into one
 * row), and the log is folded into a single state once it grows long. Each batch
 * is handed to `onStored` once it is stored: the room relays updates only then,
 * so no client ever holds an edit the server could lose in a crash.
 */
import type { FastifyBaseLogger } from 'fastify';
import * as Y from 'yjs';
import type { StorageHealth } from '../storage/health.js';
import type { Store } from '../storage/store.js';

/** Log length at which the board is compacted into one stored state. */
export const COMPACT_AFTER_UPDATES = 500;
const RETRY_DELAY_MS = 1000;

/** An update with the origin of the transaction that made it (the connection it came from). */
export interface LoggedUpdate {
  update: Uint8Array;
  origin: unknown;
}

/** One update holding all of `updates` (Yjs merges them without a document). */
export function mergeAll(updates: Uint8Array[]): Uint8Array {
  return updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates);
}

export class BoardLog {
  private pending: LoggedUpdate[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly boardId: string,
    private readonly store: Store,
    private readonly doc: Y.Doc,
    private logLength: number,
    private readonly log: FastifyBaseLogger,
    private readonly health: StorageHealth,
    private readonly onStored: (batch: LoggedUpdate[]) => void,
  ) {}

  /** Queues the update for the next batch. */
  append(entry: LoggedUpdate): void {
    this.pending.push(entry);
    // Everything that arrives in this turn of the event loop shares one transaction.
    this.timer ??= setImmediate(() => void this.flush());
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
      await this.store.appendBoardUpdates(this.boardId, [mergeAll(batch.map((entry) => entry.update))]);
      this.logLength += 1;
      if (this.health.failing) this.log.warn({ boardId: this.boardId }, 'saving board updates again');
      this.health.recovered();
      this.onStored(batch);
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
