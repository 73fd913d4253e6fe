/**
 * Saves the live boards' updates: everything that arrives in one turn of the event loop, on any
 * board, goes to the store in one transaction. Under synchronous=FULL each transaction costs an
 * fsync that blocks the event loop, so 100 busy boards must share one, not pay for 100.
 */

import type { PrivateChange } from '@kaptar/board';
import type { FastifyBaseLogger } from 'fastify';
import { BoardGoneError, FencedOutError } from '../storage/errors.js';
import type { StorageHealth } from '../storage/health.js';
import { mergeAll } from '../storage/merge.js';
import type { Store, StoredIntent } from '../storage/store.js';

/**
 * A change the server made: its document update (none when it changed only private state), the
 * intents it came from (none for the server's own changes) and the private state it wrote.
 */
export interface LoggedUpdate {
  update: Uint8Array | null;
  intents: StoredIntent[];
  changes: PrivateChange[];
}

/** A board's queue of updates waiting to be stored (board-log.ts). */
export interface PendingUpdates {
  readonly boardId: string;
  /** The fencing number the board was claimed with (Store.claimBoard). */
  readonly fence: number;
  /** The writer takes what waits, to store it... */
  takePending(): LoggedUpdate[];
  /** ...gives it back, in front of anything newer, when the store refused it... */
  requeue(batch: LoggedUpdate[]): void;
  /** ...or hands it back as stored (its updates as `merged`, one row; null if it had none), up to `seq`... */
  stored(batch: LoggedUpdate[], merged: Uint8Array | null, seq: number): Promise<void>;
  /** ...or as dropped: the board was deleted, or a newer writer claimed it. Nothing of it is stored. */
  refused(error: BoardGoneError | FencedOutError): void;
}

const RETRY_DELAY_MS = 1000;

export class UpdateWriter {
  private readonly waiting = new Set<PendingUpdates>();
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  /** The last write on the chain: writes run one at a time, in order. */
  private writing: Promise<void> = Promise.resolve();
  /**
   * The write that waits for the one running, if any: every flush until it starts joins it. One
   * chained write a turn instead, while PostgreSQL took five round trips a write, queued writes
   * faster than they ran: each took what waited when it started, but answered the callers of its
   * own turn, and acks fell seconds behind the edits they acknowledged.
   */
  private next: Promise<void> | null = null;
  /** Callers of `settled` waiting for the next write (they share its transaction, not force one). */
  private waitingForWrite: Array<() => void> = [];

  constructor(
    private readonly store: Store,
    private readonly log: FastifyBaseLogger,
    private readonly health: StorageHealth,
  ) {}

  /** The board has new updates: they go out with this turn's transaction. */
  schedule(board: PendingUpdates): void {
    this.waiting.add(board);
    this.timer ??= setImmediate(() => void this.flush());
  }

  /**
   * Resolves once everything scheduled so far has been through a write (stored, or held for a
   * retry), without forcing a transaction of its own: 600 votes in a burst share a few fsyncs.
   */
  settled(): Promise<void> {
    if (this.waiting.size === 0) return this.writing;
    if (this.next) return this.next;
    return new Promise((resolve) => this.waitingForWrite.push(resolve));
  }

  /** Writes everything scheduled so far; resolves when it is in the store (or held for a retry). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.timer = null;
    if (this.next) return this.next;
    const waiters = this.waitingForWrite;
    this.waitingForWrite = [];
    // A write that throws (a bug, not a full disk: that is handled inside) must not stop every
    // later write on the chain, nor leave anyone waiting for it.
    const next = this.writing
      .then(() => {
        // Started: it takes everything waiting now, and what comes meanwhile waits for the next.
        this.next = null;
        return this.write();
      })
      .catch((error: unknown) => this.log.error({ err: error }, 'saving board updates failed'))
      .finally(() => {
        for (const resolve of waiters) resolve();
      });
    this.next = next;
    this.writing = next;
    return next;
  }

  private async write(): Promise<void> {
    const batches: Array<{ board: PendingUpdates; batch: LoggedUpdate[]; merged: Uint8Array | null }> = [];
    for (const board of this.waiting) {
      const batch = board.takePending();
      const updates = batch.flatMap((entry) => (entry.update ? [entry.update] : []));
      // Merged once: the same bytes are stored as one row and relayed (room.ts).
      if (batch.length > 0)
        batches.push({ board, batch, merged: updates.length > 0 ? mergeAll(updates) : null });
    }
    this.waiting.clear();
    if (batches.length === 0) return;
    let seqs: number[];
    try {
      seqs = await this.store.appendBoardUpdates(
        batches.map(({ board, batch, merged }) => ({
          boardId: board.boardId,
          fence: board.fence,
          update: merged,
          intents: batch.flatMap((entry) => entry.intents),
          changes: batch.flatMap((entry) => entry.changes),
        })),
      );
    } catch (error) {
      // Not the database: a board deleted with its session while its last change waited, or one a
      // newer writer claimed. Its changes have nowhere to go; held, they would keep every other
      // board's changes from being saved.
      if (error instanceof BoardGoneError || error instanceof FencedOutError) {
        return this.dropRefused(error, batches);
      }
      // Keep every batch in order and try again: losing an edit is worse than waiting.
      this.requeue(batches);
      this.health.failed(error);
      this.log.error(
        { err: error, boards: batches.length },
        'could not save board updates (disk full or read-only, database gone?); edits are held and retried every second',
      );
      this.timer ??= setTimeout(() => void this.flush(), RETRY_DELAY_MS);
      return;
    }
    if (this.health.failing) this.log.warn('saving board updates again');
    this.health.recovered();
    for (const [index, { board, batch, merged }] of batches.entries()) {
      await board.stored(batch, merged, seqs[index] as number);
    }
  }

  private requeue(batches: Array<{ board: PendingUpdates; batch: LoggedUpdate[] }>): void {
    for (const { board, batch } of batches) {
      board.requeue(batch);
      this.waiting.add(board);
    }
  }

  /** Drops the batch of the board that refused it and saves the others at once. */
  private dropRefused(
    error: BoardGoneError | FencedOutError,
    batches: Array<{ board: PendingUpdates; batch: LoggedUpdate[] }>,
  ): void {
    this.log.warn(
      { err: error, boardId: error.boardId },
      'changes of a board this process may not write dropped',
    );
    for (const { board } of batches) if (board.boardId === error.boardId) board.refused(error);
    this.requeue(batches.filter(({ board }) => board.boardId !== error.boardId));
    this.timer ??= setImmediate(() => void this.flush());
  }
}
