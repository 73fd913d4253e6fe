/**
 * Dot voting with a secret ballot. Ballots (who gave how many votes to which card) are private
 * state (private-state.ts), kept by the server and stored with the board; the shared document
 * holds one total per card in `tallies`, and only while votes are visible. A deleted card's votes
 * no longer count against anyone's budget.
 */
import type * as Y from 'yjs';
import { BoardError } from './errors.js';
import type { PrivateState } from './private-state.js';
import { assertMayAct, type BoardRole } from './rules.js';
import { type Card, talliesRoot } from './schema.js';
import type { ServerBoard } from './server-board.js';

export interface VoteResult {
  /** Votes the participant has on this card now. */
  onCard: number;
  /** Votes the participant has left on this board. */
  remaining: number;
}

/** Adds (`delta` = 1) or takes back (`delta` = -1) one vote. Server only. */
export function castVote(
  board: ServerBoard,
  voter: { participantId: string; role: BoardRole },
  cardId: string,
  delta: 1 | -1,
): VoteResult {
  const meta = board.meta();
  assertMayAct(voter.role, 'vote', meta);
  if (!board.boardCard(cardId)) throw new BoardError('card-not-found', `No card ${cardId} on this board`);
  const used = votesUsedBy(board, voter.participantId);
  const current = board.secrets.ballot(voter.participantId).get(cardId) ?? 0;
  if (delta > 0 && used >= meta.voteBudget) {
    throw new BoardError('vote-budget-exhausted', `All ${meta.voteBudget} votes are used`);
  }
  if (delta < 0 && current === 0) throw new BoardError('no-votes-to-remove', 'No vote of yours on this card');
  board.doc.transact(() => {
    board.secrets.setVotes(voter.participantId, cardId, current + delta);
    if (!meta.votesHidden) writeTally(board, cardId);
  });
  return { onCard: current + delta, remaining: meta.voteBudget - used - delta };
}

/** Votes the participant has placed on cards that are still on the board. */
export function votesUsedBy(board: ServerBoard, participantId: string): number {
  let used = 0;
  for (const [cardId, votes] of board.secrets.ballot(participantId)) {
    if (board.boardCard(cardId)) used += votes;
  }
  return used;
}

/** The participant's own ballot (card id -> votes), on cards still on the board. */
export function ballotOnBoard(board: ServerBoard, participantId: string): Record<string, number> {
  const ballot: Record<string, number> = {};
  for (const [cardId, votes] of board.secrets.ballot(participantId)) {
    if (board.boardCard(cardId)) ballot[cardId] = votes;
  }
  return ballot;
}

/**
 * How many of `eligible` (the session's participants) have a vote on a card still on the board:
 * votes brought in by an archive and those of removed people count on the board, not here.
 */
export function votersCount(board: ServerBoard, eligible: ReadonlySet<string>): number {
  return board.secrets.voters().filter((voter) => eligible.has(voter) && votesUsedBy(board, voter) > 0)
    .length;
}

/** cardId -> total of every ballot, for cards on the board with at least one vote. */
export function ballotTotals(board: ServerBoard): Map<string, number> {
  const totals = new Map<string, number>();
  for (const voter of board.secrets.voters()) {
    for (const [cardId, votes] of board.secrets.ballot(voter)) {
      if (board.boardCard(cardId)) totals.set(cardId, (totals.get(cardId) ?? 0) + votes);
    }
  }
  return totals;
}

/**
 * Makes the board's totals what the ballots say (votes visible), or takes them all off (votes
 * hidden). Writes only what differs: run on every load, it changes nothing on a board in order.
 */
export function publishTallies(board: ServerBoard, visible: boolean): void {
  const tallies = talliesRoot(board.doc);
  const wanted = visible ? ballotTotals(board) : new Map<string, number>();
  board.doc.transact(() => {
    for (const cardId of [...tallies.keys()]) if (!wanted.has(cardId)) tallies.delete(cardId);
    for (const [cardId, total] of wanted) if (tallies.get(cardId) !== total) tallies.set(cardId, total);
  });
}

/** The board's total for one card, from the ballots (none written for a card without votes). */
export function writeTally(board: ServerBoard, cardId: string): void {
  const total = totalOn(board.secrets, cardId);
  if (total > 0) talliesRoot(board.doc).set(cardId, total);
  else talliesRoot(board.doc).delete(cardId);
}

function totalOn(secrets: PrivateState, cardId: string): number {
  let total = 0;
  for (const voter of secrets.voters()) total += secrets.ballot(voter).get(cardId) ?? 0;
  return total;
}

/** cardId -> total votes, as the board shows them (empty while votes are hidden). */
export function voteTotals(doc: Y.Doc): Map<string, number> {
  const totals = new Map<string, number>();
  talliesRoot(doc).forEach((total, cardId) => {
    if (typeof total === 'number' && Number.isInteger(total) && total > 0) totals.set(cardId, total);
  });
  return totals;
}

/**
 * group id -> the sum of its cards' totals (`totals` as voteTotals reads them, so empty while votes
 * are hidden); groups without a vote are left out. The same sums on the phone list, the canvas,
 * the projector and the exports.
 */
export function groupTotals(
  cards: Iterable<Pick<Card, 'id' | 'groupId'>>,
  totals: ReadonlyMap<string, number>,
): Map<string, number> {
  const sums = new Map<string, number>();
  for (const { id, groupId } of cards) {
    const total = totals.get(id) ?? 0;
    if (groupId !== null && total > 0) sums.set(groupId, (sums.get(groupId) ?? 0) + total);
  }
  return sums;
}

export function observeTallies(doc: Y.Doc, onChange: () => void): () => void {
  const root = talliesRoot(doc);
  const handler = () => onChange();
  root.observe(handler);
  return () => root.unobserve(handler);
}
