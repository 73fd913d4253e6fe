/**
 * A board on this device: a read-only replica of the server's document, kept in IndexedDB
 * (works offline) and synced over y-websocket, with this person's pending intents (the outbox)
 * drawn over it. The replica is never written here: what the views show is the replica plus
 * the pending intents, applied by the same operations the server runs.
 */
import {
  applyIntent,
  type BoardMeta,
  type Card,
  type Group,
  type IntentAuthor,
  listGroups,
  observeCards,
  observeMeta,
  observeVotes,
  PlainBoard,
  readMeta,
  votesOf,
  voteTotals,
} from '@kaptar/board';
import { type IntentEffect, intentBody, ROOM_CLOSE, YJS_PATH } from '@kaptar/protocol';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { type LinkState, linkState } from './link-state.js';
import { Outbox, type SendIntents } from './outbox.svelte.js';
import { replicaName, sendLegacyCards } from './replica-names.js';

export function websocketBase(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
}

function sameCard(a: Card, b: Card): boolean {
  return (
    a.text === b.text &&
    a.x === b.x &&
    a.y === b.y &&
    a.groupId === b.groupId &&
    a.kind === b.kind &&
    a.site === b.site &&
    a.authorId === b.authorId &&
    a.createdAt === b.createdAt
  );
}

/**
 * The new card list with each unchanged card's previous object: views compare cards by
 * identity, so a change to one card of hundreds redraws that card, not all of them.
 */
function keepUnchanged(previous: Card[], next: Card[]): Card[] {
  const known = new Map(previous.map((card) => [card.id, card]));
  return next.map((card) => {
    const old = known.get(card.id);
    return old && sameCard(old, card) ? old : card;
  });
}

const byTime = (a: Card, b: Card) => a.createdAt - b.createdAt || a.id.localeCompare(b.id);

export interface BoardSyncOptions {
  boardId: string;
  token: string;
  /** The board's epoch (from the session's board list): a replica of another epoch is not used. */
  epoch: string;
  author: IntentAuthor;
  sendIntents: SendIntents;
}

export class BoardSync {
  readonly doc = new Y.Doc();
  readonly outbox: Outbox;
  cards = $state.raw<Card[]>([]);
  groups = $state.raw<Group[]>([]);
  meta = $state.raw<BoardMeta>(readMeta(this.doc));
  /** cardId -> total votes. */
  totals = $state.raw(new Map<string, number>());
  /** cardId -> this device's participant's votes. */
  mine = $state.raw(new Map<string, number>());
  link = $state<LinkState>('connecting');
  /** The server rebuilt the board (new epoch): this replica must be dropped; the page reloads. */
  stale = $state(false);

  private provider: WebsocketProvider | null = null;
  private readonly local: IndexeddbPersistence;
  private readonly stops: Array<() => void>;
  private replicaCards: Card[] = [];
  private everConnected = false;
  private destroyed = false;
  private readonly refreshLink = () => {
    const socketOpen = this.provider?.wsconnected ?? false;
    const synced = this.provider?.synced ?? false;
    this.everConnected ||= socketOpen && synced;
    this.link = linkState({
      browserOnline: navigator.onLine,
      socketOpen,
      synced,
      everConnected: this.everConnected,
    });
  };

  constructor(private readonly options: BoardSyncOptions) {
    const { boardId, author } = options;
    const me = author.actor.participantId;
    // One replica per person and epoch: a moderator and a participant testing in one browser
    // keep their own outboxes, and a rebuilt board starts from a fresh replica.
    this.local = new IndexeddbPersistence(replicaName(boardId, options.epoch, me), this.doc);
    this.outbox = new Outbox(
      `${boardId}:${me}`,
      options.epoch,
      options.sendIntents,
      (effect) => this.holds(effect),
      () => this.draw(),
    );
    const readVotes = () => {
      this.totals = voteTotals(this.doc);
      this.mine = votesOf(this.doc, me);
    };
    this.stops = [
      observeCards(this.doc, (cards) => {
        this.replicaCards = cards;
        // Settling redraws when it drops anything; otherwise draw here, once.
        if (!this.outbox.settle()) this.draw();
        // A deleted card's votes stop counting.
        readVotes();
      }),
      observeMeta(this.doc, (meta) => {
        this.meta = meta;
        this.draw();
      }),
      observeVotes(this.doc, readVotes),
    ];
    // The replica is loaded from IndexedDB before the provider exists: otherwise the provider would
    // send all of it to the server as an update (which the server drops, as from any client).
    void this.local.whenSynced.then(() => this.connect());
    addEventListener('online', this.refreshLink);
    addEventListener('offline', this.refreshLink);
    this.refreshLink();
  }

  /** Redraws the views from the replica and the pending intents. Svelte tracks `outbox.entries`. */
  draw(): void {
    const pending = this.outbox.pending;
    const groups = listGroups(this.doc);
    // Nothing pending, the common case: the replica as it is, without copying the board.
    if (pending.length === 0) {
      this.cards = keepUnchanged(this.cards, this.replicaCards);
      this.groups = groups;
      return;
    }
    const view = new PlainBoard(this.replicaCards, groups, this.meta);
    for (const entry of pending) {
      try {
        applyIntent(view, this.options.author, intentBody(entry.intent), entry.madeAt);
      } catch {
        // The server will refuse it too, and the outbox will say why; nothing to draw meanwhile.
      }
    }
    this.cards = keepUnchanged(this.cards, view.cards().sort(byTime));
    this.groups = view.groups().sort((a, b) => a.id.localeCompare(b.id));
  }

  /** A copy of what the views show, for checking an intent before it is queued. */
  view(): PlainBoard {
    return new PlainBoard(this.cards, this.groups, this.meta);
  }

  destroy(): void {
    this.destroyed = true;
    removeEventListener('online', this.refreshLink);
    removeEventListener('offline', this.refreshLink);
    for (const stop of this.stops) stop();
    this.outbox.destroy();
    this.provider?.destroy();
    void this.local.destroy();
    this.doc.destroy();
  }

  private holds(effect: IntentEffect): boolean {
    return Y.getState(this.doc.store, effect.client) >= effect.clock;
  }

  private connect(): void {
    if (this.destroyed) return;
    const { boardId, token, epoch, author } = this.options;
    const provider = new WebsocketProvider(websocketBase() + YJS_PATH, boardId, this.doc, {
      params: { token, epoch },
      // Tabs sync through the server only: each holds its own person's replica.
      disableBc: true,
    });
    this.provider = provider;
    // The board shows no cursors: no awareness state, so the provider never sends one.
    provider.awareness.setLocalState(null);
    provider.on('status', this.refreshLink);
    provider.on('sync', (synced: boolean) => {
      this.refreshLink();
      if (synced) void sendLegacyCards(boardId, author.actor.participantId, this.doc, this.outbox);
    });
    provider.on('connection-close', (event: CloseEvent | null) => {
      if (event?.code !== ROOM_CLOSE.staleReplica) return;
      provider.disconnect();
      this.stale = true;
    });
    this.refreshLink();
  }
}
