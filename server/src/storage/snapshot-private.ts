/**
 * A snapshot's private rows (drafts, authors, ballots) as both engines store them: every id listed
 * once and the ballots and authors as numbers. As objects, the 20 000 ballots of a large board took
 * 1.5 MiB a snapshot (5 ms to write out, and the session's quota filled a snapshot at a time);
 * packed, about a seventh (`snapshot-private.test.ts`). Snapshots stored before keep the
 * objects, and read as they were.
 */
import type { PrivateRows } from '@kaptar/board';

interface PackedRows {
  packed: 1;
  /** The participants and cards the numbers below name, by position. */
  people: string[];
  cards: string[];
  /** (person, card, votes) triples. */
  ballots: number[];
  /** (card, person) pairs. */
  authors: number[];
  drafts: PrivateRows['drafts'];
  retiredDrafts: string[];
}

/** Positions of ids in a list that each new id joins. */
function indexer(list: string[]): (id: string) => number {
  const positions = new Map<string, number>();
  return (id) => {
    let at = positions.get(id);
    if (at === undefined) {
      at = list.push(id) - 1;
      positions.set(id, at);
    }
    return at;
  };
}

export function packPrivateRows(rows: PrivateRows): string {
  const packed: PackedRows = {
    packed: 1,
    people: [],
    cards: [],
    ballots: [],
    authors: [],
    drafts: rows.drafts,
    retiredDrafts: rows.retiredDrafts,
  };
  const person = indexer(packed.people);
  const card = indexer(packed.cards);
  for (const { participantId, cardId, votes } of rows.ballots)
    packed.ballots.push(person(participantId), card(cardId), votes);
  for (const { cardId, participantId } of rows.authors)
    packed.authors.push(card(cardId), person(participantId));
  return JSON.stringify(packed);
}

export function unpackPrivateRows(text: string): PrivateRows {
  const stored = JSON.parse(text) as PackedRows | PrivateRows;
  if (!('packed' in stored)) return stored;
  const { people, cards, ballots, authors } = stored;
  const rows: PrivateRows = {
    drafts: stored.drafts,
    retiredDrafts: stored.retiredDrafts,
    ballots: [],
    authors: [],
  };
  for (let i = 0; i < ballots.length; i += 3) {
    rows.ballots.push({
      participantId: people[ballots[i] as number] as string,
      cardId: cards[ballots[i + 1] as number] as string,
      votes: ballots[i + 2] as number,
    });
  }
  for (let i = 0; i < authors.length; i += 2) {
    rows.authors.push({
      cardId: cards[authors[i] as number] as string,
      participantId: people[authors[i + 1] as number] as string,
    });
  }
  return rows;
}
