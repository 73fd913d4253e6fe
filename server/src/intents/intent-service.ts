/**
 * Where intents are checked and applied. A batch from one device runs in order, serialized with
 * every other batch on the same board: each intent is first looked up (a replay gets the answer
 * stored with its change, even after a phase change), then metered (per participant and board),
 * then applied by the board's own rules to the server's document. The answers go back once the
 * changes are on disk.
 */
import { BoardError, type IntentAuthor } from '@kaptar/board';
import {
  INTENT_RATE,
  type Intent,
  type IntentErrorCode,
  type IntentResult,
  intentBody,
  isFinalIntentError,
} from '@kaptar/protocol';
import type { FastifyBaseLogger } from 'fastify';
import * as Y from 'yjs';
import { BucketsByKey } from '../auth/token-bucket.js';
import type { Room } from '../rooms/room.js';
import type { RoomHost } from '../rooms/room-host.js';
import type { StorageHealth } from '../storage/health.js';
import type { SessionQuota } from '../storage/session-quota.js';
import type { Store, StoredIntent } from '../storage/store.js';

/** Batches one participant may have waiting or running on one board; more are `rate-limited`. */
const MAX_QUEUED_BATCHES = 4;
/** How long one board's queued batches may run back to back before yielding a turn. */
const SLICE_MS = 4;

export class IntentService {
  /** The tail of each board's chain of batches: one batch at a time per board. */
  private readonly tails = new Map<string, Promise<unknown>>();
  /** Intent budgets per participant and board; full ones are let go now and then. */
  private readonly budgets = new BucketsByKey(INTENT_RATE.perMinute / 60, INTENT_RATE.burst);
  /** Batches each participant has waiting or running on each board. */
  private readonly queued = new Map<string, number>();
  /** When each board's current run of back-to-back batches started (see `serialized`). */
  private readonly sliceStarted = new Map<string, number>();
  /**
   * Whether each session seen is closed, read once from the store and then told by `closed` when
   * it changes (every close and reopen goes through the session's owner and calls it; `forget`
   * when another process may have owned it meanwhile): a store read in every board turn held each
   * board to one batch per database round trip on PostgreSQL.
   */
  private readonly closedSessions = new Map<string, boolean>();

  constructor(
    private readonly rooms: RoomHost,
    private readonly store: Store,
    private readonly health: StorageHealth,
    private readonly quota: SessionQuota,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Applies the batch; one result per intent, in order, sent once the changes are saved. */
  async run(
    sessionId: string,
    author: IntentAuthor,
    boardId: string,
    intents: Intent[],
  ): Promise<IntentResult[]> {
    if (this.health.failing) return intents.map((intent) => refused(intent.id, 'storage-unavailable'));
    // One person's batches wait in the board's queue a few at a time: replays cost no rate, and
    // 400 sockets of one token could otherwise queue thousands of batches ahead of everyone.
    const key = `${boardId}/${author.actor.participantId}`;
    const waiting = this.queued.get(key) ?? 0;
    if (waiting >= MAX_QUEUED_BATCHES) return intents.map((intent) => refused(intent.id, 'rate-limited'));
    this.queued.set(key, waiting + 1);
    let applied: Room | undefined;
    const results = await this.serialized(boardId, async () => {
      // Checked again in the board's turn: a batch queued before the moderator closed (or deleted)
      // the session is refused, not applied after the close was answered.
      if (this.closedSessions.get(sessionId) ?? (await this.readClosed(sessionId))) {
        return intents.map((intent) => refused(intent.id, 'session-closed'));
      }
      return this.rooms.withRoom(boardId, async (room) => {
        applied = room;
        // Measured outside the room's turn would be cheaper, but a replay must get its stored answer.
        const full = await this.quota.refusal(sessionId);
        return this.applyAll(room, author, intents, full);
      });
    }).finally(() => {
      const left = (this.queued.get(key) ?? 1) - 1;
      if (left > 0) this.queued.set(key, left);
      else this.queued.delete(key);
    });
    try {
      await this.rooms.saved();
      // Its board could not take the batch (a newer writer claimed it): nothing of it was kept.
      if (applied?.lost) throw applied.lost;
    } catch {
      // Applied and kept, saved once the disk takes writes: the device asks again with the same ids.
      return results.map((result) => (result.ok ? refused(result.id, 'storage-unavailable') : result));
    }
    return results;
  }

  /** The session was closed or opened again (stored already): batches from now on see it in their turn. */
  closed(sessionId: string, closed: boolean): void {
    this.closedSessions.set(sessionId, closed);
  }

  /** What was known of the session is read again: another process may have closed or reopened it. */
  forget(sessionId: string): void {
    this.closedSessions.delete(sessionId);
  }

  private async readClosed(sessionId: string): Promise<boolean> {
    const closed = (await this.store.getSession(sessionId))?.closedAt != null;
    // A close told meanwhile wins over what was read before it.
    if (!this.closedSessions.has(sessionId)) this.closedSessions.set(sessionId, closed);
    return this.closedSessions.get(sessionId) as boolean;
  }

  /** Resolves once the batches queued on the board so far have run (a session being deleted). */
  async settled(boardId: string): Promise<void> {
    await this.tails.get(boardId);
  }

  private serialized<T>(boardId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(boardId) ?? Promise.resolve();
    // A board's queued batches run back to back for at most SLICE_MS, then the next waits a turn.
    // Chained on promises alone, twenty queued batches of one flooding phone ran back to back in
    // one turn, and every other session waited for them. A turn for every batch instead held a
    // busy board to one batch per turn, each turn paying a save and a relay: 200 phones editing
    // once a second queued up for seconds (bench one-board).
    // The first batch of a run starts at once (waiting a turn for it only added latency).
    const turn = async () => {
      const started = this.sliceStarted.get(boardId);
      if (started === undefined) {
        this.sliceStarted.set(boardId, performance.now());
      } else if (performance.now() - started > SLICE_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        this.sliceStarted.set(boardId, performance.now());
      }
      return work();
    };
    const next = previous.then(turn, turn);
    const tail = next.catch(() => undefined);
    this.tails.set(boardId, tail);
    void tail.then(() => {
      if (this.tails.get(boardId) !== tail) return;
      this.tails.delete(boardId);
      this.sliceStarted.delete(boardId);
    });
    return next;
  }

  /** `full`: why the session stores nothing more (its quota), or null; replays are answered still. */
  private async applyAll(
    room: Room,
    author: IntentAuthor,
    intents: Intent[],
    full: string | null,
  ): Promise<IntentResult[]> {
    const results: IntentResult[] = [];
    const budget = this.budgets.of(`${room.boardId}/${author.actor.participantId}`);
    for (const intent of intents) {
      const known =
        room.unsavedIntent(intent.id) ??
        (room.hasStoredIntent(intent.id) ? await this.store.findIntent(room.boardId, intent.id) : undefined);
      if (known) {
        results.push(replayed(known, intent.id, author.actor.participantId, room.doc));
        continue;
      }
      if (full) {
        results.push(refused(intent.id, 'session-full', full));
        continue;
      }
      if (!budget.take()) {
        results.push(refused(intent.id, 'rate-limited'));
        continue;
      }
      try {
        results.push({
          id: intent.id,
          ok: true,
          effect: room.applyIntent(intent.id, author, intentBody(intent)),
        });
      } catch (error) {
        if (!(error instanceof BoardError)) {
          this.log.error({ err: error, boardId: room.boardId, type: intent.type }, 'intent failed');
          results.push(refused(intent.id, 'unavailable'));
        } else {
          results.push(refused(intent.id, error.code, error.message));
        }
      }
    }
    return results;
  }
}

/**
 * The stored answer, to its own sender; an id someone else used is not theirs to replay. An effect
 * in a document the board no longer has (rebuilt since: a new epoch, a new writer) is in every
 * replica of the new one already: it is answered as such, or the device would wait for it forever.
 */
function replayed(known: StoredIntent, id: string, participantId: string, doc: Y.Doc): IntentResult {
  if (known.participantId !== participantId) return refused(id, 'id-taken', 'This intent id is already used');
  const result = JSON.parse(known.result) as IntentResult;
  if (!result.ok || Y.getState(doc.store, result.effect.client) >= result.effect.clock) return result;
  return { ...result, effect: { client: doc.clientID, clock: 0 } };
}

const MESSAGES: Partial<Record<IntentErrorCode, string>> = {
  'session-closed': 'The moderator closed this session for writing',
  'rate-limited': 'Too many changes at once; sent again shortly',
  'storage-unavailable': 'The server cannot save right now (disk problem); sent again shortly',
  unavailable: 'The server could not do this now',
};

function refused(id: string, code: IntentErrorCode, error = MESSAGES[code] ?? code): IntentResult {
  return { id, ok: false, code, error, final: isFinalIntentError(code) };
}
