/**
 * One board's live document: the Y.Doc and awareness shared by every
 * connection on that board. Changes are encoded once and sent to all others.
 */
import type { FastifyBaseLogger } from 'fastify';
import { Awareness, removeAwarenessStates } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { mergeAll } from '../storage/merge.js';
import type { Store } from '../storage/store.js';
import { BoardLog, type LoggedUpdate, loadBoardDoc } from './board-log.js';
import { awarenessMessage, syncStep1Message, updateMessage } from './messages.js';
import type { UpdateWriter } from './update-writer.js';

/** What a room needs from a connection: who it is, a way to send, and the awareness ids it controls. */
export interface RoomMember {
  readonly participantId: string;
  readonly awarenessIds: Set<number>;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/**
 * Awareness changes go out together at most this often: a y-websocket client renews its state
 * every 15 s, and with hundreds on a board one message per change would flood every phone.
 */
const AWARENESS_BATCH_MS = 50;

export class Room {
  readonly awareness: Awareness;
  private readonly members = new Set<RoomMember>();
  private readonly awarenessChanged = new Set<number>();
  private awarenessTimer: NodeJS.Timeout | null = null;

  private readonly boardLog: BoardLog;

  private constructor(
    readonly boardId: string,
    readonly doc: Y.Doc,
    makeLog: (onStored: (batch: LoggedUpdate[], merged: Uint8Array) => void) => BoardLog,
  ) {
    this.awareness = new Awareness(doc);
    // The server is not a user: it has no awareness state of its own.
    this.awareness.setLocalState(null);
    // Stored first, relayed second: what any client holds, the server can give back after a crash.
    this.boardLog = makeLog((batch, merged) => this.relay(batch, merged));
    doc.on('update', (update: Uint8Array, origin: unknown) => this.boardLog.append({ update, origin }));
    this.awareness.on('update', (change: AwarenessChange, origin: unknown) => {
      if (isMember(origin)) {
        for (const id of change.added) origin.awarenessIds.add(id);
        for (const id of change.removed) origin.awarenessIds.delete(id);
      }
      for (const id of [...change.added, ...change.updated, ...change.removed]) this.awarenessChanged.add(id);
      this.awarenessTimer ??= setTimeout(() => this.sendAwareness(), AWARENESS_BATCH_MS);
    });
  }

  static async load(
    boardId: string,
    store: Store,
    writer: UpdateWriter,
    log: FastifyBaseLogger,
  ): Promise<Room> {
    const { doc, logLength } = await loadBoardDoc(store, boardId);
    return new Room(
      boardId,
      doc,
      (onStored) => new BoardLog(boardId, store, writer, doc, logLength, log, onStored),
    );
  }

  get size(): number {
    return this.members.size;
  }

  add(member: RoomMember): void {
    this.members.add(member);
  }

  remove(member: RoomMember): void {
    if (!this.members.delete(member)) return;
    // Others stop seeing this person's cursor at once instead of after the 30 s timeout.
    removeAwarenessStates(this.awareness, [...member.awarenessIds], null);
  }

  flush(): Promise<void> {
    return this.boardLog.flush();
  }

  /** What the document holds beyond the store: with the stored board, the whole board now. */
  unsavedUpdates(): Uint8Array[] {
    return this.boardLog.unsaved();
  }

  /**
   * Asks every client for what the server lacks. Used when edits held back
   * (locked board, closed phase) become acceptable: clients send them again.
   */
  resync(): void {
    this.broadcast(syncStep1Message(this.doc));
  }

  /** Closes the connections of one participant (removed from the session). */
  disconnect(participantId: string, code: number, reason: string): void {
    for (const member of this.members) {
      if (member.participantId === participantId) member.close(code, reason);
    }
  }

  async close(): Promise<void> {
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer);
    await this.flush();
    this.awareness.destroy();
    this.doc.destroy();
  }

  /**
   * Sends a stored batch on as one message (`merged`, as stored), encoded once for everyone: under
   * load that is one send per member per batch instead of one per edit. Members whose own edits
   * are in the batch get the others' edits only.
   */
  private relay(batch: LoggedUpdate[], merged: Uint8Array): void {
    const message = updateMessage(merged);
    const authors = new Set(batch.map((entry) => entry.origin));
    for (const member of this.members) {
      if (!authors.has(member)) {
        member.send(message);
        continue;
      }
      const others = batch.filter((entry) => entry.origin !== member).map((entry) => entry.update);
      if (others.length > 0) member.send(updateMessage(mergeAll(others)));
    }
  }

  private sendAwareness(): void {
    this.awarenessTimer = null;
    const changed = [...this.awarenessChanged];
    this.awarenessChanged.clear();
    this.broadcast(awarenessMessage(this.awareness, changed));
  }

  private broadcast(message: Uint8Array): void {
    for (const member of this.members) member.send(message);
  }
}

function isMember(value: unknown): value is RoomMember {
  return typeof value === 'object' && value !== null && 'awarenessIds' in value;
}
