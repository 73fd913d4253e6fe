/**
 * Persistence of one board: updates are appended to the store in small
 * batches (one transaction per few milliseconds, not one per keystroke), and
 * the log is folded into a single state once it grows long.
 */
import type { FastifyBaseLogger } from 'fastify';
import * as Y from 'yjs';
import type { Store } from '../storage/store.js';

/** How long updates wait to share a transaction. Bounds what a crash can lose. */
export const FLUSH_DELAY_MS = 5;
/** Log length at which the board is compacted into one stored state. */
export const COMPACT_AFTER_UPDATES = 500;
const RETRY_DELAY_MS = 1000;

export class BoardLog {
  private pending: Uint8Array[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly boardId: string,
    private readonly store: Store,
    private readonly doc: Y.Doc,
    private logLength: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  append(update: Uint8Array): void {
    this.pending.push(update);
    this.schedule(FLUSH_DELAY_MS);
  }

  /** Writes everything appended so far; resolves when it is in the store. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.writing = this.writing.then(() => this.writePending());
    return this.writing;
  }

  private schedule(delay: number): void {
    this.timer ??= setTimeout(() => void this.flush(), delay);
  }

  private async writePending(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      await this.store.appendBoardUpdates(this.boardId, batch);
      this.logLength += batch.length;
      if (this.logLength >= COMPACT_AFTER_UPDATES) {
        await this.store.compactBoard(this.boardId, Y.encodeStateAsUpdate(this.doc));
        this.logLength = 0;
      }
    } catch (error) {
      // Keep the batch in order and try again: losing an acknowledged edit is worse than waiting.
      this.pending = batch.concat(this.pending);
      this.log.error({ err: error, boardId: this.boardId }, 'could not save board updates; retrying');
      this.schedule(RETRY_DELAY_MS);
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
