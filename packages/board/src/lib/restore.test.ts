import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, deleteCard, editCard } from './cards.js';
import { countContents, readContents } from './contents.js';
import { createGroup } from './groups.js';
import { updateMeta } from './meta.js';
import { docFromState, rebuildDoc, restoreContent } from './restore.js';
import { anna, bela, codeOf, moderator, newCard } from './test-helpers.js';
import { castVote } from './votes.js';

function workshopBoard() {
  const doc = new Y.Doc();
  const bus = addCard(doc, anna, newCard({ text: 'Busz' }));
  const school = addCard(doc, bela, newCard({ text: 'Iskola', kind: 'resource' }));
  createGroup(doc, anna, [bus.id, school.id], 'Falu');
  updateMeta(doc, { phase: 'vote' });
  castVote(doc, anna, bus.id, 1);
  return { doc, bus, school };
}

describe('restoreContent', () => {
  it('brings the board back exactly to the snapshot, as a forward change', () => {
    const { doc, bus, school } = workshopBoard();
    const snapshot = Y.encodeStateAsUpdate(doc);
    const before = readContents(doc);

    updateMeta(doc, { phase: 'collect' });
    editCard(doc, moderator, bus.id, 'Átírt busz');
    deleteCard(doc, moderator, school.id);
    addCard(doc, moderator, newCard({ text: 'Később jött' }));
    restoreContent(doc, docFromState(snapshot));

    expect(readContents(doc)).toEqual(before);
    expect(countContents(doc)).toEqual({ cards: 2, votes: 1 });
  });

  it('wins over an offline copy that still holds the removed content', () => {
    const { doc, bus } = workshopBoard();
    const snapshot = Y.encodeStateAsUpdate(doc);
    editCard(doc, moderator, bus.id, 'Átírt busz');
    // A phone went offline with the edited board and comes back after the restore.
    const phone = new Y.Doc();
    Y.applyUpdate(phone, Y.encodeStateAsUpdate(doc));
    restoreContent(doc, docFromState(snapshot));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(phone));
    expect(readContents(doc).cards.find((card) => card.id === bus.id)?.text).toBe('Busz');
  });
});

describe('rebuildDoc', () => {
  it('keeps typed contents, drops ids a device could not name, and keeps deleted ids dead', () => {
    const old = new Y.Doc();
    const kept = addCard(old, moderator, newCard({ text: 'Marad' }));
    const gone = addCard(old, moderator, newCard({ text: 'Törölték' }));
    deleteCard(old, moderator, gone.id);
    const odd = new Y.Map<unknown>();
    for (const [field, value] of Object.entries({ kind: 'problem', text: 'Furcsa id', x: 1, y: 1 })) {
      odd.set(field, value);
    }
    old.getMap('cards').set('bad id/../x', odd);
    old.getMap('cards').set('junk', 1);

    const { doc, dropped } = rebuildDoc(old);
    expect(readContents(doc).cards.map((card) => card.text)).toEqual(['Marad']);
    expect(dropped).toBe(2);
    // Through an encoded state, as stored: the deleted id is still known to be used.
    const stored = docFromState(Y.encodeStateAsUpdate(doc));
    expect(codeOf(() => addCard(stored, moderator, newCard({ id: gone.id })))).toBe('id-taken');
    expect(codeOf(() => addCard(stored, moderator, newCard({ id: kept.id })))).toBe('id-taken');
  });
});
