/** What a board holds, in plain data: for snapshots' summaries, exports and comparisons. */
import type * as Y from 'yjs';
import { listCards } from './cards.js';
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

/** The figures a snapshot list shows. */
export function countContents(doc: Y.Doc): { cards: number; votes: number } {
  const { cards } = readContents(doc);
  return { cards: cards.length, votes: cards.reduce((sum, card) => sum + card.votes, 0) };
}
