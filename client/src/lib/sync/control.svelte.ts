/**
 * The socket.io control plane on this device: the live participant list, the server's clock,
 * what only this person may see of a board (private views), and every change of the board
 * (intents, votes, settings, removals), each answered by an acknowledgement.
 */

import type { PresenterFocus } from '@kaptar/board';
import {
  type Ack,
  BoardList,
  type BoardSettingsCommand,
  type ClientToServerEvents,
  FacilitationView,
  type InitiativeCommand,
  type Intent,
  type IntentResult,
  isValid,
  PresenceList,
  PrivateView,
  type ServerToClientEvents,
  type TimerCommand,
} from '@kaptar/protocol';
import { io, type Socket } from 'socket.io-client';

const ACK_TIMEOUT_MS = 8000;

/** Refusals of a whole batch that sending it again cannot change (a closed session: until reopened, shown as refused). */
const FINAL_BATCH_REFUSALS = [
  'invalid-payload',
  'forbidden',
  'unknown-board',
  'not-a-resident',
  'session-closed',
] as const;

/** What a command's refusal looks like when the server could not be reached. */
const OFFLINE = { ok: false, code: 'rate-limited', error: 'offline' } as const satisfies Ack;

/**
 * socket.io waits longer after each failed attempt (by default up to 5 s): after a drop in the
 * signal the outbox would stay unsent for seconds once it is back. Kept short, and the browser's
 * `online` event tries at once.
 */
const RECONNECTION_DELAY_MAX_MS = 2000;

/** A private view, or the moderator's facilitation view, of one board. */
export interface PrivateUpdate {
  mine?: PrivateView;
  facilitation?: FacilitationView;
}

export class ControlSync {
  people = $state.raw<PresenceList>([]);
  /** The session's boards in order; archived ones flagged. */
  boards = $state.raw<BoardList>([]);
  connected = $state(false);
  /** Set when the moderator removed this participant from the session. */
  removed = $state(false);
  /** ...because the moderator deleted the whole session. */
  sessionDeleted = $state(false);
  /** Server clock minus this device's clock, in ms (phones' clocks are often wrong). */
  clockOffset = $state(0);
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private readonly onConnect = new Set<() => void>();
  private readonly onPrivate = new Set<(boardId: string, update: PrivateUpdate) => void>();
  /** Back online: try now instead of when the backoff says (`connect()` alone waits for it). */
  private readonly onOnline = () => {
    if (this.socket.connected) return;
    this.socket.disconnect();
    this.socket.connect();
  };

  constructor(token: string) {
    this.socket = io({
      path: '/socket.io/',
      auth: { token },
      reconnectionDelayMax: RECONNECTION_DELAY_MAX_MS,
    });
    addEventListener('online', this.onOnline);
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
    this.socket.on('removed', (reason) => {
      this.removed = true;
      this.sessionDeleted = reason?.sessionDeleted === true;
    });
    this.socket.on('private', (view) => {
      if (isValid(PrivateView, view)) this.tellPrivate(view.boardId, { mine: view });
    });
    this.socket.on('facilitation', (view) => {
      if (isValid(FacilitationView, view)) this.tellPrivate(view.boardId, { facilitation: view });
    });
  }

  /** Calls `listener` with every private or facilitation view received; returns the unsubscribe. */
  whenPrivate(listener: (boardId: string, update: PrivateUpdate) => void): () => void {
    this.onPrivate.add(listener);
    return () => this.onPrivate.delete(listener);
  }

  /**
   * Asks for this person's private views of a board; they reach the `whenPrivate` listeners.
   * Answers the acknowledgement (a refusal, or "offline").
   */
  async askPrivate(boardId: string): Promise<Ack> {
    const ack = await this.ask<Ack<{ mine: PrivateView; facilitation?: FacilitationView }>>((reply) =>
      this.socket.emit('board:private', { boardId }, reply),
    );
    if (!ack.ok) return ack;
    const { mine, facilitation } = ack as { mine: unknown; facilitation?: unknown };
    const update: PrivateUpdate = {};
    if (isValid(PrivateView, mine) && mine.boardId === boardId) update.mine = mine;
    if (isValid(FacilitationView, facilitation) && facilitation.boardId === boardId) {
      update.facilitation = facilitation;
    }
    if (update.mine || update.facilitation) this.tellPrivate(boardId, update);
    return ack;
  }

  private tellPrivate(boardId: string, update: PrivateUpdate): void {
    for (const listener of this.onPrivate) listener(boardId, update);
  }

  /** Calls `listener` on every (re)connection; returns the unsubscribe. */
  whenConnected(listener: () => void): () => void {
    this.onConnect.add(listener);
    return () => this.onConnect.delete(listener);
  }

  /**
   * One batch of intents, `onBehalfOf` a resident without a phone (moderator); null when the server
   * could not be reached (the outbox tries again).
   */
  async sendIntents(boardId: string, intents: Intent[], onBehalfOf?: string): Promise<IntentResult[] | null> {
    const ack = await this.ask<Ack<{ results: IntentResult[] }>>((reply) =>
      this.socket.emit('intents', { boardId, intents, ...(onBehalfOf ? { onBehalfOf } : {}) }, reply),
    );
    if (ack.ok) return (ack as { results: IntentResult[] }).results;
    // The whole batch was refused for good (a bad payload, the projector, a board of another
    // session): each intent is. Anything else (offline, rate, disk, a server error) passes.
    if (!(FINAL_BATCH_REFUSALS as readonly string[]).includes(ack.code)) return null;
    const code = ack.code as (typeof FINAL_BATCH_REFUSALS)[number];
    return intents.map((intent) => ({ id: intent.id, ok: false, code, error: ack.error, final: true }));
  }

  /** One vote, or (`onBehalfOf`, moderator) one paper vote of a resident without a phone. */
  vote(boardId: string, cardId: string, delta: 1 | -1, onBehalfOf?: string) {
    return this.ask<Ack<{ onCard: number; remaining: number }>>((ack) =>
      this.socket.emit('vote', { boardId, cardId, delta, ...(onBehalfOf ? { onBehalfOf } : {}) }, ack),
    );
  }

  /**
   * Moderator: a resident without a phone's private view of a board (their ballot), to enter their
   * paper votes; kept apart from this person's own views (no `whenPrivate` listener hears it).
   */
  async residentView(boardId: string, onBehalfOf: string): Promise<Ack<{ mine: PrivateView }>> {
    const ack = await this.ask<Ack<{ mine: PrivateView }>>((reply) =>
      this.socket.emit('board:private', { boardId, onBehalfOf }, reply),
    );
    if (!ack.ok) return ack;
    const { mine } = ack as { mine: unknown };
    return isValid(PrivateView, mine) && mine.boardId === boardId ? { ok: true, mine } : OFFLINE;
  }

  /** Moderator: a resident taking part without a phone; answers their participant id. */
  addResident(name: string, site: string) {
    return this.ask<Ack<{ participantId: string }>>((ack) =>
      this.socket.emit('session:add-resident', { name, site }, ack),
    );
  }

  settings(boardId: string, settings: BoardSettingsCommand['settings']) {
    return this.ask((ack) => this.socket.emit('board:settings', { boardId, settings }, ack));
  }

  timer(command: TimerCommand) {
    return this.ask((ack) => this.socket.emit('board:timer', command, ack));
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

  /** The projector shows this board (the session document's `screen`). */
  sessionScreen(boardId: string) {
    return this.ask((ack) => this.socket.emit('session:screen', { boardId }, ack));
  }

  /** The projector shows the session's initiatives (or its board again), until another board is shown. */
  sessionScreenInitiatives(shown: boolean) {
    return this.ask((ack) => this.socket.emit('session:screen', { initiatives: shown }, ack));
  }

  /**
   * One change of the session's initiatives (its ids made on this device, so sending it again
   * after a lost answer changes nothing); `onBehalfOf` a resident without a phone.
   */
  initiative(command: InitiativeCommand) {
    return this.ask((ack) => this.socket.emit('initiative', command, ack));
  }

  /** An initiative's follow-up page token; `renew` (moderator) revokes the old link. */
  initiativeLink(initiativeId: string, renew: boolean) {
    return this.ask<Ack<{ token: string }>>((ack) =>
      this.socket.emit('initiative:link', renew ? { initiativeId, renew } : { initiativeId }, ack),
    );
  }

  /** Every phone, and the projector, goes to this board. */
  sessionBring(boardId: string) {
    return this.ask((ack) => this.socket.emit('session:bring', { boardId }, ack));
  }

  /** Puts a card or group on the big screen, or (null) takes it off. */
  sessionFocus(focus: PresenterFocus | null) {
    return this.ask((ack) => this.socket.emit('session:focus', focus ?? { clear: true }, ack));
  }

  /** Closes the session for writing at the end of the day (its pages stay), or opens it again. */
  closeSession(closed: boolean) {
    return this.ask((ack) => this.socket.emit('session:close', { closed }, ack));
  }

  /** A new projector link; the old one stops working. */
  renewProjectorLink() {
    return this.ask<Ack<{ viewerToken: string }>>((ack) =>
      this.socket.emit('session:renew-projector-link', {}, ack),
    );
  }

  destroy(): void {
    removeEventListener('online', this.onOnline);
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
