/**
 * What a process serves its Yjs connections from in a cluster: a read replica of each board and
 * session document, loaded from the store and kept up to date from the document's stream, which
 * its owner fills with every stored change (and, on the owner's own process, straight from the
 * owner). Connections never need to move when a session's owner changes: the new owner's changes
 * come down the same stream. A gap (a trimmed stream, Redis restarted empty) is filled from the
 * store, which holds everything any stream ever carried.
 */
import { sessionRoomName } from '@kaptar/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import * as Y from 'yjs';
import {
  BOARD_STREAM_LENGTH,
  boardStreamKey,
  SESSION_STREAM_LENGTH,
  STREAM_IDLE_MS,
  sessionStreamKey,
} from '../cluster/keys.js';
import type { StreamEntry, StreamReader } from '../cluster/stream-reader.js';
import type { Store } from '../storage/store.js';
import { loadBoardDoc } from './board-log.js';
import { updateMessage } from './messages.js';
import { closeMembers, type RoomMember } from './room.js';

/** As for the owner's rooms: kept warm across the short disconnects of phones on mobile data. */
const IDLE_UNLOAD_MS = 30_000;
/** How often a change Redis did not take is sent again. */
const RESEND_MS = 500;

/** Which document a replica holds, and its session. */
type Source = { kind: 'board'; boardId: string; sessionId: string } | { kind: 'session'; sessionId: string };

/** A stored change of a document as its stream carries it. */
export interface DocChange {
  update: Uint8Array;
  /**
   * A board's changes are numbered by their writer (`n` from 1, under its fencing number): a
   * replica that sees a number skipped missed changes (the stream was trimmed past them, or Redis
   * lost it). A session document's change is its whole state, so none can be missed for long.
   */
  order?: { fence: number; n: number };
}

/** A change on its way to its stream; `seq` orders the sends of this process. */
interface Outgoing {
  fields: Array<string | Buffer>;
  /** How the stream is trimmed as this change is added (XADD's MAXLEN). */
  trim: ['~' | '=', number];
  seq: number;
}

/** One document's replica: what its connections sync from and are sent changes by. */
export class ReplicaRoom {
  private readonly members = new Set<RoomMember>();
  private encodedState: Uint8Array | null = null;
  /** For a board: the writer and number of the last change applied; null takes the next as it comes. */
  order: { fence: number; n: number } | null = null;
  idleTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly key: string,
    readonly source: Source,
    readonly doc: Y.Doc,
  ) {
    // Whatever adds something new (a change, a fill from the store) goes to every member once.
    doc.on('update', (update: Uint8Array) => {
      this.encodedState = null;
      const message = updateMessage(update);
      for (const member of this.members) member.send(message);
    });
  }

  get size(): number {
    return this.members.size;
  }

  /** For the log: the board's id, or the session document's room name. */
  get name(): string {
    return this.source.kind === 'board' ? this.source.boardId : sessionRoomName(this.source.sessionId);
  }

  add(member: RoomMember): void {
    this.members.add(member);
  }

  remove(member: RoomMember): void {
    this.members.delete(member);
  }

  missingFor(stateVector: Uint8Array): Uint8Array {
    this.encodedState ??= Y.encodeStateAsUpdate(this.doc);
    const empty = stateVector.length === 1 && stateVector[0] === 0;
    return empty ? this.encodedState : Y.diffUpdate(this.encodedState, stateVector);
  }

  disconnect(holder: string | null, code: number, reason: string): void {
    closeMembers(this.members, holder, code, reason);
  }
}

export class Replicas {
  private readonly rooms = new Map<string, Promise<ReplicaRoom>>();
  /** Whether the last change could not be added to its stream (logged once per outage). */
  private publishFailing = false;
  /**
   * Per stream, the latest change Redis did not take, sent again until it does. Only the latest:
   * the other processes see the skipped numbers once it (or any later change) arrives, and read
   * the store. Without it, a board's last change before a quiet spell would reach them never.
   */
  private readonly unsent = new Map<string, Outgoing>();
  private sends = 0;
  private resendTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly redis: Redis,
    private readonly reader: StreamReader,
    private readonly log: FastifyBaseLogger,
  ) {
    // Redis back after an outage may have lost its streams (it keeps nothing on disk): fill every
    // replica from the store, which has what they missed.
    reader.onReachable((reachable) => {
      if (reachable) void this.refillAll();
    });
  }

  acquireBoard(boardId: string, sessionId: string): Promise<ReplicaRoom> {
    return this.acquire({ kind: 'board', boardId, sessionId });
  }

  acquireSession(sessionId: string): Promise<ReplicaRoom> {
    return this.acquire({ kind: 'session', sessionId });
  }

  release(room: ReplicaRoom): void {
    if (room.size > 0 || room.idleTimer) return;
    room.idleTimer = setTimeout(() => {
      room.idleTimer = null;
      if (room.size > 0) return;
      this.rooms.delete(room.key);
      this.reader.unfollow(room.key);
      room.doc.destroy();
    }, IDLE_UNLOAD_MS);
    room.idleTimer.unref();
  }

  /** The owner's change on this process, before Redis has it (and while Redis is down). */
  private localChange(key: string, change: DocChange): void {
    const room = this.rooms.get(key);
    if (room)
      void room.then(
        (loaded) => this.apply(loaded, change),
        () => undefined,
      );
  }

  /** A board's stored update, from its writer on this process: to this replica and everyone's. */
  publishBoard(boardId: string, update: Uint8Array, order: { fence: number; n: number }): void {
    this.publish(boardStreamKey(boardId), { update, order }, ['~', BOARD_STREAM_LENGTH]);
  }

  /** A session document's whole state after a stored change, from its writer on this process. */
  publishSession(sessionId: string, state: Uint8Array): void {
    this.publish(sessionStreamKey(sessionId), { update: state }, ['=', SESSION_STREAM_LENGTH]);
  }

  /**
   * Hands a stored change to this process's replica at once and adds it to the document's stream.
   * While Redis is down the stream misses it: it is sent again (see `unsent`), and the other
   * processes' replicas are filled from the store when Redis is back.
   */
  private publish(key: string, change: DocChange, trim: Outgoing['trim']): void {
    this.localChange(key, change);
    const fields: Array<string | Buffer> = ['u', Buffer.from(change.update)];
    if (change.order) fields.push('f', String(change.order.fence), 'n', String(change.order.n));
    this.send(key, { fields, trim, seq: ++this.sends });
  }

  private send(key: string, outgoing: Outgoing): void {
    this.redis
      .pipeline()
      .xadd(key, 'MAXLEN', ...outgoing.trim, '*', ...outgoing.fields)
      .pexpire(key, STREAM_IDLE_MS)
      .exec()
      .then((answers) => {
        const failed = answers?.find(([error]) => error)?.[0];
        if (failed) throw failed;
        this.publishFailing = false;
        // Answers come in the order of the sends: one left unsent before this one is covered by it.
        if ((this.unsent.get(key)?.seq ?? Infinity) <= outgoing.seq) this.unsent.delete(key);
      })
      .catch((error: unknown) => {
        if (!this.publishFailing)
          this.log.warn({ err: error }, 'cannot send changes to the other processes (Redis)');
        this.publishFailing = true;
        if ((this.unsent.get(key)?.seq ?? 0) < outgoing.seq) this.unsent.set(key, outgoing);
        this.resendSoon();
      });
  }

  private resendSoon(): void {
    if (this.resendTimer) return;
    this.resendTimer = setTimeout(() => {
      this.resendTimer = null;
      for (const [key, outgoing] of this.unsent) this.send(key, outgoing);
    }, RESEND_MS);
    this.resendTimer.unref();
  }

  /** Closes a holder's connections (a removed participant, a renewed projector link) in every replica. */
  disconnect(holder: string, code: number, reason: string): void {
    for (const room of this.rooms.values()) {
      void room.then(
        (loaded) => loaded.disconnect(holder, code, reason),
        () => undefined,
      );
    }
  }

  /** Closes the connections of every replica of the sessions `which` names (they reconnect). */
  disconnectSessions(which: (sessionId: string) => boolean, code: number, reason: string): void {
    for (const room of this.rooms.values()) {
      void room.then(
        (loaded) => which(loaded.source.sessionId) && loaded.disconnect(null, code, reason),
        () => undefined,
      );
    }
  }

  /** Closes every connection of the session's documents and drops them: the session was deleted. */
  evict(sessionId: string, boardIds: string[], code: number, reason: string): void {
    for (const key of [sessionStreamKey(sessionId), ...boardIds.map(boardStreamKey)]) {
      this.unsent.delete(key);
      const room = this.rooms.get(key);
      this.rooms.delete(key);
      this.reader.unfollow(key);
      void room?.then(
        (loaded) => {
          loaded.disconnect(null, code, reason);
          loaded.doc.destroy();
        },
        () => undefined,
      );
    }
  }

  private acquire(source: Source): Promise<ReplicaRoom> {
    const key = source.kind === 'board' ? boardStreamKey(source.boardId) : sessionStreamKey(source.sessionId);
    let room = this.rooms.get(key);
    if (!room) {
      room = this.load(key, source);
      this.rooms.set(key, room);
      room.catch(() => this.rooms.delete(key));
    }
    return room.then((loaded) => {
      if (loaded.idleTimer) clearTimeout(loaded.idleTimer);
      loaded.idleTimer = null;
      return loaded;
    });
  }

  private async load(key: string, source: Source): Promise<ReplicaRoom> {
    // The stream's end first, then the store: every change after that end is read from the
    // stream, every change before it is in what the store gives.
    const last = await this.redis.xrevrange(key, '+', '-', 'COUNT', 1);
    const room = new ReplicaRoom(key, source, new Y.Doc());
    await this.fill(room, source);
    this.reader.follow(key, last[0]?.[0] ?? '0-0', (entry) => this.apply(room, changeOf(entry)));
    return room;
  }

  private async fill(room: ReplicaRoom, source: Source): Promise<void> {
    if (source.kind === 'board') {
      const { doc } = await loadBoardDoc(this.store, source.boardId);
      Y.applyUpdate(room.doc, Y.encodeStateAsUpdate(doc));
      doc.destroy();
    } else {
      const state = await this.store.loadSessionDoc(source.sessionId);
      if (state) Y.applyUpdate(room.doc, state);
    }
  }

  private apply(room: ReplicaRoom, change: DocChange): void {
    const { order } = change;
    const last = room.order;
    if (order && last && order.fence === last.fence && order.n <= last.n) return; // had it already
    // A former writer's late change (stored before it lost the board) is kept, and changes no order.
    const stale = order && last && order.fence < last.fence;
    if (order && !stale) {
      // A new writer (another owner, or the board loaded again) is read from the store once: the
      // stream cannot tell whether the former writer's last changes reached it (it died, say,
      // between storing a change and adding it to the stream).
      const next = last === null || (order.fence === last.fence && order.n === last.n + 1);
      if (!next) {
        // Everything stored up to this change is in the store now; later ones come down the stream.
        this.log.info({ room: room.name }, 'replica missed changes or has a new writer: reading the store');
        this.refill(room);
      }
      room.order = order;
    }
    Y.applyUpdate(room.doc, change.update);
  }

  private refill(room: ReplicaRoom): void {
    void this.fill(room, room.source).catch((error: unknown) =>
      this.log.error({ err: error, room: room.name }, 'could not fill a replica from the store'),
    );
  }

  private async refillAll(): Promise<void> {
    for (const room of this.rooms.values()) {
      const loaded = await room.catch(() => null);
      if (loaded) this.refill(loaded);
    }
  }
}

function changeOf(entry: StreamEntry): DocChange {
  const fence = entry.fields.get('f');
  const n = entry.fields.get('n');
  return {
    update: new Uint8Array(entry.fields.get('u') ?? new Uint8Array([0, 0])),
    ...(fence && n ? { order: { fence: Number(fence), n: Number(n) } } : {}),
  };
}
