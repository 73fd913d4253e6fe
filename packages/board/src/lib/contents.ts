/** What a board holds, in plain data: for snapshots' summaries, exports and comparisons. */
import type * as Y from 'yjs';
import { forEachCard, listCards } from './cards.js';
import { listGroups } from './groups.js';
import { readMeta } from './meta.js';
import type { BoardMeta, Card, Group } from './schema.js';
import { voteTotals } from './votes.js';

export interface BoardContents {
  cards: Array<Card & { votes: number }>;
  groups: Group[];
  meta: BoardMeta;
}

export function readContents(doc: Y.Doc): BoardContents {
  const totals = voteTotals(doc);
  return {
    cards: listCards(doc).map((card) => ({ ...card, votes: totals.get(card.id) ?? 0 })),
    groups: listGroups(doc),
    meta: readMeta(doc),
  };
}

/** The figures a snapshot list shows: the cards, and the votes on them (not on deleted ones). */
export function countContents(doc: Y.Doc): { cards: number; votes: number } {
  const totals = voteTotals(doc);
  let cards = 0;
  let votes = 0;
  forEachCard(doc, (card) => {
    cards++;
    votes += totals.get(card.id) ?? 0;
  });
  return { cards, votes };
}
