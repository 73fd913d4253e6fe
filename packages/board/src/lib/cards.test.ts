import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCard,
  deleteCard,
  editCard,
  getCard,
  listCards,
  moveCard,
  observeCards,
  observeChangedCards,
} from './cards.js';
import { updateMeta } from './meta.js';
import { MAX_CARD_TEXT, MAX_CARDS_PER_BOARD, MAX_CARDS_PER_PARTICIPANT, MAX_COORDINATE } from './schema.js';
import { anna, bela, codeOf, moderator, newCard, viewer } from './test-helpers.js';

describe('addCard', () => {
  it('stores every field under the public root "cards", with the actor as author', () => {
    const doc = new Y.Doc();
    const added = addCard(doc, anna, newCard(), 1234);
    const map = doc.getMap<Y.Map<unknown>>('cards').get(added.id);
    expect(map?.toJSON()).toEqual({
      kind: 'problem',
      text: 'Nincs buszjárat',
      authorId: 'anna',
      site: 'Alsóváros',
      area: 'problems',
      x: 10,
      y: 20,
      createdAt: 1234,
    });
    expect(getCard(doc, added.id)).toEqual({ ...added, groupId: null });
  });

  it('trims text and accepts exactly the limit, counting characters not UTF-16 units', () => {
    const doc = new Y.Doc();
    expect(addCard(doc, anna, newCard({ text: '  víz  ' })).text).toBe('víz');
    const emojiText = '🐝'.repeat(MAX_CARD_TEXT);
    expect(addCard(doc, anna, newCard({ text: emojiText })).text).toBe(emojiText);
  });

  it('refuses empty, over-long text and unknown kinds, leaving the board unchanged', () => {
    const doc = new Y.Doc();
    expect(codeOf(() => addCard(doc, anna, newCard({ text: '   ' })))).toBe('text-empty');
    expect(codeOf(() => addCard(doc, anna, newCard({ text: 'a'.repeat(MAX_CARD_TEXT + 1) })))).toBe(
      'text-too-long',
    );
    expect(codeOf(() => addCard(doc, anna, newCard({ kind: 'wish' as 'problem' })))).toBe('invalid-kind');
    expect(codeOf(() => addCard(doc, anna, newCard({ x: Number.NaN })))).toBe('invalid-position');
    expect(listCards(doc)).toEqual([]);
  });

  it('gives every card its own id', () => {
    const doc = new Y.Doc();
    const ids = new Set(Array.from({ length: 200 }, () => addCard(doc, moderator, newCard()).id));
    expect(ids.size).toBe(200);
  });

  it('follows the phase: no new cards while voting unless allowed, none from viewers', () => {
    const doc = new Y.Doc();
    updateMeta(doc, { phase: 'vote' });
    expect(codeOf(() => addCard(doc, anna, newCard()))).toBe('not-in-this-phase');
    updateMeta(doc, { cardsDuringVote: true });
    expect(codeOf(() => addCard(doc, anna, newCard()))).toBeUndefined();
    expect(codeOf(() => addCard(doc, viewer, newCard()))).toBe('not-in-this-phase');
  });

  it('stops at the card limit of a board', () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      for (let i = 0; i < MAX_CARDS_PER_BOARD; i++) addCard(doc, moderator, newCard({ text: `Kártya ${i}` }));
    });
    expect(codeOf(() => addCard(doc, moderator, newCard()))).toBe('board-full');
    expect(listCards(doc)).toHaveLength(MAX_CARDS_PER_BOARD);
  });

  it('keeps one participant to their share of the board; the moderator has no quota', () => {
    const doc = new Y.Doc();
    for (let i = 0; i < MAX_CARDS_PER_PARTICIPANT; i++) addCard(doc, anna, newCard({ text: `Kártya ${i}` }));
    expect(codeOf(() => addCard(doc, anna, newCard()))).toBe('quota-exceeded');
    expect(codeOf(() => addCard(doc, bela, newCard()))).toBeUndefined();
    expect(codeOf(() => addCard(doc, moderator, newCard()))).toBeUndefined();
  });

  it('frees a participant’s share when one of their cards is deleted, also on a reloaded board', () => {
    const doc = new Y.Doc();
    const ids = Array.from(
      { length: MAX_CARDS_PER_PARTICIPANT },
      (_, i) => addCard(doc, anna, newCard({ text: `${i}` })).id,
    );
    expect(codeOf(() => addCard(doc, anna, newCard()))).toBe('quota-exceeded');
    deleteCard(doc, anna, ids[0] as string);
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(doc));
    expect(codeOf(() => addCard(reloaded, anna, newCard()))).toBeUndefined();
    expect(codeOf(() => addCard(reloaded, anna, newCard()))).toBe('quota-exceeded');
    expect(codeOf(() => addCard(doc, anna, newCard()))).toBeUndefined();
  });

  it('never reuses an id: a deleted card stays dead, also after a reload', () => {
    const doc = new Y.Doc();
    addCard(doc, anna, newCard({ id: 'kartya1' }));
    expect(codeOf(() => addCard(doc, bela, newCard({ id: 'kartya1' })))).toBe('id-taken');
    deleteCard(doc, anna, 'kartya1');
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(doc));
    expect(codeOf(() => addCard(reloaded, anna, newCard({ id: 'kartya1' })))).toBe('id-taken');
    expect(getCard(reloaded, 'kartya1')).toBeUndefined();
  });

  it('keeps positions on the board: no infinities, no coordinates beyond its edge', () => {
    const doc = new Y.Doc();
    expect(codeOf(() => addCard(doc, anna, newCard({ y: 1e308 })))).toBe('invalid-position');
    expect(codeOf(() => addCard(doc, anna, newCard({ x: MAX_COORDINATE + 1 })))).toBe('invalid-position');
    expect(codeOf(() => addCard(doc, anna, newCard({ x: -MAX_COORDINATE })))).toBeUndefined();
  });

  it('refuses participants on a locked board but not the moderator', () => {
    const doc = new Y.Doc();
    updateMeta(doc, { locked: true });
    expect(codeOf(() => addCard(doc, anna, newCard()))).toBe('board-locked');
    expect(codeOf(() => addCard(doc, moderator, newCard()))).toBeUndefined();
  });
});

describe('editCard, moveCard, deleteCard', () => {
  it('let the author change their card', () => {
    const doc = new Y.Doc();
    const { id } = addCard(doc, anna, newCard());
    editCard(doc, anna, id, 'Ritka a buszjárat');
    moveCard(doc, anna, id, 'resources');
    // Moved into the resources' area, it is a resource.
    expect(getCard(doc, id)).toMatchObject({
      text: 'Ritka a buszjárat',
      area: 'resources',
      kind: 'resource',
    });
    expect(codeOf(() => moveCard(doc, anna, id, 'nowhere'))).toBe('invalid-area');
    // A hand-made client's area names nothing but the template's own areas.
    for (const area of ['__proto__', 'constructor', '', 'x'.repeat(64)]) {
      expect(codeOf(() => moveCard(doc, anna, id, area))).toBe('invalid-area');
      expect(codeOf(() => addCard(doc, anna, newCard({ area })))).toBe('invalid-area');
    }
    deleteCard(doc, anna, id);
    expect(getCard(doc, id)).toBeUndefined();
  });

  it('refuse other participants but let a moderator act', () => {
    const doc = new Y.Doc();
    const { id } = addCard(doc, anna, newCard());
    expect(codeOf(() => editCard(doc, bela, id, 'x'))).toBe('not-author');
    expect(codeOf(() => moveCard(doc, bela, id, 'resources'))).toBe('not-author');
    expect(codeOf(() => deleteCard(doc, bela, id))).toBe('not-author');
    expect(getCard(doc, id)?.text).toBe('Nincs buszjárat');
    editCard(doc, moderator, id, 'Moderált');
    expect(getCard(doc, id)?.text).toBe('Moderált');
  });

  it('apply the text rules to edits', () => {
    const doc = new Y.Doc();
    const { id } = addCard(doc, anna, newCard());
    expect(codeOf(() => editCard(doc, anna, id, ''))).toBe('text-empty');
    expect(codeOf(() => editCard(doc, anna, id, 'a'.repeat(MAX_CARD_TEXT + 1)))).toBe('text-too-long');
    expect(getCard(doc, id)?.text).toBe('Nincs buszjárat');
  });

  it('are closed to participants in the discuss phase', () => {
    const doc = new Y.Doc();
    const { id } = addCard(doc, anna, newCard());
    updateMeta(doc, { phase: 'discuss' });
    expect(codeOf(() => editCard(doc, anna, id, 'később'))).toBe('not-in-this-phase');
    expect(codeOf(() => deleteCard(doc, moderator, id))).toBeUndefined();
  });

  it('report a missing card', () => {
    expect(codeOf(() => editCard(new Y.Doc(), anna, 'nope', 'x'))).toBe('card-not-found');
  });
});

describe('listCards and observeCards', () => {
  it('skip malformed entries written by a foreign client', () => {
    const doc = new Y.Doc();
    addCard(doc, anna, newCard());
    const broken = new Y.Map<unknown>();
    broken.set('kind', 'problem');
    doc.getMap('cards').set('broken', broken);
    expect(listCards(doc).map((c) => c.text)).toEqual(['Nincs buszjárat']);
  });

  it('report changes made on another replica after sync', () => {
    const mine = new Y.Doc();
    const theirs = new Y.Doc();
    const seen: string[][] = [];
    const stop = observeCards(mine, (cards) => seen.push(cards.map((c) => c.text)));
    const { id } = addCard(theirs, anna, newCard({ text: 'Üres iskola' }));
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs));
    editCard(theirs, anna, id, 'Üres az iskola');
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs));
    stop();
    deleteCard(theirs, anna, id);
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs));
    expect(seen).toEqual([['Üres iskola'], ['Üres az iskola']]);
  });

  it('merge concurrent adds from two replicas without losing either', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    addCard(a, anna, newCard({ text: 'A' }), 1);
    addCard(b, bela, newCard({ text: 'B', kind: 'resource' }), 2);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(listCards(a)).toEqual(listCards(b));
    expect(listCards(a).map((c) => c.text)).toEqual(['A', 'B']);
  });
});

describe('observeChangedCards', () => {
  it('names the cards added or changed by each transaction, says whether it was local, skips removals', () => {
    const mine = new Y.Doc();
    const theirs = new Y.Doc();
    const seen: Array<[string[], boolean]> = [];
    const stop = observeChangedCards(mine, (ids, local) => seen.push([ids.sort(), local]));
    const first = addCard(theirs, anna, newCard({ text: 'Első' }));
    const second = addCard(theirs, anna, newCard({ text: 'Második' }));
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs));
    moveCard(mine, anna, first.id, 'resources');
    deleteCard(mine, anna, second.id);
    stop();
    moveCard(mine, anna, first.id, 'problems');
    expect(seen).toEqual([
      [[first.id, second.id].sort(), false],
      [[first.id], true],
    ]);
  });
});
