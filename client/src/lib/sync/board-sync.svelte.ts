/**
 * A board on this device: the Y.Doc, kept in IndexedDB (works offline) and
 * synced with the server's room over y-websocket. Exposes the board's parts
 * and the connection state as reactive values for the views.
 */
import {
  type BoardMeta,
  type Card,
  type Group,
  listGroups,
  observeCards,
  observeMeta,
  observeVotes,
  readMeta,
  votesOf,
  voteTotals,
} from '@kaptar/board';
import { YJS_PATH } from '@kaptar/protocol';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { type LinkState, linkState } from './link-state.js';

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

export class BoardSync {
  readonly doc = new Y.Doc();
  cards = $state.raw<Card[]>([]);
  groups = $state.raw<Group[]>([]);
  meta = $state.raw<BoardMeta>(readMeta(this.doc));
  /** cardId -> total votes. */
  totals = $state.raw(new Map<string, number>());
  /** cardId -> this device's participant's votes. */
  mine = $state.raw(new Map<string, number>());
  link = $state<LinkState>('connecting');

  private readonly provider: WebsocketProvider;
  private readonly local: IndexeddbPersistence;
  private readonly stops: Array<() => void>;
  private everConnected = false;
  private readonly refreshLink = () => {
    const socketOpen = this.provider.wsconnected;
    this.everConnected ||= socketOpen && this.provider.synced;
    this.link = linkState({
      browserOnline: navigator.onLine,
      socketOpen,
      synced: this.provider.synced,
      everConnected: this.everConnected,
    });
  };

  constructor(boardId: string, token: string, participantId: string) {
    // One local copy per person: a moderator and a participant testing in one browser must not
    // hand each other's unsent edits to the server under the wrong name.
    this.local = new IndexeddbPersistence(`kaptar:board:${boardId}:${participantId}`, this.doc);
    this.provider = new WebsocketProvider(websocketBase() + YJS_PATH, boardId, this.doc, {
      params: { token },
      // Tabs sync through the server only, for the same reason.
      disableBc: true,
    });
    // The board shows no cursors. Without an awareness state the provider stops renewing one
    // every 15 s, which the server would pass on to every other phone on the board.
    this.provider.awareness.setLocalState(null);
    const readVotes = () => {
      this.totals = voteTotals(this.doc);
      this.mine = votesOf(this.doc, participantId);
    };
    this.stops = [
      observeCards(this.doc, (cards) => {
        this.cards = keepUnchanged(this.cards, cards);
        this.groups = listGroups(this.doc);
        // A deleted card's votes stop counting.
        readVotes();
      }),
      observeMeta(this.doc, (meta) => {
        this.meta = meta;
      }),
      observeVotes(this.doc, readVotes),
    ];
    this.provider.on('status', this.refreshLink);
    this.provider.on('sync', this.refreshLink);
    addEventListener('online', this.refreshLink);
    addEventListener('offline', this.refreshLink);
    this.refreshLink();
  }

  destroy(): void {
    removeEventListener('online', this.refreshLink);
    removeEventListener('offline', this.refreshLink);
    for (const stop of this.stops) stop();
    this.provider.destroy();
    void this.local.destroy();
    this.doc.destroy();
  }
}
