/**
 * Keeps the live rooms: loads a board's room on its first connection, and
 * saves and unloads it a little while after its last one leaves.
 */
import { ROOM_CLOSE } from '@kaptar/protocol';
import type { FastifyBaseLogger } from 'fastify';
import {
  BoardGoneError,
  ChangeHeldError,
  NotOwnerError,
  StorageUnavailableError,
} from '../storage/errors.js';
import type { StorageHealth } from '../storage/health.js';
import type { Store } from '../storage/store.js';
import { type PrivateListener, Room, type StoredListener } from './room.js';
import { UpdateWriter } from './update-writer.js';

/** Keeps a room warm across the short disconnects of phones on mobile data. */
const IDLE_UNLOAD_MS = 30_000;

export class RoomHost {
  private readonly rooms = new Map<string, Promise<Room>>();
  /**
   * Boards of deleted sessions (or fenced out by a newer writer): a room of theirs could only fail
   * to save, so nothing loads them again and a late command is refused, not stored.
   */
  private readonly gone = new Set<string>();
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();
  private readonly writer: UpdateWriter;
  private readonly privateListeners = new Set<PrivateListener>();
  private readonly storedListeners = new Set<StoredListener>();
  /** Whether this process may load (and so claim) a board: in a cluster, only where its session is owned. */
  private mayLoad: (boardId: string) => Promise<boolean> = async () => true;

  constructor(
    private readonly store: Store,
    private readonly log: FastifyBaseLogger,
    private readonly health: StorageHealth,
  ) {
    this.writer = new UpdateWriter(store, log, health);
  }

  async acquire(boardId: string): Promise<Room> {
    if (this.gone.has(boardId)) throw new BoardGoneError(boardId);
    const timer = this.idleTimers.get(boardId);
    if (timer) clearTimeout(timer);
    this.idleTimers.delete(boardId);
    let room = this.rooms.get(boardId);
    // A room that lost its board (a newer writer claimed it) is read afresh from the store; another
    // caller may have done so meanwhile.
    if (room && (await room.catch(() => null))?.lost) {
      if (this.rooms.get(boardId) === room) this.rooms.delete(boardId);
      room = this.rooms.get(boardId);
    }
    if (!room) {
      // A room being unloaded must finish saving before it is read back.
      room = (this.unloading.get(boardId) ?? Promise.resolve()).then(async () => {
        if (!(await this.mayLoad(boardId))) throw new NotOwnerError();
        return Room.load(boardId, this.store, this.writer, this.log, {
          onPrivate: (id, participants) => {
            for (const listener of this.privateListeners) listener(id, participants);
          },
          onStored: (id, update, order) => {
            for (const listener of this.storedListeners) listener(id, update, order);
          },
        });
      });
      this.rooms.set(boardId, room);
      room.catch(() => this.rooms.delete(boardId));
    }
    return room;
  }

  /** Calls `listener` whenever a stored change touched a board's private state (control plane). */
  onPrivateChange(listener: PrivateListener): void {
    this.privateListeners.add(listener);
  }

  /**
   * Loads only the boards `check` allows. In a cluster a process that lost a session (or never had
   * it) must not load its boards for a late caller: each load claims the board, and would fence its
   * real owner out until that one claimed it back.
   */
  onlyLoadWhen(check: (boardId: string) => Promise<boolean>): void {
    this.mayLoad = check;
  }

  /** Calls `listener` with every stored update of every board (the cluster's replicas). */
  onStoredUpdate(listener: StoredListener): void {
    this.storedListeners.add(listener);
  }

  /** Called when a connection leaves; unloads the room once it stays empty. */
  release(room: Room): void {
    if (room.size > 0 || this.idleTimers.has(room.boardId)) return;
    const timer = setTimeout(() => void this.unload(room), IDLE_UNLOAD_MS);
    timer.unref();
    this.idleTimers.set(room.boardId, timer);
  }

  /**
   * Runs `work` on the board's live document (loading it if needed), then
   * lets the room unload again if nobody is connected. Used by the control
   * plane, which writes votes and settings as the server.
   */
  async withRoom<T>(boardId: string, work: (room: Room) => T | Promise<T>): Promise<T> {
    const room = await this.acquire(boardId);
    try {
      return await work(room);
    } finally {
      // What the work wrote to private state alone goes to the store like any update.
      room.logPrivate();
      this.release(room);
    }
  }

  /**
   * Changes the board as the server (a vote, a phase, a removal) and resolves once the change is
   * on disk, so an acknowledgement means "saved", as a relayed edit does. While the disk refuses
   * writes nothing is changed; if it starts refusing during the save, the change is held and
   * retried like any edit, and the caller hears so (ChangeHeldError).
   */
  async change<T>(boardId: string, work: (room: Room) => T | Promise<T>): Promise<T> {
    if (this.health.failing) throw new StorageUnavailableError();
    const result = await this.withRoom(boardId, work);
    await this.saved();
    return result;
  }

  /** Resolves once every change made so far is on disk; throws ChangeHeldError if the disk failed. */
  async saved(): Promise<void> {
    await this.writer.settled();
    if (this.health.failing) throw new ChangeHeldError();
  }

  /** Closes a participant's connections (`holderOf` their session and id) in every loaded room. */
  async disconnect(holder: string, code: number, reason: string): Promise<void> {
    const rooms = await Promise.allSettled(this.rooms.values());
    for (const room of rooms) {
      if (room.status === 'fulfilled') room.value.disconnect(holder, code, reason);
    }
  }

  /**
   * Unloads the board at once, its connections closed and its changes saved first: its session is
   * being deleted, and nothing may write to it after.
   */
  async evict(boardId: string, code: number, reason: string): Promise<void> {
    this.gone.add(boardId);
    const loaded = await this.takeOut(boardId);
    if (!loaded) return;
    loaded.disconnect(null, code, reason);
    await loaded.close();
  }

  /** Saves and unloads the board's room: another process writes it from now on (cluster). */
  async letGo(boardId: string): Promise<void> {
    const loaded = await this.takeOut(boardId);
    if (!loaded) return;
    loaded.disconnect(null, ROOM_CLOSE.shuttingDown, 'the board moved to another server; reconnect');
    await loaded.close().catch((error: unknown) => {
      this.log.warn({ err: error, boardId }, 'could not save the room of a board another process took over');
    });
  }

  /** Saves every room; used on shutdown. */
  async closeAll(): Promise<void> {
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    const rooms = await Promise.allSettled(this.rooms.values());
    this.rooms.clear();
    await Promise.all(rooms.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
  }

  /** Removes the board's room from the live ones at once; resolves with it once loaded (if it loads). */
  private async takeOut(boardId: string): Promise<Room | undefined> {
    clearTimeout(this.idleTimers.get(boardId));
    this.idleTimers.delete(boardId);
    const room = this.rooms.get(boardId);
    this.rooms.delete(boardId);
    return room?.catch(() => undefined);
  }

  private async unload(room: Room): Promise<void> {
    this.idleTimers.delete(room.boardId);
    if (room.size > 0) return;
    // Changes held while the disk refuses them live only here: a room loaded again from the store
    // would lack them (and answer their intents' replays by applying them a second time).
    if (room.hasUnsaved) return this.release(room);
    this.rooms.delete(room.boardId);
    const done = room.close().catch((error: unknown) => {
      this.log.error({ err: error, boardId: room.boardId }, 'could not save room on unload');
    });
    this.unloading.set(room.boardId, done);
    await done;
    this.unloading.delete(room.boardId);
  }
}
