/**
 * A board on this device: a read-only replica of the server's document, kept in IndexedDB
 * (works offline) and synced over y-websocket, with what only this person may see (their
 * drafts, ballot and own anonymous cards; the moderator's view of every draft) merged into it,
 * and this person's pending intents (the outbox) drawn over both. The replica is never written
 * here: what the views show is the replica plus the private views plus the pending intents,
 * applied by the same operations the server runs.
 */
import {
  applyIntent,
  type BoardMeta,
  type Card,
  type Group,
  type IntentAuthor,
  intentSubjects,
  listGroups,
  observeCards,
  observeMeta,
  observeTallies,
  PlainBoard,
  readMeta,
  voteTotals,
} from '@kaptar/board';
import {
  type FacilitationView,
  type IntentEffect,
  intentBody,
  type PrivateView,
  ROOM_CLOSE,
  YJS_PATH,
} from '@kaptar/protocol';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { type LinkState, linkState } from './link-state.js';
import { type OnBehalf, Outbox, type OutboxEntry, type SendIntents } from './outbox.svelte.js';
import {
  ballotOn,
  loadPrivateViews,
  mergeCards,
  NO_PRIVATE_VIEWS,
  type PrivateViews,
  savePrivateViews,
  stamp,
  visibleDrafts,
} from './private-view.js';
import { replicaName, sendLegacyCards } from './replica-names.js';

export function websocketBase(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
}

function sameCard(a: Card, b: Card): boolean {
  return (
    a.text === b.text &&
    a.area === b.area &&
    a.x === b.x &&
    a.y === b.y &&
    a.groupId === b.groupId &&
    a.kind === b.kind &&
    a.site === b.site &&
    a.authorId === b.authorId &&
    a.enteredBy === b.enteredBy &&
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

/**
 * Who the server applies an intent as: `author` (this person), or the resident without a phone
 * the moderator made it for, with the moderator's mark on their cards (as the server does).
 */
export function intentAuthor(author: IntentAuthor, onBehalfOf: OnBehalf | undefined): IntentAuthor {
  if (!onBehalfOf) return author;
  const { participantId, site } = onBehalfOf;
  return { actor: { participantId, role: 'participant' }, site, enteredBy: author.actor.participantId };
}

const byTime = (a: Card, b: Card) => a.createdAt - b.createdAt || a.id.localeCompare(b.id);

export interface BoardSyncOptions {
  boardId: string;
  token: string;
  /** The board's epoch (from the session's board list): a replica of another epoch is not used. */
  epoch: string;
  author: IntentAuthor;
  sendIntents: SendIntents;
  /**
   * Asks the server for this person's private views of the board (answered through
   * `applyPrivate`); absent for the projector, which has none.
   */
  askPrivate?: () => void;
}

export class BoardSync {
  readonly doc = new Y.Doc();
  readonly outbox: Outbox;
  cards = $state.raw<Card[]>([]);
  groups = $state.raw<Group[]>([]);
  meta = $state.raw<BoardMeta>(readMeta(this.doc));
  /** cardId -> total votes: empty while votes are hidden (nobody sees totals then). */
  totals = $state.raw(new Map<string, number>());
  /** cardId -> this person's votes (their own ballot, from their private view). */
  mine = $state.raw(new Map<string, number>());
  /** What only this person receives of the board (cached on the device). */
  views = $state.raw<PrivateViews>(NO_PRIVATE_VIEWS);
  /** Ids of the cards shown that are not public yet: silent-collect drafts. */
  draftIds = $state.raw(new Set<string>());
  link = $state<LinkState>('connecting');
  /** The server rebuilt the board (new epoch): this replica must be dropped; the page reloads. */
  stale = $state(false);
  /**
   * Whether the board shown is the real one: synced from the server once, or kept on the device
   * from an earlier visit. Until then the screen says it is loading: an empty first phase drawn
   * while the real board is locked in its discussion with 27 cards would mislead.
   */
  ready = $state(false);

  private provider: WebsocketProvider | null = null;
  private readonly local: IndexeddbPersistence;
  private readonly stops: Array<() => void>;
  private replicaCards: Card[] = [];
  private replicaIds = new Set<string>();
  /** Ids of this person's cards on an anonymous board (the document carries no author). */
  private ownCards = new Set<string>();
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
    if (options.askPrivate) this.takeViews(loadPrivateViews(boardId, me));
    // One replica per person and epoch: a moderator and a participant testing in one browser
    // keep their own outboxes, and a rebuilt board starts from a fresh replica.
    this.local = new IndexeddbPersistence(replicaName(boardId, options.epoch, me), this.doc);
    this.outbox = new Outbox(
      `${boardId}:${me}`,
      options.epoch,
      options.sendIntents,
      (effect, entry) => this.holds(effect) && this.showsPrivately(entry),
      () => this.draw(),
      (applied) => {
        // The server pushes private views on its own, but one may have left before this answer:
        // one asked for now is sure to show what the answered intents did.
        if (applied.some((entry) => this.touchesPrivate(entry))) options.askPrivate?.();
      },
    );
    this.stops = [
      observeCards(this.doc, (cards) => {
        this.replicaCards = cards;
        this.replicaIds = new Set(cards.map((card) => card.id));
        // Settling redraws when it drops anything; otherwise draw here, once.
        if (!this.outbox.settle()) this.draw();
        // A deleted card's votes stop counting.
        this.readBallot();
      }),
      observeMeta(this.doc, (meta) => {
        this.meta = meta;
        if (!this.outbox.settle()) this.draw();
      }),
      observeTallies(this.doc, () => {
        this.totals = voteTotals(this.doc);
      }),
    ];
    // The replica is loaded from IndexedDB before the provider exists: otherwise the provider would
    // send all of it to the server as an update (which the server drops, as from any client).
    void this.local.whenSynced.then(() => {
      if (this.doc.store.clients.size > 0) this.ready = true;
      this.connect();
    });
    addEventListener('online', this.refreshLink);
    addEventListener('offline', this.refreshLink);
    this.refreshLink();
  }

  /**
   * A private view from the server (pushed, or the answer to `askPrivate`): kept, saved on the
   * device, and drawn. A facilitation view comes to the moderator only.
   */
  applyPrivate(update: { mine?: PrivateView; facilitation?: FacilitationView }): void {
    const now = stamp();
    const views: PrivateViews = {
      mine: update.mine ?? this.views.mine,
      facilitation: update.facilitation ?? this.views.facilitation,
      at: update.mine ? now : this.views.at,
      facilitationAt: update.facilitation ? now : this.views.facilitationAt,
    };
    this.takeViews(views);
    savePrivateViews(this.options.boardId, this.options.author.actor.participantId, views);
    if (!this.outbox.settle()) this.draw();
  }

  /** The server's answer to a vote: shown at once, before the private view confirms it. */
  noteVote(cardId: string, onCard: number): void {
    const mine = this.views.mine ?? { boardId: this.options.boardId, drafts: [], ballot: {}, ownCards: [] };
    const ballot = { ...mine.ballot };
    if (onCard > 0) ballot[cardId] = onCard;
    else delete ballot[cardId];
    this.views = { ...this.views, mine: { ...mine, ballot } };
    this.readBallot();
  }

  /** Voting progress for the moderator: how many of the participants have voted. */
  get progress(): { voted: number; voters: number } | null {
    const view = this.views.facilitation;
    return view ? { voted: view.voted, voters: view.voters } : null;
  }

  /** Redraws the views from the replica, the private views and the pending intents. */
  draw(): void {
    const pending = this.outbox.pending;
    const groups = listGroups(this.doc);
    const me = this.options.author.actor.participantId;
    // The moderator sees everyone's drafts, each in its area: where the reveal will put it.
    const drafts = visibleDrafts(this.views);
    // Nothing pending nor private, the common case: the replica as it is, without copying the board.
    if (pending.length === 0 && drafts.length === 0 && this.ownCards.size === 0) {
      this.cards = keepUnchanged(this.cards, this.replicaCards);
      this.groups = groups;
      this.markDrafts();
      return;
    }
    // A card this device added is this person's, also before their private view lists it (one
    // made for a resident without a phone is the resident's).
    const own = new Set(this.ownCards);
    for (const { intent, onBehalfOf } of pending) {
      if (intent.type === 'card:add' && !onBehalfOf) own.add(intent.cardId);
    }
    const base = mergeCards(this.replicaCards, drafts, own, me);
    if (pending.length === 0) {
      this.cards = keepUnchanged(this.cards, base.sort(byTime));
      this.groups = groups;
      this.markDrafts();
      return;
    }
    const view = new PlainBoard(base, groups, this.meta);
    for (const entry of pending) {
      try {
        applyIntent(
          view,
          intentAuthor(this.options.author, entry.onBehalfOf),
          intentBody(entry.intent),
          entry.madeAt,
        );
      } catch {
        // The server will refuse it too, and the outbox will say why; nothing to draw meanwhile.
        // (Or the card is on the board already, drawn from the replica or a private view.)
      }
    }
    this.cards = keepUnchanged(this.cards, view.cards().sort(byTime));
    this.groups = view.groups().sort((a, b) => a.id.localeCompare(b.id));
    this.markDrafts();
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

  /**
   * The private view that shows an intent's effect, if any part of it is private: `mine` for a
   * card added during silent collect (a draft: the document does not change at all) or on an
   * anonymous board (its author is private); for a change of a draft, the view that lists it.
   */
  private viewShowing(entry: OutboxEntry): 'mine' | 'facilitation' | null {
    const intent = entry.intent;
    const moderator = this.options.author.actor.role === 'moderator';
    // A resident's card is a draft during silent collect (the moderator's view lists it), and
    // otherwise in the document, anonymous or not: it is not among the moderator's own cards.
    if (intent.type === 'card:add' && entry.onBehalfOf)
      return this.meta.silentCollect ? 'facilitation' : null;
    if (intent.type === 'card:add' && (this.meta.anonymous || (this.meta.silentCollect && !moderator))) {
      return 'mine';
    }
    if (this.draftIds.size === 0) return null;
    const ofDraft = intentSubjects(intentBody(intent)).some((id) => this.draftIds.has(id));
    if (!ofDraft) return null;
    return moderator ? 'facilitation' : 'mine';
  }

  private touchesPrivate(entry: OutboxEntry): boolean {
    return this.viewShowing(entry) !== null;
  }

  /**
   * An answered intent that touched private state is shown by a private view received after its
   * answer: until then it stays drawn from the outbox, so a draft neither blinks out nor is doubled.
   */
  private showsPrivately(entry: OutboxEntry): boolean {
    if (!this.options.askPrivate) return true;
    const view = this.viewShowing(entry);
    if (view === null) return true;
    const at = view === 'mine' ? this.views.at : this.views.facilitationAt;
    return at > (entry.answeredAt ?? 0);
  }

  private takeViews(views: PrivateViews): void {
    this.views = views;
    this.ownCards = new Set(views.mine?.ownCards ?? []);
    this.readBallot();
  }

  private readBallot(): void {
    this.mine = ballotOn(this.views.mine?.ballot, (cardId) => this.replicaIds.has(cardId));
  }

  /** Drafts: in a private view and not on the board, or added by a participant while silent. */
  private markDrafts(): void {
    const ids = new Set<string>();
    for (const card of visibleDrafts(this.views)) if (!this.replicaIds.has(card.id)) ids.add(card.id);
    if (this.meta.silentCollect && this.options.author.actor.role === 'participant') {
      for (const card of this.cards) if (!this.replicaIds.has(card.id)) ids.add(card.id);
    }
    // A card the moderator made for a resident during silent collect waits as the resident's draft.
    if (this.meta.silentCollect) {
      for (const { intent, onBehalfOf } of this.outbox.pending) {
        if (onBehalfOf && intent.type === 'card:add' && !this.replicaIds.has(intent.cardId))
          ids.add(intent.cardId);
      }
    }
    const same = ids.size === this.draftIds.size && [...ids].every((id) => this.draftIds.has(id));
    if (!same) this.draftIds = ids;
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
      if (synced) this.ready = true;
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
