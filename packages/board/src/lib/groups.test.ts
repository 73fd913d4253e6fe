import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, getCard, listCards } from './cards.js';
import {
  addToGroup,
  createGroup,
  dissolveGroup,
  getGroup,
  groupWith,
  listGroups,
  moveGroup,
  removeFromGroup,
  renameGroup,
} from './groups.js';
import { newBoardState, updateMeta } from './meta.js';
import { MAX_GROUPS_PER_BOARD } from './schema.js';
import { anna, bela, boardWith, codeOf, viewer } from './test-helpers.js';

describe('grouping', () => {
  it('drops a card on a loose card to start a group, then on a grouped card to join it', () => {
    const { doc, ids } = boardWith(['Busz', 'Vonat', 'Autóbusz']);
    const [a, b, c] = ids as [string, string, string];
    const groupId = groupWith(doc, bela, b, a);
    expect(getCard(doc, a)?.groupId).toBe(groupId);
    expect(getCard(doc, b)?.groupId).toBe(groupId);
    expect(groupWith(doc, bela, c, b)).toBe(groupId);
    expect(listCards(doc).every((card) => card.groupId === groupId)).toBe(true);
  });

  it('lets anyone name, move and dissolve a group; its cards stay', () => {
    const { doc, ids } = boardWith(['Busz', 'Vonat']);
    const group = createGroup(doc, bela, ids);
    renameGroup(doc, anna, group.id, '  Közlekedés ');
    moveGroup(doc, anna, group.id, 'resources');
    expect(getGroup(doc, group.id)).toMatchObject({ title: 'Közlekedés', area: 'resources' });
    dissolveGroup(doc, bela, group.id);
    expect(listGroups(doc)).toEqual([]);
    // The cards stay where the group was drawn.
    expect(listCards(doc).map((card) => [card.groupId, card.area])).toEqual([
      [null, 'resources'],
      [null, 'resources'],
    ]);
  });

  it('takes a card out of its group into the area it is dropped in', () => {
    const { doc, ids } = boardWith(['Busz', 'Vonat']);
    const group = createGroup(doc, bela, ids);
    removeFromGroup(doc, anna, ids[0] as string, 'resources');
    expect(getCard(doc, ids[0] as string)).toMatchObject({ groupId: null, area: 'resources' });
    expect(getCard(doc, ids[1] as string)?.groupId).toBe(group.id);
  });

  it("does not let a loose card of someone else be moved by 'leaving' a group it is not in", () => {
    const { doc, ids } = boardWith(['Busz']);
    const id = ids[0] as string;
    expect(codeOf(() => removeFromGroup(doc, bela, id, 'resources'))).toBe('not-author');
    expect(getCard(doc, id)).toMatchObject({ area: 'problems' });
    removeFromGroup(doc, anna, id, 'resources');
    expect(getCard(doc, id)).toMatchObject({ area: 'resources' });
  });

  it('merges concurrent grouping: no card in two groups, no card lost', () => {
    const { doc: base, ids } = boardWith(['Busz', 'Vonat', 'Orvos']);
    const [a, b, c] = ids as [string, string, string];
    const left = new Y.Doc();
    const right = new Y.Doc();
    Y.applyUpdate(left, Y.encodeStateAsUpdate(base));
    Y.applyUpdate(right, Y.encodeStateAsUpdate(base));
    groupWith(left, anna, a, b); // Anna groups the bus with the train...
    groupWith(right, bela, a, c); // ...while Béla groups the bus with the doctor.
    Y.applyUpdate(left, Y.encodeStateAsUpdate(right));
    Y.applyUpdate(right, Y.encodeStateAsUpdate(left));
    expect(listCards(left)).toEqual(listCards(right));
    expect(listCards(left)).toHaveLength(3);
    const groupOfA = getCard(left, a)?.groupId;
    expect(groupOfA === getCard(left, b)?.groupId || groupOfA === getCard(left, c)?.groupId).toBe(true);
  });

  it('treats a card whose group was dissolved concurrently as loose', () => {
    const { doc: base, ids } = boardWith(['Busz', 'Vonat', 'Orvos']);
    const group = createGroup(base, anna, [ids[0] as string, ids[1] as string]);
    const left = new Y.Doc();
    const right = new Y.Doc();
    Y.applyUpdate(left, Y.encodeStateAsUpdate(base));
    Y.applyUpdate(right, Y.encodeStateAsUpdate(base));
    dissolveGroup(left, anna, group.id);
    addToGroup(right, bela, ids[2] as string, group.id);
    Y.applyUpdate(left, Y.encodeStateAsUpdate(right));
    expect(listCards(left).map((card) => card.groupId)).toEqual([null, null, null]);
  });

  it('stops at the group limit of a board', () => {
    const { doc, ids } = boardWith(['Busz']);
    const card = ids[0] as string;
    for (let i = 0; i < MAX_GROUPS_PER_BOARD; i++) createGroup(doc, anna, [card]);
    expect(codeOf(() => createGroup(doc, anna, [card]))).toBe('board-full');
    expect(listGroups(doc)).toHaveLength(MAX_GROUPS_PER_BOARD);
  });

  it('is closed to viewers and outside the collect and group phases', () => {
    const { doc, ids } = boardWith(['Busz', 'Vonat']);
    expect(codeOf(() => groupWith(doc, viewer, ids[0] as string, ids[1] as string))).toBe(
      'not-in-this-phase',
    );
    updateMeta(doc, { phase: 'vote' });
    expect(codeOf(() => groupWith(doc, anna, ids[0] as string, ids[1] as string))).toBe('not-in-this-phase');
  });

  it("puts a card in its group's area: joining, starting and moving a group take its cards along", () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, newBoardState('problems-resources'));
    const bus = addCard(doc, anna, { kind: 'problem', text: 'Busz', site: '', area: 'problems' });
    const van = addCard(doc, anna, { kind: 'resource', text: 'Kisbusz', site: '', area: 'resources' });
    const groupId = groupWith(doc, bela, van.id, bus.id);
    // Dropped onto the bus: the van is drawn, and labelled, in the problems' area with it.
    expect(getCard(doc, van.id)).toMatchObject({ groupId, area: 'problems', kind: 'resource' });
    moveGroup(doc, anna, groupId, 'resources');
    expect([getCard(doc, bus.id)?.area, getCard(doc, van.id)?.area]).toEqual(['resources', 'resources']);
    // Its kind stays what its author wrote.
    expect(getCard(doc, bus.id)?.kind).toBe('problem');
  });
});
