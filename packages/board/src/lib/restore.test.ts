import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, deleteCard, editCard } from './cards.js';
import { countContents, readContents } from './contents.js';
import { createGroup } from './groups.js';
import { updateMeta } from './meta.js';
import { docFromContents, docFromState, rebuildDoc, restoreContent, UNATTRIBUTED_VOTER } from './restore.js';
import { anna, bela, codeOf, moderator, newCard, serverBoard } from './test-helpers.js';
import { castVote } from './votes.js';

function workshopBoard() {
  const doc = new Y.Doc();
  const bus = addCard(doc, anna, newCard({ text: 'Busz' }));
  const school = addCard(doc, bela, newCard({ text: 'Iskola', kind: 'resource' }));
  createGroup(doc, anna, [bus.id, school.id], 'Falu');
  updateMeta(doc, { phase: 'vote' });
  const board = serverBoard(doc);
  castVote(board, anna, bus.id, 1);
  return { doc, board, bus, school };
}

describe('restoreContent', () => {
  it('brings the board back exactly to the snapshot, as a forward change', () => {
    const { doc, board, bus, school } = workshopBoard();
    const snapshot = Y.encodeStateAsUpdate(doc);
    const rows = board.secrets.rows();
    const before = readContents(doc);

    updateMeta(doc, { phase: 'collect' });
    editCard(board, moderator, bus.id, 'Átírt busz');
    deleteCard(board, moderator, school.id);
    addCard(board, moderator, newCard({ text: 'Később jött' }));
    updateMeta(doc, { phase: 'vote' });
    castVote(board, bela, bus.id, 1);
    restoreContent(board, docFromState(snapshot), rows);

    expect(readContents(doc)).toEqual(before);
    expect(countContents(doc)).toEqual({ cards: 2, votes: 1 });
    // The ballots of its moment: Béla's later vote is gone, Anna's is back in her budget.
    expect(board.secrets.rows().ballots).toEqual([{ participantId: 'anna', cardId: bus.id, votes: 1 }]);
  });

  it('wins over an offline copy that still holds the removed content', () => {
    const { doc, board, bus } = workshopBoard();
    const snapshot = Y.encodeStateAsUpdate(doc);
    const rows = board.secrets.rows();
    editCard(board, moderator, bus.id, 'Átírt busz');
    // A phone went offline with the edited board and comes back after the restore.
    const phone = new Y.Doc();
    Y.applyUpdate(phone, Y.encodeStateAsUpdate(doc));
    restoreContent(board, docFromState(snapshot), rows);
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

  it('moves the ballots of the old shape out of the document, and keeps the totals if they were shown', () => {
    const old = new Y.Doc();
    const bus = addCard(old, moderator, newCard({ text: 'Busz' }));
    const perCard = new Y.Map<number>();
    old.getMap('votes').set(bus.id, perCard);
    perCard.set('anna', 2);
    perCard.set('bela', 1);
    perCard.set('mallory', -5);

    const { doc, ballots } = rebuildDoc(old);
    expect(ballots).toEqual([
      { participantId: 'anna', cardId: bus.id, votes: 2 },
      { participantId: 'bela', cardId: bus.id, votes: 1 },
    ]);
    expect(doc.getMap('votes').size).toBe(0);
    expect(Buffer.from(Y.encodeStateAsUpdate(doc)).toString('latin1')).not.toContain('anna');
    expect(readContents(doc).cards[0]?.votes).toBe(3);
  });

  it('brings totals without ballots (an archive) in as votes of no participant', () => {
    const old = new Y.Doc();
    const bus = addCard(old, moderator, newCard({ text: 'Busz' }));
    old.getMap('tallies').set(bus.id, 4);
    expect(rebuildDoc(old).ballots).toEqual([
      { participantId: UNATTRIBUTED_VOTER, cardId: bus.id, votes: 4 },
    ]);
  });
});

describe('docFromContents', () => {
  it('builds the board given as plain content: totals as votes of no one, texts cleaned, a missing group left off', () => {
    const { doc } = workshopBoard();
    const contents = readContents(doc);
    const rebuilt = docFromContents(contents, (id) => `new-${id}`);
    const read = readContents(rebuilt.doc);
    expect(read.cards.map((card) => [card.text, card.votes, card.groupId, card.authorId])).toEqual(
      contents.cards.map((card) => [card.text, card.votes, card.groupId, `new-${card.authorId}`]),
    );
    expect(read.groups).toEqual(contents.groups);
    expect(read.meta).toEqual(contents.meta);
    expect(rebuilt.ballots).toEqual([
      {
        participantId: UNATTRIBUTED_VOTER,
        cardId: contents.cards.find((card) => card.votes > 0)?.id,
        votes: 1,
      },
    ]);

    // The voted card (cards of one millisecond come in no set order).
    const first = contents.cards.find((card) => card.votes > 0) as (typeof contents.cards)[number];
    const odd = docFromContents(
      {
        ...contents,
        groups: [],
        cards: [{ ...first, text: 'Nincs\u0000 busz\u202E', groupId: 'no-such-group' }],
        meta: {
          ...contents.meta,
          votesHidden: true,
          template: 'a-template-of-another-server',
          timer: { startedAt: 1, durationMs: 0 },
        },
      },
      (id) => id,
    );
    const [card] = readContents(odd.doc).cards;
    expect(card).toMatchObject({ text: 'Nincs busz', groupId: null, votes: 0 });
    expect(readContents(odd.doc).meta).toMatchObject({ template: 'problems-resources', timer: null });
    // While votes are hidden the totals go to the store only.
    expect(odd.ballots).toHaveLength(1);
    expect(odd.doc.share.has('tallies') && odd.doc.getMap('tallies').size).toBeFalsy();
  });
});
