/**
 * What the server knows of a board and the shared document must not carry: silent-collect drafts
 * (each reaches only its author and the moderator), who wrote which card on an anonymous board,
 * and the ballots (who gave how many votes to which card). It lives in the store beside the board
 * and in the server's memory, never in a Yjs document. Every write is journalled so the server
 * stores it in the same transaction as the document update it goes with.
 */
import type { Card } from './schema.js';

/** One stored write of private state. A `card` of null retires a draft (revealed or deleted). */
export type PrivateChange =
  | { kind: 'draft'; cardId: string; authorId: string; card: Card | null }
  /** A participantId of null: the card was deleted. */
  | { kind: 'author'; cardId: string; participantId: string | null }
  | { kind: 'ballot'; participantId: string; cardId: string; votes: number };

/** One participant's votes on one card. */
export interface Ballot {
  participantId: string;
  cardId: string;
  votes: number;
}

/** Private state as stored: live drafts, retired draft ids, authors, non-zero ballots. */
export interface PrivateRows {
  drafts: Card[];
  retiredDrafts: string[];
  authors: Array<{ cardId: string; participantId: string }>;
  ballots: Ballot[];
}

export const EMPTY_PRIVATE_ROWS: PrivateRows = { drafts: [], retiredDrafts: [], authors: [], ballots: [] };

export class PrivateState {
  private readonly liveDrafts = new Map<string, Card>();
  private readonly retired = new Set<string>();
  private readonly authorOf = new Map<string, string>();
  private readonly authoredBy = new Map<string, number>();
  private readonly ballotsOf = new Map<string, Map<string, number>>();
  private journal: PrivateChange[] = [];

  constructor(rows: PrivateRows = EMPTY_PRIVATE_ROWS) {
    for (const card of rows.drafts) this.liveDrafts.set(card.id, withArea(card));
    for (const id of rows.retiredDrafts) this.retired.add(id);
    for (const { cardId, participantId } of rows.authors) this.noteAuthor(cardId, participantId);
    for (const { participantId, cardId, votes } of rows.ballots)
      this.ballotOf(participantId).set(cardId, votes);
  }

  /** Everything, as stored: a snapshot keeps it, a rollback puts it back. */
  rows(): PrivateRows {
    return {
      drafts: this.drafts(),
      retiredDrafts: [...this.retired],
      authors: [...this.authorOf].map(([cardId, participantId]) => ({ cardId, participantId })),
      ballots: [...this.ballotsOf].flatMap(([participantId, ballot]) =>
        [...ballot].map(([cardId, votes]) => ({ participantId, cardId, votes })),
      ),
    };
  }

  /**
   * Makes this state what `rows` holds (a rollback to a snapshot), each difference journalled.
   * A draft revealed since is a draft again unless its card is still on the board (`onBoard`).
   */
  replaceWith(rows: PrivateRows, onBoard: (cardId: string) => boolean): void {
    const drafts = new Map(rows.drafts.map((card) => [card.id, withArea(card)]));
    for (const card of this.drafts()) if (!drafts.has(card.id)) this.retireDraft(card.id);
    for (const card of drafts.values()) if (!onBoard(card.id)) this.putDraft(card);
    const authors = new Map(rows.authors.map((row) => [row.cardId, row.participantId]));
    for (const cardId of [...this.authorOf.keys()]) if (!authors.has(cardId)) this.removeAuthor(cardId);
    for (const [cardId, participantId] of authors) {
      if (this.authorOf.get(cardId) !== participantId) this.setAuthor(cardId, participantId);
    }
    const wanted = new Map(rows.ballots.map((b) => [`${b.participantId}\u0000${b.cardId}`, b]));
    for (const [participantId, ballot] of [...this.ballotsOf]) {
      for (const cardId of [...ballot.keys()]) {
        if (!wanted.has(`${participantId}\u0000${cardId}`)) this.setVotes(participantId, cardId, 0);
      }
    }
    for (const { participantId, cardId, votes } of wanted.values()) {
      if (this.ballot(participantId).get(cardId) !== votes) this.setVotes(participantId, cardId, votes);
    }
  }

  /** The writes since the last call, to be stored with the document update they belong to. */
  takeChanges(): PrivateChange[] {
    const changes = this.journal;
    this.journal = [];
    return changes;
  }

  get hasChanges(): boolean {
    return this.journal.length > 0;
  }

  // Drafts (silent collect)

  drafts(): Card[] {
    return [...this.liveDrafts.values()];
  }

  draft(id: string): Card | undefined {
    return this.liveDrafts.get(id);
  }

  draftsBy(authorId: string): Card[] {
    return this.drafts().filter((card) => card.authorId === authorId);
  }

  /** A draft id stays taken after the draft is revealed or deleted. */
  draftIdUsed(id: string): boolean {
    return this.liveDrafts.has(id) || this.retired.has(id);
  }

  putDraft(card: Card): void {
    this.liveDrafts.set(card.id, card);
    this.retired.delete(card.id);
    this.journal.push({ kind: 'draft', cardId: card.id, authorId: card.authorId, card });
  }

  retireDraft(id: string): void {
    const card = this.liveDrafts.get(id);
    if (!card) return;
    this.liveDrafts.delete(id);
    this.retired.add(id);
    this.journal.push({ kind: 'draft', cardId: id, authorId: card.authorId, card: null });
  }

  // Authors (anonymous boards)

  authorOfCard(cardId: string): string | undefined {
    return this.authorOf.get(cardId);
  }

  cardsAuthoredBy(participantId: string): number {
    return this.authoredBy.get(participantId) ?? 0;
  }

  /** Ids of the cards this participant wrote on an anonymous board. */
  cardIdsBy(participantId: string): string[] {
    return [...this.authorOf].filter(([, author]) => author === participantId).map(([cardId]) => cardId);
  }

  setAuthor(cardId: string, participantId: string): void {
    this.noteAuthor(cardId, participantId);
    this.journal.push({ kind: 'author', cardId, participantId });
  }

  removeAuthor(cardId: string): void {
    const author = this.authorOf.get(cardId);
    if (author === undefined) return;
    this.authorOf.delete(cardId);
    this.authoredBy.set(author, (this.authoredBy.get(author) ?? 1) - 1);
    this.journal.push({ kind: 'author', cardId, participantId: null });
  }

  // Ballots

  /** cardId -> votes this participant gave. */
  ballot(participantId: string): ReadonlyMap<string, number> {
    return this.ballotsOf.get(participantId) ?? new Map();
  }

  /** Everyone with a ballot. */
  voters(): string[] {
    return [...this.ballotsOf.keys()];
  }

  setVotes(participantId: string, cardId: string, votes: number): void {
    const ballot = this.ballotOf(participantId);
    if (votes > 0) ballot.set(cardId, votes);
    else ballot.delete(cardId);
    if (ballot.size === 0) this.ballotsOf.delete(participantId);
    this.journal.push({ kind: 'ballot', participantId, cardId, votes });
  }

  private ballotOf(participantId: string): Map<string, number> {
    let ballot = this.ballotsOf.get(participantId);
    if (!ballot) {
      ballot = new Map();
      this.ballotsOf.set(participantId, ballot);
    }
    return ballot;
  }

  private noteAuthor(cardId: string, participantId: string): void {
    const previous = this.authorOf.get(cardId);
    if (previous === participantId) return;
    if (previous !== undefined) this.authoredBy.set(previous, (this.authoredBy.get(previous) ?? 1) - 1);
    this.authorOf.set(cardId, participantId);
    this.authoredBy.set(participantId, (this.authoredBy.get(participantId) ?? 0) + 1);
  }
}

/** A draft stored before areas (a snapshot's, a store's) has none: '' lets `areaOf` find it one. */
function withArea(card: Card): Card {
  return { ...card, area: card.area ?? '' };
}
