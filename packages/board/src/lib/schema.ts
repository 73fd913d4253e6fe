/**
 * The board's Y.Doc schema: root names, field names and the models.
 * This file is the only place that knows how a board is laid out in Yjs;
 * everything else goes through the operations in this package.
 */
import type * as Y from 'yjs';

/** `note`: a card of a template area that is neither a problem nor a resource (templates.ts). */
export const CARD_KINDS = ['problem', 'resource', 'note'] as const;
export type CardKind = (typeof CARD_KINDS)[number];

/** Plain text only; long enough for a sentence, short enough to read on a projector. */
export const MAX_CARD_TEXT = 280;

/** Cards one board may hold: far above a workshop's needs, low enough to keep every phone fast. */
export const MAX_CARDS_PER_BOARD = 2000;

/**
 * Cards one participant may hold on one board: a busy resident writes a few dozen, and one person
 * must not fill the board's 2,000 places for everyone else. The moderator, who types the cards of
 * residents without a phone, has no quota of their own.
 */
export const MAX_CARDS_PER_PARTICIPANT = 100;

/** Card and group positions stay within this distance of the origin: far beyond any board's edge. */
export const MAX_COORDINATE = 100_000;

export interface Card {
  id: string;
  kind: CardKind;
  text: string;
  /** Empty on an anonymous board's document: its authors stay on the server. */
  authorId: string;
  /** The settlement the author joined from. */
  site: string;
  /**
   * Who typed it for its author, a resident without a phone: the moderator's participant id; ''
   * (or absent, in what was kept before it existed) when the author wrote it, and always on an
   * anonymous board, which names nobody. Read from a document, it is always there.
   */
  enteredBy?: string;
  /**
   * The id of the template area the card is in (templates.ts); the layout (layout.ts) draws it
   * there, in order. '' when not set: cards from before areas are given one by `areaOf`.
   */
  area: string;
  /** Where the card was put before the layout: read only to find old cards their area. */
  x: number;
  y: number;
  /** Milliseconds since the epoch, on the server's clock when it applied the card's intent. */
  createdAt: number;
  /** The group the card belongs to; at most one, by construction (one field). */
  groupId: string | null;
}

export const MAX_GROUP_TITLE = 80;

/**
 * Groups one board may hold: a workshop makes a dozen; without a cap, one person could start
 * groups from their own card over and over (each start leaves the last group empty).
 */
export const MAX_GROUPS_PER_BOARD = 300;

export interface Group {
  id: string;
  title: string;
  /** The area the group is drawn in, like `Card.area`. */
  area: string;
  /** Server time when the group was made: its place in its area's order (0 before it was kept). */
  createdAt: number;
  /** Where the group was put before the layout: read only to find old groups their area. */
  x: number;
  y: number;
  /** Index into the views' palette. */
  color: number;
}

export const PHASES = ['collect', 'group', 'vote', 'discuss'] as const;
export type Phase = (typeof PHASES)[number];

export interface Timer {
  /** Server clock, milliseconds since the epoch; moved on by the time spent paused (timer.ts). */
  startedAt: number;
  durationMs: number;
  /** Server clock when the moderator paused it; absent while it runs (as in documents from before pausing). */
  pausedAt?: number;
}

/** Board settings: a protected root, written only by the server. */
export interface BoardMeta {
  phase: Phase;
  /** Votes each participant may place on this board. */
  voteBudget: number;
  /** Until revealed, each participant sees only their own votes. */
  votesHidden: boolean;
  /** Read-only for participants. */
  locked: boolean;
  /** Until revealed, each participant sees only their own cards. */
  silentCollect: boolean;
  /** Whether participants may still add cards during the vote phase. */
  cardsDuringVote: boolean;
  /** Grouping (grouping cards, naming, moving, dissolving groups) is the moderator's alone. */
  groupingLocked: boolean;
  /** Authors stay on the server: set only while the board has no card (settings.ts). */
  anonymous: boolean;
  timer: Timer | null;
  /** Id of the template whose areas the board shows (see templates.ts). */
  template: string;
}

export const DEFAULT_META: BoardMeta = {
  phase: 'collect',
  voteBudget: 5,
  votesHidden: false,
  locked: false,
  silentCollect: false,
  cardsDuringVote: false,
  groupingLocked: false,
  anonymous: false,
  timer: null,
  // Boards made before templates existed show the problems and resources map.
  template: 'problems-resources',
};

export const MAX_VOTE_BUDGET = 50;

/** Root names of the board document, all written by the server only. Part of the public API (see README). */
export const ROOT = {
  cards: 'cards',
  groups: 'groups',
  /** One total per card (card id -> votes), present only while votes are visible. */
  tallies: 'tallies',
  /**
   * The shape before the secret ballot (cardId -> participantId -> count): emptied when a board is
   * rebuilt, so replicas of both versions never see two shapes under one key. Read only by the
   * rebuild, to move the ballots into the store.
   */
  votes: 'votes',
  /** Protected: the BoardMeta fields. */
  meta: 'meta',
} as const;

/** Keys of a card's Y.Map: the card fields without the id (the id is the map key). */
export type CardField = Exclude<keyof Card, 'id'>;

/** A card as it lives in Yjs: one Y.Map per card so fields merge independently. */
export type CardMap = Y.Map<Card[CardField]>;

export type GroupMap = Y.Map<Group[Exclude<keyof Group, 'id'>]>;
export type VoteMap = Y.Map<number>;
export type MetaMap = Y.Map<BoardMeta[keyof BoardMeta]>;

export function cardsRoot(doc: Y.Doc): Y.Map<CardMap> {
  return doc.getMap<CardMap>(ROOT.cards);
}

export function groupsRoot(doc: Y.Doc): Y.Map<GroupMap> {
  return doc.getMap<GroupMap>(ROOT.groups);
}

export function votesRoot(doc: Y.Doc): Y.Map<VoteMap> {
  return doc.getMap<VoteMap>(ROOT.votes);
}

export function talliesRoot(doc: Y.Doc): Y.Map<number> {
  return doc.getMap<number>(ROOT.tallies);
}

export function metaRoot(doc: Y.Doc): MetaMap {
  return doc.getMap(ROOT.meta);
}

export function isPhase(value: unknown): value is Phase {
  return typeof value === 'string' && (PHASES as readonly string[]).includes(value);
}

export function isCardKind(value: unknown): value is CardKind {
  return typeof value === 'string' && (CARD_KINDS as readonly string[]).includes(value);
}
