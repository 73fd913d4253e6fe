/**
 * One websocket on one board: reads y-websocket messages, checks every
 * incoming update with the board's guard before applying it, and keeps the
 * socket alive with pings.
 */
import {
  authorshipProblems,
  countCards,
  getCard,
  inspectUpdate,
  MAX_CARDS_PER_BOARD,
  mayAct,
  mayEditBoard,
  readMeta,
} from '@kaptar/board';
import { ROOM_CLOSE } from '@kaptar/protocol';
import type { FastifyBaseLogger } from 'fastify';
import * as decoding from 'lib0/decoding';
import type { WebSocket } from 'ws';
import { applyAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Authenticated } from '../auth/plugin.js';
import { TokenBucket } from '../auth/token-bucket.js';
import { awarenessMessage, MESSAGE, SYNC, syncStep1Message, syncStep2Message } from './messages.js';
import type { Room, RoomMember } from './room.js';

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
/**
 * Messages per second a connection may send, with a burst: typing, dragging and cursors stay
 * far below; a reconnecting phone sends a handful; a flood is cut off.
 */
const MESSAGES_PER_SECOND = 100;
const MESSAGE_BURST = 300;
/** How long a held-back client waits before the server asks it again for what is missing. */
const RESYNC_AFTER_MS = 2000;

export class RoomConnection implements RoomMember {
  readonly awarenessIds = new Set<number>();
  readonly participantId: string;
  private alive = true;
  private readonly budget = new TokenBucket(MESSAGES_PER_SECOND, MESSAGE_BURST);
  private resyncTimer: NodeJS.Timeout | null = null;
  private readonly pinger: NodeJS.Timeout;

  constructor(
    private readonly socket: WebSocket,
    private readonly room: Room,
    readonly principal: Authenticated,
    private readonly log: FastifyBaseLogger,
  ) {
    this.participantId = principal.participantId;
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

  /** Starts the sync: our state vector, and who else is here. */
  start(): void {
    this.send(syncStep1Message(this.room.doc));
    const others = [...this.room.awareness.getStates().keys()];
    if (others.length > 0) this.send(awarenessMessage(this.room.awareness, others));
  }

  /** Handles one message; a bad one closes this connection and nothing else. */
  receive(data: Uint8Array): void {
    if (!this.budget.take()) {
      this.log.warn({ boardId: this.room.boardId, participantId: this.participantId }, 'Yjs message flood');
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
        { boardId: this.room.boardId, participantId: this.principal.participantId, reason: refusal.message },
        'closing Yjs connection',
      );
      this.close(refusal.code, refusal.message);
    }
  }

  send(message: Uint8Array): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(message);
  }

  close(code: number, reason: string): void {
    // Close reasons are limited to 123 bytes.
    this.socket.close(code, reason.slice(0, 120));
  }

  dispose(): void {
    clearInterval(this.pinger);
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
  }

  private handle(data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE.sync:
        this.handleSync(decoder);
        break;
      case MESSAGE.awareness:
        applyAwarenessUpdate(this.room.awareness, decoding.readVarUint8Array(decoder), this);
        break;
      case MESSAGE.queryAwareness:
        this.send(awarenessMessage(this.room.awareness, [...this.room.awareness.getStates().keys()]));
        break;
      case MESSAGE.auth:
        // Authentication happens once, at the upgrade; nothing to do mid-connection.
        break;
      default:
        throw new RoomProtocolError(ROOM_CLOSE.malformed, `unknown message type ${type}`);
    }
  }

  private handleSync(decoder: decoding.Decoder): void {
    const syncType = decoding.readVarUint(decoder);
    switch (syncType) {
      case SYNC.step1:
        this.send(syncStep2Message(this.room.doc, decoding.readVarUint8Array(decoder)));
        break;
      case SYNC.step2:
      case SYNC.update:
        this.applyClientUpdate(decoding.readVarUint8Array(decoder));
        break;
      default:
        throw new RoomProtocolError(ROOM_CLOSE.malformed, `unknown sync message ${syncType}`);
    }
  }

  /**
   * The room's rules for client updates. Updates an honest client never sends
   * (broken invariants, protected roots) close the connection. Updates an
   * honest client may hold from a moment when they were allowed (offline
   * edits arriving on a locked board or in a closed phase) are dropped
   * without closing; the server asks for them again later.
   */
  private applyClientUpdate(update: Uint8Array): void {
    const report = inspectUpdate(this.room.doc, update);
    if (report.problems.length > 0) {
      throw new RoomProtocolError(ROOM_CLOSE.refusedUpdate, `update refused: ${report.problems.join('; ')}`);
    }
    if (report.protectedRoots.size > 0) {
      const roots = [...report.protectedRoots].join(', ');
      throw new RoomProtocolError(
        ROOM_CLOSE.refusedUpdate,
        `update refused: only the server writes ${roots}`,
      );
    }
    const { role, participantId } = this.principal;
    const meta = readMeta(this.room.doc);
    // A full board is like a closed phase: two phones may race for the last place honestly.
    const full = report.newCards > 0 && countCards(this.room.doc) + report.newCards > MAX_CARDS_PER_BOARD;
    // Someone else's card in a participant's update is a forgery, or (after a server crash lost
    // the newest edits) an honest phone passing on what it received: not applied either way, but
    // not closed either, so honest phones do not loop; the author's own phone brings it back.
    const wrongAuthor =
      role === 'participant'
        ? authorshipProblems(report, (cardId) => getCard(this.room.doc, cardId)?.authorId, participantId)
        : [];
    const closed = !mayEditBoard(role, meta) || (report.newCards > 0 && !mayAct(role, 'addCard', meta));
    if (closed || full || wrongAuthor.length > 0) {
      this.log.debug(
        { boardId: this.room.boardId, role, phase: meta.phase, wrongAuthor },
        'update held back',
      );
      this.askAgainLater();
      return;
    }
    Y.applyUpdate(this.room.doc, update, this);
  }

  /**
   * Asks this client, a little later, for what the server still lacks. Edits held back
   * because of someone else's content in the same update pass once that content arrives.
   */
  private askAgainLater(): void {
    this.resyncTimer ??= setTimeout(() => {
      this.resyncTimer = null;
      this.send(syncStep1Message(this.room.doc));
    }, RESYNC_AFTER_MS);
  }
}
