/**
 * Persistence of one board: its updates wait for the shared writer (update-writer.ts: one
 * transaction per turn of the event loop for all boards), and the log is folded into a single
 * state once it grows long. Each batch is handed to `onStored` once it is stored: the room
 * relays updates only then, so no client ever holds an edit the server could lose in a crash.
 */
import type { FastifyBaseLogger } from 'fastify';
import * as Y from 'yjs';
import type { BoardGoneError, FencedOutError } from '../storage/errors.js';
import type { Store } from '../storage/store.js';
import type { LoggedUpdate, PendingUpdates, UpdateWriter } from './update-writer.js';

/** Log length (rows) at which the board is compacted into one stored state. */
export const COMPACT_AFTER_UPDATES = 500;

/** What a board's log starts from: the loaded document, its log's length and last sequence number, and its claim. */
export interface BoardLogStart {
  boardId: string;
  /** This process's fencing number for the board (Store.claimBoard), carried by every append. */
  fence: number;
  store: Store;
  writer: UpdateWriter;
  doc: Y.Doc;
  logLength: number;
  seq: number;
  log: FastifyBaseLogger;
}

export class BoardLog implements PendingUpdates {
  readonly boardId: string;
  readonly fence: number;
  private readonly store: Store;
  private readonly writer: UpdateWriter;
  private readonly doc: Y.Doc;
  private readonly log: FastifyBaseLogger;
  private logLength: number;
  /** The last sequence number stored for this board: the document holds everything up to it. */
  private seq: number;
  private pending: LoggedUpdate[] = [];
  /**
   * The batch the writer took and has not committed yet: with an asynchronous engine a snapshot
   * can be taken meanwhile, and must hold it (in the log or here; Yjs applies an update once).
   */
  private writing: LoggedUpdate[] = [];
  /** The compaction running, if any: it takes several turns, and the writer does not wait for it. */
  private compacting: Promise<void> | null = null;

  constructor(
    start: BoardLogStart,
    private readonly onStored: (batch: LoggedUpdate[], merged: Uint8Array | null, fence: number) => void,
    private readonly onRefused: (error: BoardGoneError | FencedOutError) => void,
  ) {
    ({
      boardId: this.boardId,
      fence: this.fence,
      store: this.store,
      writer: this.writer,
      doc: this.doc,
      log: this.log,
      logLength: this.logLength,
      seq: this.seq,
    } = start);
  }

  append(entry: LoggedUpdate): void {
    this.pending.push(entry);
    this.writer.schedule(this);
  }

  /** Writes everything appended so far (with every other board's) and ends a compaction; resolves when done. */
  async flush(): Promise<void> {
    await this.writer.flush();
    await this.compacting;
  }

  /** Updates applied to the board but not stored yet (waiting for the writer, or held after a failure). */
  unsaved(): Uint8Array[] {
    return [...this.writing, ...this.pending].flatMap((entry) => (entry.update ? [entry.update] : []));
  }

  /** Whether anything (a document update, private state, an intent) waits to be stored. */
  get waiting(): boolean {
    return this.pending.length > 0 || this.writing.length > 0;
  }

  takePending(): LoggedUpdate[] {
    this.writing = this.pending;
    this.pending = [];
    return this.writing;
  }

  requeue(batch: LoggedUpdate[]): void {
    this.writing = [];
    this.pending = batch.concat(this.pending);
  }

  /** Nothing more of this board's can be stored: the room must go (room.ts). */
  refused(error: BoardGoneError | FencedOutError): void {
    this.writing = [];
    this.pending = [];
    this.onRefused(error);
  }

  /** The batch is in the store (up to `seq`): relay it, and compact the log if it grew long. */
  async stored(batch: LoggedUpdate[], merged: Uint8Array | null, seq: number): Promise<void> {
    this.writing = [];
    if (merged) this.logLength += 1;
    this.seq = seq;
    this.onStored(batch, merged, this.fence);
    if (this.logLength < COMPACT_AFTER_UPDATES || this.compacting) return;
    // Not awaited: the writer stores every board's next batches meanwhile.
    this.compacting = this.compact().finally(() => {
      this.compacting = null;
    });
  }

  private async compact(): Promise<void> {
    // Everything stored so far is in the document; what is stored meanwhile stays in the log, and
    // so does anything another writer appended after `seq`.
    const folded = this.logLength;
    try {
      await this.store.compactBoard(this.boardId, Y.encodeStateAsUpdate(this.doc), this.seq);
      this.logLength -= folded;
    } catch (error) {
      // Nothing is lost: the log stays as it is, and compaction is tried again after the next batch.
      this.log.error({ err: error, boardId: this.boardId }, 'could not compact the board log');
    }
  }
}

/** Rebuilds a board's document from its stored state and log. */
export async function loadBoardDoc(
  store: Store,
  boardId: string,
): Promise<{ doc: Y.Doc; logLength: number; seq: number }> {
  const stored = await store.loadBoardDoc(boardId);
  const doc = new Y.Doc();
  doc.transact(() => {
    if (stored.state) Y.applyUpdate(doc, stored.state);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
  });
  return { doc, logLength: stored.updates.length, seq: stored.seq };
}
