import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, deleteCard, editCard } from './cards.js';
import { compareContents } from './compare.js';
import { readContents } from './contents.js';
import { createGroup, renameGroup } from './groups.js';
import { updateMeta } from './meta.js';
import { anna, moderator, newCard, serverBoard } from './test-helpers.js';
import { castVote } from './votes.js';

describe('compareContents', () => {
  it('finds every kind of change between two states of a board', () => {
    const doc = new Y.Doc();
    const kept = addCard(doc, anna, newCard({ text: 'Busz' }));
    const reworded = addCard(doc, anna, newCard({ text: 'Iskola' }));
    const removed = addCard(doc, anna, newCard({ text: 'Bolt' }));
    const before = readContents(doc);

    const added = addCard(doc, anna, newCard({ text: 'Orvos' }));
    editCard(doc, anna, reworded.id, 'Üres iskola');
    deleteCard(doc, anna, removed.id);
    const group = createGroup(doc, anna, [kept.id]);
    renameGroup(doc, anna, group.id, 'Közlekedés');
    updateMeta(doc, { phase: 'vote' });
    castVote(serverBoard(doc), anna, kept.id, 1);

    expect(compareContents(before, readContents(doc))).toEqual({
      added: [{ id: added.id, text: 'Orvos' }],
      removed: [{ id: removed.id, text: 'Bolt' }],
      edited: [{ id: reworded.id, text: 'Üres iskola', before: 'Iskola' }],
      regrouped: [{ id: kept.id, text: 'Busz', from: null, to: 'Közlekedés' }],
      votes: [{ id: kept.id, text: 'Busz', before: 0, after: 1 }],
    });
  });

  it('finds nothing between a board and itself', () => {
    const doc = new Y.Doc();
    addCard(doc, moderator, newCard());
    const contents = readContents(doc);
    expect(compareContents(contents, contents)).toEqual({
      added: [],
      removed: [],
      edited: [],
      regrouped: [],
      votes: [],
    });
  });
});
