/**
 * What changed between two states of a board (two snapshots, or a snapshot
 * and now): cards added, removed, reworded, moved between groups, and votes.
 */
import type { BoardContents } from './contents.js';

export interface CardChange {
  id: string;
  text: string;
}

export interface BoardChanges {
  added: CardChange[];
  removed: CardChange[];
  edited: Array<CardChange & { before: string }>;
  /** Group titles; null when the card was (or is) in no group. */
  regrouped: Array<CardChange & { from: string | null; to: string | null }>;
  votes: Array<CardChange & { before: number; after: number }>;
}

export function compareContents(before: BoardContents, after: BoardContents): BoardChanges {
  const old = new Map(before.cards.map((card) => [card.id, card]));
  const now = new Map(after.cards.map((card) => [card.id, card]));
  const titleIn = (contents: BoardContents, groupId: string | null) =>
    groupId === null ? null : (contents.groups.find((group) => group.id === groupId)?.title ?? '');
  const changes: BoardChanges = { added: [], removed: [], edited: [], regrouped: [], votes: [] };
  for (const card of after.cards) {
    const was = old.get(card.id);
    if (!was) {
      changes.added.push({ id: card.id, text: card.text });
      continue;
    }
    if (was.text !== card.text) changes.edited.push({ id: card.id, text: card.text, before: was.text });
    if (was.groupId !== card.groupId) {
      const from = titleIn(before, was.groupId);
      const to = titleIn(after, card.groupId);
      changes.regrouped.push({ id: card.id, text: card.text, from, to });
    }
    if (was.votes !== card.votes)
      changes.votes.push({ id: card.id, text: card.text, before: was.votes, after: card.votes });
  }
  for (const card of before.cards) {
    if (!now.has(card.id)) changes.removed.push({ id: card.id, text: card.text });
  }
  return changes;
}
