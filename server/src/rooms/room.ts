/**
 * One board's live document, written by the server alone: intents and the moderator's commands
 * change it here, each change is stored, then relayed to every connection as read-only replicas.
 */
import {
  applyIntent,
  type BoardIntent,
  type IntentAuthor,
  type PrivateChange,
  PrivateState,
  publishTallies,
  RecordingModel,
  ServerBoard,
} from '@kaptar/board';
import { type IntentEffect, ROOM_CLOSE } from '@kaptar/protocol';
import type { FastifyBaseLogger } from 'fastify';
import * as Y from 'yjs';
import type { BoardGoneError, FencedOutError } from '../storage/errors.js';
import type { Store, StoredIntent } from '../storage/store.js';
import { BoardLog, loadBoardDoc } from './board-log.js';
import { updateMessage } from './messages.js';
import type { LoggedUpdate, UpdateWriter } from './update-writer.js';

/** What a room needs from a connection: who it is, a way to send, a way to close. */
export interface RoomMember {
  /** The token's holder, `holderOf` its session and participant: ids are unique within a session only. */
  readonly holder: string;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

/** Closes the connections of one holder among `members`, or all of them (null). */
export function closeMembers(
  members: Iterable<RoomMember>,
  holder: string | null,
  code: number,
  reason: string,
): void {
  for (const member of members) {
    if (holder === null || member.holder === holder) member.close(code, reason);
  }
}

/** The origin of a transaction made for an intent: its record goes to the store with the update. */
class IntentOrigin {
  logged = false;
  constructor(readonly record: StoredIntent) {}
}

/** Told, once stored, whose private state changed (and that the moderator's view did). */
export type PrivateListener = (boardId: string, participantIds: Set<string>) => void;
/**
 * Told each stored update of the document, numbered from 1 by this room under its fencing number
 * (in a cluster they go to the other processes' replicas: cluster/replicas.ts).
 */
export type StoredListener = (
  boardId: string,
  update: Uint8Array,
  order: { fence: number; n: number },
) => void;

/** Who hears of a room's stored changes. */
export interface RoomListeners {
  onPrivate: PrivateListener;
  onStored: StoredListener;
}

export class Room {
  private readonly members = new Set<RoomMember>();
  private readonly boardLog: BoardLog;
  /** Intents applied but not stored yet; once stored, the store answers for them. */
  private readonly unsavedIntents = new Map<string, StoredIntent>();
  /** Stored updates relayed so far (StoredListener). */
  private relayed = 0;
  /** When the last intent was applied (server clock, ms), strictly increasing. */
  private lastChangeAt = 0;
  /** The whole state, encoded once per version of the document for every sync request. */
  private encodedState: Uint8Array | null = null;
  /**
   * Why this room can store nothing more (its board was deleted, or another writer claimed it):
   * what it applied since is not kept, so it is answered as unsaved and the room is loaded afresh.
   */
  lost: BoardGoneError | FencedOutError | null = null;

  /** The shared document with what only the server may know of it (drafts, authors, ballots). */
  readonly board: ServerBoard;

  private constructor(
    readonly boardId: string,
    readonly doc: Y.Doc,
    secrets: PrivateState,
    makeLog: (
      onStored: (batch: LoggedUpdate[], merged: Uint8Array | null, fence: number) => void,
      onRefused: (error: BoardGoneError | FencedOutError) => void,
    ) => BoardLog,
    private readonly listeners: RoomListeners,
    /** The ids of the intents stored with the board: only these are looked up in the store. */
    private readonly storedIntentIds: Set<string>,
  ) {
    this.board = new ServerBoard(doc, secrets);
    // Stored first, relayed second: what any client holds, the server can give back after a crash.
    this.boardLog = makeLog(
      (batch, merged, fence) => this.relay(batch, merged, fence),
      (error) => {
        this.lost = error;
        // Replicas hold nothing it could not store (relayed only once stored): they reconnect to a fresh room.
        this.disconnect(null, ROOM_CLOSE.shuttingDown, 'the board was reloaded; reconnect');
      },
    );
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.encodedState = null;
      const intents = origin instanceof IntentOrigin ? [origin.record] : [];
      if (origin instanceof IntentOrigin) origin.logged = true;
      // The private state written in the same transaction is stored with it, in one transaction.
      this.boardLog.append({ update, intents, changes: secrets.takeChanges() });
    });
  }

  static async load(
    boardId: string,
    store: Store,
    writer: UpdateWriter,
    log: FastifyBaseLogger,
    listeners: RoomListeners,
  ): Promise<Room> {
    // Claimed before it is read: anything a former writer stored is in what is read, and it can
    // store nothing after.
    const fence = await store.claimBoard(boardId);
    const [{ doc, logLength, seq }, rows, intentIds] = await Promise.all([
      loadBoardDoc(store, boardId),
      store.loadPrivateRows(boardId),
      store.listIntentIds(boardId),
    ]);
    const room = new Room(
      boardId,
      doc,
      new PrivateState(rows),
      (onStored, onRefused) =>
        new BoardLog({ boardId, fence, store, writer, doc, logLength, seq, log }, onStored, onRefused),
      listeners,
      new Set(intentIds),
    );
    // The totals are the ballots' (stored in one transaction with them, so this writes nothing
    // unless a file was edited by hand).
    publishTallies(room.board, !room.board.meta().votesHidden);
    return room;
  }

  /**
   * Logs what a change wrote to private state alone (a hidden vote, a draft), and an intent that
   * changed no document: they are stored like any update, and answered only once stored.
   */
  logPrivate(intent?: { logged: boolean; record: StoredIntent }): void {
    const unlogged = intent && !intent.logged ? [intent.record] : [];
    if (unlogged.length === 0 && !this.board.secrets.hasChanges) return;
    this.boardLog.append({ update: null, intents: unlogged, changes: this.board.secrets.takeChanges() });
  }

  get size(): number {
    return this.members.size;
  }

  /** The room's name in logs (ReadOnlyRoom): its board. */
  get name(): string {
    return this.boardId;
  }

  add(member: RoomMember): void {
    this.members.add(member);
  }

  remove(member: RoomMember): void {
    this.members.delete(member);
  }

  /**
   * Applies one intent as the server, recorded with its answer so that a replay gets the same
   * answer. Throws the board's refusal; nothing is written then.
   */
  applyIntent(intentId: string, author: IntentAuthor, intent: BoardIntent): IntentEffect {
    const participantId = author.actor.participantId;
    const record: StoredIntent = { intentId, participantId, result: '', changes: '' };
    const recorder = new RecordingModel(this.board);
    // Cards are listed by creation time: a batch applied within one millisecond keeps its order.
    const now = Math.max(Date.now(), this.lastChangeAt + 1);
    this.lastChangeAt = now;
    const origin = new IntentOrigin(record);
    // A refusal throws before any write (each operation checks, then applies one patch).
    this.doc.transact(() => applyIntent(recorder, author, intent, now), origin);
    this.logPrivate(origin);
    const effect = { client: this.doc.clientID, clock: Y.getState(this.doc.store, this.doc.clientID) };
    // Read by the writer on a later turn, so they can be filled in after the transaction.
    record.result = JSON.stringify({ id: intentId, ok: true, effect });
    record.changes = JSON.stringify(recorder.changes);
    this.unsavedIntents.set(intentId, record);
    return effect;
  }

  /** One participant's intents applied here and not stored yet, oldest first. */
  unsavedIntentsBy(participantId: string): StoredIntent[] {
    return [...this.unsavedIntents.values()].filter((record) => record.participantId === participantId);
  }

  /** The record of an intent applied here and not stored yet. */
  unsavedIntent(intentId: string): StoredIntent | undefined {
    return this.unsavedIntents.get(intentId);
  }

  /** Whether the store holds an answer to the intent (it was applied here, or before this room). */
  hasStoredIntent(intentId: string): boolean {
    return this.storedIntentIds.has(intentId);
  }

  /** What a replica with `stateVector` lacks; the empty vector (a new replica) gets the cached whole. */
  missingFor(stateVector: Uint8Array): Uint8Array {
    this.encodedState ??= Y.encodeStateAsUpdate(this.doc);
    const empty = stateVector.length === 1 && stateVector[0] === 0;
    return empty ? this.encodedState : Y.diffUpdate(this.encodedState, stateVector);
  }

  flush(): Promise<void> {
    return this.boardLog.flush();
  }

  /** Whether anything applied here (document, private state, an intent) is not stored yet. */
  get hasUnsaved(): boolean {
    return this.boardLog.waiting;
  }

  /** What the document holds beyond the store: with the stored board, the whole board now. */
  unsavedUpdates(): Uint8Array[] {
    return this.boardLog.unsaved();
  }

  /** Closes the connections of one participant (removed from the session), or all (null). */
  disconnect(holder: string | null, code: number, reason: string): void {
    closeMembers(this.members, holder, code, reason);
  }

  async close(): Promise<void> {
    await this.flush();
    this.doc.destroy();
  }

  /**
   * Sends a stored batch on as one message (`merged`, as stored), encoded once for everyone: under
   * load that is one send per member per batch instead of one per edit.
   */
  private relay(batch: LoggedUpdate[], merged: Uint8Array | null, fence: number): void {
    for (const entry of batch) {
      for (const intent of entry.intents) {
        this.unsavedIntents.delete(intent.intentId);
        this.storedIntentIds.add(intent.intentId);
      }
    }
    const changes = batch.flatMap((entry) => entry.changes);
    if (changes.length > 0) this.listeners.onPrivate(this.boardId, concerned(changes));
    if (!merged) return;
    this.relayed += 1;
    this.listeners.onStored(this.boardId, merged, { fence, n: this.relayed });
    const message = updateMessage(merged);
    for (const member of this.members) member.send(message);
  }
}

/** The participants whose private view a batch of changes touched. */
function concerned(changes: PrivateChange[]): Set<string> {
  const ids = new Set<string>();
  for (const change of changes) {
    if (change.kind === 'draft') ids.add(change.authorId);
    else if (change.kind === 'ballot') ids.add(change.participantId);
    else if (change.participantId) ids.add(change.participantId);
  }
  return ids;
}
