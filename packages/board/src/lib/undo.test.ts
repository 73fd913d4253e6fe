import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, getCard, listCards } from './cards.js';
import { createGroup, dissolveGroup, getGroup, listGroups, renameGroup } from './groups.js';
import { applyIntent } from './intents.js';
import { modelOf } from './model.js';
import { anna, bela, newCard, serverBoard } from './test-helpers.js';
import { type RecordedChange, RecordingModel, undoChanges } from './undo.js';

const mallory = { participantId: 'mallory', role: 'participant' as const };

describe('undoing everything one person did', () => {
  it('takes back their cards, renames, regroupings and dissolves, and keeps what others changed since', () => {
    const doc = new Y.Doc();
    const bus = addCard(doc, anna, newCard({ text: 'Busz' }));
    const train = addCard(doc, anna, newCard({ text: 'Vonat' }));
    const doctor = addCard(doc, bela, newCard({ text: 'Orvos' }));
    const transport = createGroup(doc, anna, [bus.id, train.id], 'Közlekedés');
    const health = createGroup(doc, bela, [doctor.id], 'Egészség');

    const recorded: RecordedChange[] = [];
    const asMallory = (run: (board: RecordingModel) => void) => {
      const recorder = new RecordingModel(modelOf(doc));
      run(recorder);
      recorded.push(...recorder.changes);
    };
    asMallory((board) =>
      applyIntent(
        board,
        { actor: mallory, site: 'X' },
        { type: 'card:add', cardId: 'junk1', kind: 'problem', text: 'Szemét', x: 0, y: 0 },
      ),
    );
    asMallory((board) => renameGroup(board, mallory, transport.id, 'Haha'));
    asMallory((board) => renameGroup(board, mallory, health.id, 'Hihi'));
    asMallory((board) => dissolveGroup(board, mallory, transport.id));
    // Béla names the health group again after Mallory: his title stays.
    renameGroup(doc, bela, health.id, 'Egészségügy');

    expect(undoChanges(serverBoard(doc), recorded)).toBeGreaterThan(0);
    expect(getCard(doc, 'junk1')).toBeUndefined();
    expect(getGroup(doc, transport.id)?.title).toBe('Közlekedés');
    expect(getCard(doc, bus.id)?.groupId).toBe(transport.id);
    expect(getCard(doc, train.id)?.groupId).toBe(transport.id);
    expect(getGroup(doc, health.id)?.title).toBe('Egészségügy');
    expect(
      listCards(doc)
        .map((card) => card.text)
        .sort(),
    ).toEqual(['Busz', 'Orvos', 'Vonat']);
    expect(listGroups(doc)).toHaveLength(2);
    // Undoing again changes nothing more.
    undoChanges(serverBoard(doc), recorded);
    expect(
      listGroups(doc)
        .map((group) => group.title)
        .sort(),
    ).toEqual(['Egészségügy', 'Közlekedés']);
    expect(listCards(doc)).toHaveLength(3);
  });
});
