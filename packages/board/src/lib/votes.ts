/**
 * Dot voting. Votes live in a protected root that only the server writes
 * (`castVote` runs on the server after the role and phase checks); clients
 * read them. A deleted card's votes no longer count against anyone's budget.
 */
import * as Y from 'yjs';
import { getCard } from './cards.js';
import { BoardError } from './errors.js';
import { readMeta } from './meta.js';
import { assertMayAct, type BoardRole } from './rules.js';
import { cardsRoot, type VoteMap, votesRoot } from './schema.js';

export interface VoteResult {
  /** Votes the participant has on this card now. */
  onCard: number;
  /** Votes the participant has left on this board. */
  remaining: number;
}

/** Adds (`delta` = 1) or takes back (`delta` = -1) one vote. Server only. */
export function castVote(
  doc: Y.Doc,
  voter: { participantId: string; role: BoardRole },
  cardId: string,
  delta: 1 | -1,
): VoteResult {
  const meta = readMeta(doc);
  assertMayAct(voter.role, 'vote', meta);
  if (!getCard(doc, cardId)) throw new BoardError('card-not-found', `No card ${cardId} on this board`);
  const used = votesUsedBy(doc, voter.participantId);
  const current = votesOn(doc, cardId, voter.participantId);
  if (delta > 0 && used >= meta.voteBudget) {
    throw new BoardError('vote-budget-exhausted', `All ${meta.voteBudget} votes are used`);
  }
  if (delta < 0 && current === 0) throw new BoardError('no-votes-to-remove', 'No vote of yours on this card');
  const next = current + delta;
  doc.transact(() => {
    const root = votesRoot(doc);
    let perCard = root.get(cardId);
    if (!perCard) {
      perCard = new Y.Map() as VoteMap;
      root.set(cardId, perCard);
    }
    if (next === 0) perCard.delete(voter.participantId);
    else perCard.set(voter.participantId, next);
  });
  return { onCard: next, remaining: meta.voteBudget - used - delta };
}

export function votesOn(doc: Y.Doc, cardId: string, participantId: string): number {
  return count(votesRoot(doc).get(cardId)?.get(participantId));
}

/** Votes the participant has placed on cards that still exist. */
export function votesUsedBy(doc: Y.Doc, participantId: string): number {
  const cards = cardsRoot(doc);
  let used = 0;
  votesRoot(doc).forEach((perCard, cardId) => {
    if (cards.has(cardId)) used += count(perCard.get(participantId));
  });
  return used;
}

/** cardId -> total votes, for existing cards with at least one vote. */
export function voteTotals(doc: Y.Doc): Map<string, number> {
  const cards = cardsRoot(doc);
  const totals = new Map<string, number>();
  votesRoot(doc).forEach((perCard, cardId) => {
    if (!cards.has(cardId)) return;
    let total = 0;
    perCard.forEach((value) => {
      total += count(value);
    });
    if (total > 0) totals.set(cardId, total);
  });
  return totals;
}

/** cardId -> this participant's votes. */
export function votesOf(doc: Y.Doc, participantId: string): Map<string, number> {
  const mine = new Map<string, number>();
  votesRoot(doc).forEach((perCard, cardId) => {
    const value = count(perCard.get(participantId));
    if (value > 0) mine.set(cardId, value);
  });
  return mine;
}

export function observeVotes(doc: Y.Doc, onChange: () => void): () => void {
  const root = votesRoot(doc);
  const handler = () => onChange();
  root.observeDeep(handler);
  return () => root.unobserveDeep(handler);
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0;
}
