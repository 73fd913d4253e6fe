/**
 * The session documents (@kaptar/board's session-doc.ts): one per session, written by the server
 * alone and replicated read-only like a board, under `sessionRoomName`. It holds a few fields the
 * moderator's clicks replace, so each change stores the whole state as one row (no log, no
 * batching): stored first, relayed second, like every board's change.
 */
import { ROOM_CLOSE, sessionRoomName } from '@kaptar/protocol';
import * as Y from 'yjs';
import { FencedOutError, NotOwnerError, StorageUnavailableError } from '../storage/errors.js';
import type { StorageHealth } from '../storage/health.js';
import type { Store } from '../storage/store.js';
import { updateMessage } from './messages.js';
import { closeMembers, type RoomMember } from './room.js';

/** As for boards: kept warm across the short disconnects of phones on mobile data. */
const IDLE_UNLOAD_MS = 30_000;

export class SessionRoom {
  private readonly members = new Set<RoomMember>();
  /** The whole state, encoded once per version of the document for every sync request. */
  private encodedState: Uint8Array | null = null;
  readonly name: string;
  /** Dropped after a failed save: a new room serves the session, this one serves nobody. */
  dropped = false;

  constructor(
    readonly sessionId: string,
    readonly doc: Y.Doc,
    /** This room's claim on the document (claimSessionDoc): saved with each change. */
    readonly fence: number,
  ) {
    this.name = sessionRoomName(sessionId);
  }

  get size(): number {
    return this.members.size;
  }

  add(member: RoomMember): void {
    this.members.add(member);
  }

  remove(member: RoomMember): void {
    this.members.delete(member);
  }

  /** What a replica with `stateVector` lacks. */
  missingFor(stateVector: Uint8Array): Uint8Array {
    this.encodedState ??= Y.encodeStateAsUpdate(this.doc);
    return Y.diffUpdate(this.encodedState, stateVector);
  }

  /** Sends a stored change to every member. */
  relay(update: Uint8Array): void {
    this.encodedState = null;
    const message = updateMessage(update);
    for (const member of this.members) member.send(message);
  }

  /** Closes the connections of one holder (a removed participant, a renewed projector link), or all. */
  disconnect(holder: string | null, code: number, reason: string): void {
    closeMembers(this.members, holder, code, reason);
  }
}

export class SessionRooms {
  private readonly rooms = new Map<string, Promise<SessionRoom>>();
  /** Deleted sessions: their document is never loaded or written again. */
  private readonly gone = new Set<string>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();
  private readonly storedListeners = new Set<(sessionId: string, state: Uint8Array) => void>();
  /** Whether this process may load (and so claim) a session's document (RoomHost.onlyLoadWhen). */
  private mayLoad: (sessionId: string) => boolean = () => true;

  constructor(
    private readonly store: Store,
    private readonly health: StorageHealth,
  ) {}

  async acquire(sessionId: string): Promise<SessionRoom> {
    if (this.gone.has(sessionId)) throw new Error(`session ${sessionId} was deleted`);
    clearTimeout(this.idleTimers.get(sessionId));
    this.idleTimers.delete(sessionId);
    let room = this.rooms.get(sessionId);
    if (!room) {
      if (!this.mayLoad(sessionId)) throw new NotOwnerError();
      // Claimed before it is read, as a board is: a former writer can save nothing after.
      room = this.store.claimSessionDoc(sessionId).then(async (fence) => {
        const state = await this.store.loadSessionDoc(sessionId);
        const doc = new Y.Doc();
        if (state) Y.applyUpdate(doc, state);
        return new SessionRoom(sessionId, doc, fence);
      });
      this.rooms.set(sessionId, room);
      room.catch(() => this.rooms.delete(sessionId));
    }
    return room;
  }

  /** Loads only the documents `check` allows: in a cluster, those of the sessions this process owns. */
  onlyLoadWhen(check: (sessionId: string) => boolean): void {
    this.mayLoad = check;
  }

  /** Called when a connection leaves; unloads the room once it stays empty (everything is stored). */
  release(room: SessionRoom): void {
    if (room.dropped || room.size > 0 || this.idleTimers.has(room.sessionId)) return;
    const timer = setTimeout(() => {
      this.idleTimers.delete(room.sessionId);
      if (room.dropped || room.size > 0) return;
      this.rooms.delete(room.sessionId);
      room.doc.destroy();
    }, IDLE_UNLOAD_MS);
    timer.unref();
    this.idleTimers.set(room.sessionId, timer);
  }

  /**
   * Changes the session document as the server and resolves once the change is stored and sent.
   * The write happens in the same turn as the change, so no sync request can hand it out before;
   * if the store refuses it, the room is dropped (its members reconnect and read what is stored)
   * and the caller hears why.
   */
  async change<T>(sessionId: string, work: (doc: Y.Doc) => T): Promise<T> {
    if (this.health.failing) throw new StorageUnavailableError();
    const room = await this.acquire(sessionId);
    const updates: Uint8Array[] = [];
    const collect = (update: Uint8Array) => updates.push(update);
    room.doc.on('update', collect);
    let result: T;
    try {
      result = work(room.doc);
    } finally {
      room.doc.off('update', collect);
    }
    const state = updates.length > 0 ? Y.encodeStateAsUpdate(room.doc) : null;
    try {
      if (state && !(await this.store.saveSessionDoc(sessionId, state, room.fence))) {
        throw new FencedOutError(room.name, room.fence);
      }
    } catch (error) {
      this.drop(room);
      throw error;
    }
    if (state) {
      room.relay(Y.mergeUpdates(updates));
      for (const listener of this.storedListeners) listener(sessionId, state);
    }
    this.release(room);
    return result;
  }

  /** Calls `listener` with the whole state after every stored change (the cluster's replicas). */
  onStoredState(listener: (sessionId: string, state: Uint8Array) => void): void {
    this.storedListeners.add(listener);
  }

  /** Forgets the session's document: another process writes it from now on (cluster). */
  letGo(sessionId: string): void {
    clearTimeout(this.idleTimers.get(sessionId));
    this.idleTimers.delete(sessionId);
    const room = this.rooms.get(sessionId);
    this.rooms.delete(sessionId);
    void room?.then(
      (loaded) => this.drop(loaded),
      () => undefined,
    );
  }

  /** Closes a holder's connections to every loaded session document. */
  async disconnect(holder: string, code: number, reason: string): Promise<void> {
    const rooms = await Promise.allSettled(this.rooms.values());
    for (const room of rooms) {
      if (room.status === 'fulfilled') room.value.disconnect(holder, code, reason);
    }
  }

  /** Unloads the session's document at once, its connections closed: the session is being deleted. */
  async evict(sessionId: string, code: number, reason: string): Promise<void> {
    this.gone.add(sessionId);
    clearTimeout(this.idleTimers.get(sessionId));
    this.idleTimers.delete(sessionId);
    const room = this.rooms.get(sessionId);
    this.rooms.delete(sessionId);
    const loaded = await room?.catch(() => undefined);
    if (!loaded) return;
    loaded.dropped = true;
    loaded.disconnect(null, code, reason);
    loaded.doc.destroy();
  }

  closeAll(): void {
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    this.rooms.clear();
  }

  private drop(room: SessionRoom): void {
    room.dropped = true;
    this.rooms.delete(room.sessionId);
    room.disconnect(null, ROOM_CLOSE.shuttingDown, 'the change could not be saved; reconnect');
    room.doc.destroy();
  }
}
