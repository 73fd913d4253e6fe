/**
 * One websocket on one board: a read-only replica. The client asks for what it lacks (SyncStep1)
 * and gets it; every update it sends, and its awareness, are dropped after reading the message
 * header only (the server is the only writer: changes come as intents on the control plane).
 * Honest stock providers and y-indexeddb may still send a few, so dropping is silent until a
 * connection has sent more than a small budget of such bytes.
 */
import { ROOM_CLOSE } from '@kaptar/protocol';
import type { FastifyBaseLogger } from 'fastify';
import * as decoding from 'lib0/decoding';
import type { WebSocket } from 'ws';
import { holderOf } from '../auth/connection-limit.js';
import type { Authenticated } from '../auth/plugin.js';
import { type BucketsByKey, TokenBucket } from '../auth/token-bucket.js';
import { MESSAGE, SYNC, syncStep2Message } from './messages.js';
import type { RoomMember } from './room.js';

/** What a connection reads: a board's room or a session document's. */
export interface ReadOnlyRoom {
  /** For the log: the board's id, or the session document's room name. */
  readonly name: string;
  /** What a replica with this state vector lacks. */
  missingFor(stateVector: Uint8Array): Uint8Array;
}

/** A message the server will not process; the connection is closed with `code`. */
export class RoomProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const PING_INTERVAL_MS = 30_000;
/** Messages per second a connection may send, with a burst: an honest replica sends a handful. */
const MESSAGES_PER_SECOND = 100;
const MESSAGE_BURST = 300;
/**
 * Sync requests: each costs the server a diff of the whole board, so a connection gets a few
 * (a stock provider asks once per connection; the server never asks it to resync).
 */
const SYNC_REQUESTS_PER_MINUTE = 6;
const SYNC_REQUEST_BURST = 4;
/** Bytes waiting to be sent to one client beyond which it is cut off (it does not read). */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** Bytes of updates and awareness a connection may send before it is closed as a writer. */
export const DROPPED_BYTES_BUDGET = 64 * 1024;

export class RoomConnection implements RoomMember {
  readonly participantId: string;
  readonly holder: string;
  private alive = true;
  private droppedBytes = 0;
  private readonly budget = new TokenBucket(MESSAGES_PER_SECOND, MESSAGE_BURST);
  private readonly syncBudget = new TokenBucket(SYNC_REQUESTS_PER_MINUTE / 60, SYNC_REQUEST_BURST);
  private readonly pinger: NodeJS.Timeout;

  constructor(
    private readonly socket: WebSocket,
    private readonly room: ReadOnlyRoom,
    readonly principal: Authenticated,
    private readonly log: FastifyBaseLogger,
    /** Sync bytes per link (holder), shared by all its connections. */
    private readonly syncBytes: BucketsByKey,
  ) {
    this.participantId = principal.participantId;
    this.holder = holderOf(principal);
    socket.on('pong', () => {
      this.alive = true;
    });
    // A phone that walked out of coverage never sends a close frame; pings find it.
    this.pinger = setInterval(() => {
      if (!this.alive) return this.socket.terminate();
      this.alive = false;
      this.socket.ping();
    }, PING_INTERVAL_MS);
  }

  /** Handles one message; a bad one closes this connection and nothing else. */
  receive(data: Uint8Array): void {
    if (!this.budget.take()) {
      this.log.warn({ room: this.room.name, participantId: this.participantId }, 'Yjs message flood');
      this.close(ROOM_CLOSE.rateLimited, 'too many messages');
      return;
    }
    try {
      this.handle(data);
    } catch (error) {
      const refusal =
        error instanceof RoomProtocolError
          ? error
          : new RoomProtocolError(ROOM_CLOSE.malformed, 'malformed message');
      this.log.warn(
        { room: this.room.name, participantId: this.participantId, reason: refusal.message },
        'closing Yjs connection',
      );
      this.close(refusal.code, refusal.message);
    }
  }

  send(message: Uint8Array): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    // A client that does not read its socket must not make the server hold its answers without
    // end: closed, it syncs afresh when it reconnects (a phone on 2G drains far below this).
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.log.warn({ room: this.room.name, participantId: this.participantId }, 'Yjs client not reading');
      this.socket.terminate();
      return;
    }
    this.socket.send(message);
  }

  close(code: number, reason: string): void {
    // Close reasons are limited to 123 bytes.
    this.socket.close(code, reason.slice(0, 120));
  }

  dispose(): void {
    clearInterval(this.pinger);
  }

  private handle(data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE.sync:
        this.handleSync(decoder, data.byteLength);
        break;
      case MESSAGE.awareness:
        // The board shows no cursors: nobody's awareness is stored or passed on.
        this.drop(data.byteLength);
        break;
      case MESSAGE.queryAwareness:
      case MESSAGE.auth:
        // No awareness to share; authentication happens once, at the upgrade.
        break;
      default:
        throw new RoomProtocolError(ROOM_CLOSE.malformed, `unknown message type ${type}`);
    }
  }

  private handleSync(decoder: decoding.Decoder, size: number): void {
    const syncType = decoding.readVarUint(decoder);
    switch (syncType) {
      case SYNC.step1:
        if (!this.syncBudget.take()) {
          throw new RoomProtocolError(ROOM_CLOSE.rateLimited, 'too many sync requests');
        }
        {
          const answer = syncStep2Message(this.room.missingFor(decoding.readVarUint8Array(decoder)));
          if (!this.syncBytes.of(this.holder).take(Date.now(), answer.byteLength)) {
            throw new RoomProtocolError(ROOM_CLOSE.rateLimited, 'too many bytes pulled by this link');
          }
          this.send(answer);
        }
        break;
      case SYNC.step2:
      case SYNC.update:
        this.drop(size);
        break;
      default:
        throw new RoomProtocolError(ROOM_CLOSE.malformed, `unknown sync message ${syncType}`);
    }
  }

  /** Counts what a client sent that only the server may write; a writer beyond the budget is closed. */
  private drop(bytes: number): void {
    this.droppedBytes += bytes;
    if (this.droppedBytes > DROPPED_BYTES_BUDGET) {
      throw new RoomProtocolError(
        ROOM_CLOSE.readOnly,
        'this board is read-only over Yjs: send intents on the control plane',
      );
    }
  }
}
