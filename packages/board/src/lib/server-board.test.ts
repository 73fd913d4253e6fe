import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, deleteCard, editCard, listCards } from './cards.js';
import { createGroup, listGroups } from './groups.js';
import { applyIntent } from './intents.js';
import { layoutBoard, overlappingPairs } from './layout.js';
import { CANVAS_STYLE } from './layout-styles.js';
import { readMeta, updateMeta } from './meta.js';
import { PrivateState } from './private-state.js';
import { ServerBoard } from './server-board.js';
import { changeSettings } from './settings.js';
import { findTemplate } from './templates.js';
import { anna, bela, codeOf, moderator, newCard, serverBoard } from './test-helpers.js';
import { RecordingModel, undoChanges } from './undo.js';
import { castVote, voteTotals } from './votes.js';

const bytesOf = (doc: Y.Doc) => Buffer.from(Y.encodeStateAsUpdate(doc)).toString('latin1');

describe('silent collect', () => {
  it('keeps a participant’s cards as drafts off the document; the author edits and deletes them', () => {
    const board = serverBoard();
    changeSettings(board, { silentCollect: true });
    const mine = addCard(board, anna, newCard({ text: 'Titkos gond' }));
    const moderators = addCard(board, moderator, newCard({ text: 'Példa kártya' }));
    expect(listCards(board.doc).map((card) => card.id)).toEqual([moderators.id]);
    expect(bytesOf(board.doc)).not.toContain('Titkos');
    expect(board.secrets.draftsBy('anna').map((card) => card.text)).toEqual(['Titkos gond']);
    expect(codeOf(() => editCard(board, bela, mine.id, 'Átírva'))).toBe('not-author');
    editCard(board, anna, mine.id, 'Titkos gond, pontosítva');
    const gone = addCard(board, anna, newCard({ text: 'Mégsem' }));
    deleteCard(board, anna, gone.id);
    // A deleted draft's id stays dead, as a deleted card's does.
    expect(codeOf(() => addCard(board, bela, newCard({ id: gone.id })))).toBe('id-taken');
    expect(board.secrets.drafts().map((card) => card.text)).toEqual(['Titkos gond, pontosítva']);
  });

  it('groups a card only once it is revealed', () => {
    const board = serverBoard();
    changeSettings(board, { silentCollect: true });
    const draft = addCard(board, anna, newCard());
    const shown = addCard(board, moderator, newCard({ text: 'Látható' }));
    expect(codeOf(() => createGroup(board, anna, [shown.id, draft.id], 'Csoport'))).toBe('card-not-found');
    expect(listGroups(board.doc)).toEqual([]);
  });

  it('reveals every draft at once, each with its id, author and time, none over another', () => {
    const board = serverBoard();
    changeSettings(board, { silentCollect: true });
    const drafts = Array.from({ length: 40 }, (_, i) =>
      addCard(board, i % 2 ? anna : bela, newCard({ text: `Gond ${i}`, x: 12, y: 110 }), 1000 + i),
    );
    let transactions = 0;
    board.doc.on('afterTransaction', () => transactions++);
    changeSettings(board, { silentCollect: false });
    expect(transactions).toBe(1);
    const cards = listCards(board.doc);
    expect(cards.map((card) => [card.id, card.authorId, card.createdAt])).toEqual(
      drafts.map((card) => [card.id, card.authorId, card.createdAt]),
    );
    const drawn = layoutBoard(
      { template: findTemplate(readMeta(board.doc).template), cards, groups: [] },
      CANVAS_STYLE,
      {
        locale: 'hu',
      },
    );
    expect(overlappingPairs(drawn.cards)).toBe(0);
    expect(board.secrets.drafts()).toEqual([]);
    // After the reveal a card goes straight on the board.
    addCard(board, anna, newCard({ text: 'Utána' }));
    expect(listCards(board.doc)).toHaveLength(41);
  });

  it('reveals the drafts when the moderator moves on from collecting', () => {
    const board = serverBoard();
    changeSettings(board, { silentCollect: true });
    addCard(board, anna, newCard());
    changeSettings(board, { phase: 'group' });
    expect(listCards(board.doc)).toHaveLength(1);
    expect(board.meta().silentCollect).toBe(false);
  });
});

describe('anonymous boards', () => {
  it('keep the author on the server: the document carries none, the author still edits their own', () => {
    const board = serverBoard();
    changeSettings(board, { anonymous: true });
    const card = addCard(board, anna, newCard({ text: 'Névtelen gond' }));
    const [onBoard] = listCards(board.doc);
    expect(onBoard?.authorId).toBe('');
    expect(bytesOf(board.doc)).not.toContain('anna');
    expect(codeOf(() => editCard(board, bela, card.id, 'Béla írta át'))).toBe('not-author');
    editCard(board, anna, card.id, 'Anna írta át');
    expect(board.secrets.cardIdsBy('anna')).toEqual([card.id]);
    // Reloaded from the stored rows, the author is still known, and her quota still counts.
    const reloaded = new ServerBoard(board.doc, new PrivateState(board.secrets.rows()));
    expect(reloaded.cardCountBy('anna')).toBe(1);
    deleteCard(reloaded, anna, card.id);
    expect(reloaded.cardCountBy('anna')).toBe(0);
  });

  it('shows a card’s settlement only as worked out for an anonymous board, also for a card that waited while it turned anonymous', () => {
    const board = serverBoard();
    changeSettings(board, { anonymous: true });
    const add = (cardId: string) => ({
      type: 'card:add' as const,
      cardId,
      kind: 'problem' as const,
      text: 'Gond',
      x: 0,
      y: 0,
    });
    applyIntent(board, { actor: anna, site: 'Kisfalu' }, add('waited'));
    applyIntent(board, { actor: anna, site: 'Alsóváros', anonymousSite: 'Alsóváros' }, add('named'));
    expect(Object.fromEntries(listCards(board.doc).map((card) => [card.id, card.site]))).toEqual({
      waited: '',
      named: 'Alsóváros',
    });
  });

  it('can be switched only while the board has no card, drafts included', () => {
    const board = serverBoard();
    changeSettings(board, { silentCollect: true });
    addCard(board, anna, newCard());
    expect(codeOf(() => changeSettings(board, { anonymous: true }))).toBe('invalid-setting');
    const empty = serverBoard();
    updateMeta(empty.doc, { phase: 'collect' });
    expect(codeOf(() => changeSettings(empty, { anonymous: true }))).toBeUndefined();
  });
});

describe('undoing a participant on the server’s board', () => {
  const recorded = (board: ServerBoard, run: (recorder: RecordingModel) => void) => {
    const recorder = new RecordingModel(board);
    run(recorder);
    return recorder.changes;
  };

  it('puts a deleted draft back as a draft while silence lasts: the document gets no update', () => {
    const board = serverBoard();
    changeSettings(board, { silentCollect: true });
    const draft = addCard(board, anna, newCard({ text: 'Titok' }));
    const changes = recorded(board, (recorder) => deleteCard(recorder, anna, draft.id));
    let updates = 0;
    board.doc.on('update', () => updates++);
    expect(undoChanges(board, changes)).toBe(1);
    expect(updates).toBe(0);
    expect(board.secrets.draft(draft.id)?.text).toBe('Titok');
  });

  it('puts a deleted card back with its total when votes are visible', () => {
    const board = serverBoard();
    const card = addCard(board, anna, newCard({ text: 'Busz' }));
    changeSettings(board, { phase: 'vote' });
    castVote(board, bela, card.id, 1);
    changeSettings(board, { phase: 'group' });
    const changes = recorded(board, (recorder) => deleteCard(recorder, anna, card.id));
    expect(voteTotals(board.doc).has(card.id)).toBe(false);
    undoChanges(board, changes);
    expect(voteTotals(board.doc).get(card.id)).toBe(1);
  });
});
