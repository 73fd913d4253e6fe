/** A card the moderator types for a resident without a phone: the resident's, marked as entered for them. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listCards } from './cards.js';
import { applyIntent, type IntentAuthor } from './intents.js';
import { docFromContents } from './restore.js';
import { cardsRoot } from './schema.js';
import { changeSettings } from './settings.js';
import { anna, serverBoard } from './test-helpers.js';

/** Kiss Jánosné, a resident without a phone, whose cards the moderator ('mod-7q') types. */
const forResident: IntentAuthor = {
  actor: { participantId: 'janosne', role: 'participant' },
  site: 'Felsőtanya',
  anonymousSite: '',
  enteredBy: 'mod-7q',
};
const add = (cardId: string) => ({ type: 'card:add', cardId, kind: 'problem', text: 'Nincs orvos' }) as const;

describe('a card entered for a resident without a phone', () => {
  it("carries the resident as author, their settlement, and the moderator's mark", () => {
    const board = serverBoard();
    applyIntent(board, forResident, add('c1'));
    expect(listCards(board.doc)).toMatchObject([
      { id: 'c1', authorId: 'janosne', site: 'Felsőtanya', enteredBy: 'mod-7q' },
    ]);
  });

  it("counts against the resident's own quota, not the moderator's", () => {
    const board = serverBoard();
    applyIntent(board, forResident, add('c1'));
    expect(board.cardCountBy('janosne')).toBe(1);
    expect(board.cardCountBy('mod-7q')).toBe(0);
  });

  it("names nobody on an anonymous board: neither author nor who typed it, in the document's bytes", () => {
    const board = serverBoard();
    changeSettings(board, { anonymous: true });
    applyIntent(board, forResident, add('c1'));
    const stored = cardsRoot(board.doc).get('c1');
    expect(stored?.has('authorId')).toBe(false);
    expect(stored?.has('enteredBy')).toBe(false);
    expect(Buffer.from(Y.encodeStateAsUpdate(board.doc)).toString('latin1')).not.toContain('mod-7q');
    // The server still knows whose it is (their quota, their own view).
    expect(board.secrets.authorOfCard('c1')).toBe('janosne');
  });

  it('is not there on a card its author wrote, nor on one kept before the mark existed', () => {
    const board = serverBoard();
    applyIntent(board, { actor: anna, site: 'Alsóváros' }, add('c1'));
    expect(cardsRoot(board.doc).get('c1')?.has('enteredBy')).toBe(false);
    expect(listCards(board.doc)[0]?.enteredBy).toBe('');
  });

  it('keeps the mark through an archive, under the ids the import gives people', () => {
    const board = serverBoard();
    applyIntent(board, forResident, add('c1'));
    const [card] = listCards(board.doc);
    const renamed = new Map([
      ['janosne', 'new-janosne'],
      ['mod-7q', 'new-mod'],
    ]);
    const { doc } = docFromContents(
      { cards: [{ ...(card as NonNullable<typeof card>), votes: 0 }], groups: [], meta: board.meta() },
      (id) => renamed.get(id) ?? '',
    );
    expect(listCards(doc)[0]).toMatchObject({ authorId: 'new-janosne', enteredBy: 'new-mod' });
  });
});
