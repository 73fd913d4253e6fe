/**
 * The socket.io control plane on this device: the live participant list, the server's clock,
 * and every change of the board (intents, votes, settings, removals), each answered by an
 * acknowledgement.
 */
import {
  type Ack,
  BoardList,
  type BoardSettingsCommand,
  type ClientToServerEvents,
  type Intent,
  type IntentResult,
  isValid,
  PresenceList,
  type ServerToClientEvents,
} from '@kaptar/protocol';
import { io, type Socket } from 'socket.io-client';

const ACK_TIMEOUT_MS = 8000;

/** Refusals of a whole batch that sending it again cannot change. */
const FINAL_BATCH_REFUSALS = ['invalid-payload', 'forbidden', 'unknown-board'] as const;

/** What a command's refusal looks like when the server could not be reached. */
const OFFLINE: Ack = { ok: false, code: 'rate-limited', error: 'offline' };

export class ControlSync {
  people = $state.raw<PresenceList>([]);
  /** The session's boards in order; archived ones flagged. */
  boards = $state.raw<BoardList>([]);
  connected = $state(false);
  /** Set when the moderator removed this participant from the session. */
  removed = $state(false);
  /** Server clock minus this device's clock, in ms (phones' clocks are often wrong). */
  clockOffset = $state(0);
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private readonly onConnect = new Set<() => void>();

  constructor(token: string) {
    this.socket = io({ path: '/socket.io/', auth: { token } });
    this.socket.on('connect', () => {
      this.connected = true;
      this.syncClock();
      for (const listener of this.onConnect) listener();
    });
    this.socket.on('disconnect', () => {
      this.connected = false;
    });
    this.socket.on('presence', (list) => {
      if (isValid(PresenceList, list)) this.people = list;
    });
    this.socket.on('boards', (list) => {
      if (isValid(BoardList, list)) this.boards = list;
    });
    this.socket.on('removed', () => {
      this.removed = true;
    });
  }

  /** Calls `listener` on every (re)connection; returns the unsubscribe. */
  whenConnected(listener: () => void): () => void {
    this.onConnect.add(listener);
    return () => this.onConnect.delete(listener);
  }

  /** One batch of intents; null when the server could not be reached (the outbox tries again). */
  async sendIntents(boardId: string, intents: Intent[]): Promise<IntentResult[] | null> {
    const ack = await this.ask<Ack<{ results: IntentResult[] }>>((reply) =>
      this.socket.emit('intents', { boardId, intents }, reply),
    );
    if (ack.ok) return (ack as { results: IntentResult[] }).results;
    // The whole batch was refused for good (a bad payload, the projector, a board of another
    // session): each intent is. Anything else (offline, rate, disk, a server error) passes.
    if (!(FINAL_BATCH_REFUSALS as readonly string[]).includes(ack.code)) return null;
    const code = ack.code as (typeof FINAL_BATCH_REFUSALS)[number];
    return intents.map((intent) => ({ id: intent.id, ok: false, code, error: ack.error, final: true }));
  }

  vote(boardId: string, cardId: string, delta: 1 | -1) {
    return this.ask((ack) => this.socket.emit('vote', { boardId, cardId, delta }, ack));
  }

  settings(boardId: string, settings: BoardSettingsCommand['settings']) {
    return this.ask((ack) => this.socket.emit('board:settings', { boardId, settings }, ack));
  }

  timer(boardId: string, durationMs: number) {
    return this.ask((ack) => this.socket.emit('board:timer', { boardId, durationMs }, ack));
  }

  createBoard(title: string, template: string) {
    return this.ask<Ack<{ boardId: string }>>((ack) =>
      this.socket.emit('board:create', { title, template }, ack),
    );
  }

  updateBoard(boardId: string, change: { title?: string; archived?: boolean }) {
    return this.ask((ack) => this.socket.emit('board:update', { boardId, ...change }, ack));
  }

  reorderBoards(boardIds: string[]) {
    return this.ask((ack) => this.socket.emit('board:reorder', { boardIds }, ack));
  }

  undoParticipant(boardId: string, participantId: string) {
    return this.ask<Ack<{ undone: number }>>((ack) =>
      this.socket.emit('board:undo-participant', { boardId, participantId }, ack),
    );
  }

  removeParticipant(participantId: string) {
    return this.ask((ack) => this.socket.emit('session:remove-participant', { participantId }, ack));
  }

  destroy(): void {
    this.socket.disconnect();
  }

  private ask<T extends Ack>(send: (ack: (result: T) => void) => void): Promise<T | Ack> {
    if (!this.socket.connected) return Promise.resolve(OFFLINE);
    return new Promise((resolve) => {
      // An ack never comes over a connection that dropped: answer "offline" at once, not after the timeout.
      const offline = () => finish(OFFLINE);
      const timer = setTimeout(offline, ACK_TIMEOUT_MS);
      const finish = (result: T | Ack) => {
        clearTimeout(timer);
        this.socket.off('disconnect', offline);
        resolve(result);
      };
      this.socket.once('disconnect', offline);
      send(finish);
    });
  }

  /** Half the round trip is the best guess of when the server read its clock. */
  private syncClock(): void {
    const sentAt = Date.now();
    this.socket.emit('clock', (serverNow) => {
      const receivedAt = Date.now();
      if (typeof serverNow === 'number') this.clockOffset = serverNow - (sentAt + receivedAt) / 2;
    });
  }
}
