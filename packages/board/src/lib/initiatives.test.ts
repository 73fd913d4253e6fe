import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BoardError } from './errors.js';
import { applyInitiativeChange, removeFromInitiatives } from './initiative-rules.js';
import {
  getInitiative,
  INITIATIVE_TYPES,
  type InitiativeActor,
  type InitiativeChange,
  MAX_MEMBERS,
  MAX_PROPOSALS_PER_PARTICIPANT,
  MAX_TASKS,
  MAX_TASKS_PER_PERSON,
  membersBySite,
  readInitiatives,
  tasksOf,
} from './initiatives.js';

const resident = (id: string, site = 'Alsóváros'): InitiativeActor => ({
  participantId: id,
  role: 'participant',
  name: `Lakó ${id}`,
  site,
  enteredBy: null,
});
const moderator: InitiativeActor = {
  participantId: 'mod',
  role: 'moderator',
  name: '',
  site: '',
  enteredBy: null,
};
/** The moderator entering for a resident without a phone: the resident, marked. */
const paperOf = (id: string, site: string): InitiativeActor => ({ ...resident(id, site), enteredBy: 'mod' });

const mari = resident('mari');
const jozsef = resident('jozsef', 'Felsőhegy');
const anna = resident('anna');

let clock = 1000;
function apply(doc: Y.Doc, actor: InitiativeActor, change: InitiativeChange): void {
  clock += 1;
  applyInitiativeChange(doc, actor, change, clock);
}

function refusal(work: () => void): string {
  try {
    work();
  } catch (error) {
    return (error as BoardError).code;
  }
  throw new Error('the change was accepted');
}

function founded(): Y.Doc {
  const doc = new Y.Doc();
  apply(doc, mari, {
    op: 'propose',
    initiativeId: 'bus',
    name: '  Közös fuvar  ',
    type: 'advocacy',
    goal: 'Este is legyen busz.',
    changes: [{ boardId: 'b1', cardId: 'c1' }],
    buildsOn: [
      { boardId: 'b1', cardId: 'c2' },
      { boardId: 'b1', cardId: 'c2' },
    ],
  });
  return doc;
}

describe('initiatives', () => {
  it('offers the four types of self-help groups and "other"', () => {
    expect(INITIATIVE_TYPES).toEqual(['personal-change', 'advocacy', 'new-ways', 'refuge', 'other']);
  });

  it('a resident proposes one and is its first member; links are kept once', () => {
    const doc = founded();
    const bus = getInitiative(doc, 'bus');
    expect(bus).toMatchObject({
      name: 'Közös fuvar',
      type: 'advocacy',
      proposedBy: 'mari',
      buildsOn: [{ boardId: 'b1', cardId: 'c2' }],
      members: [{ participantId: 'mari', name: 'Lakó mari', site: 'Alsóváros', enteredBy: null }],
    });
  });

  it('the moderator may propose one but is not a member of it; the projector is not an actor at all', () => {
    const doc = new Y.Doc();
    apply(doc, moderator, {
      op: 'propose',
      initiativeId: 'garden',
      name: 'Közösségi kert',
      type: 'new-ways',
      goal: '',
      changes: [],
      buildsOn: [],
    });
    expect(getInitiative(doc, 'garden')?.members).toEqual([]);
    expect(refusal(() => apply(doc, moderator, { op: 'join', initiativeId: 'garden' }))).toBe('not-allowed');
  });

  it('refuses a blank name, an unknown type and a day that does not exist', () => {
    const doc = founded();
    const propose = (name: string, type: string) =>
      apply(doc, mari, { op: 'propose', initiativeId: 'x', name, type, goal: '', changes: [], buildsOn: [] });
    expect(refusal(() => propose('   ', 'other'))).toBe('text-empty');
    expect(refusal(() => propose('Név', 'secret-society'))).toBe('invalid-kind');
    expect(
      refusal(() =>
        apply(doc, mari, {
          op: 'task:add',
          initiativeId: 'bus',
          taskId: 't',
          text: 'Levél',
          due: '2026-02-31',
        }),
      ),
    ).toBe('invalid-date');
  });

  it('joining with one tap lists members by settlement; joining again changes nothing', () => {
    const doc = founded();
    apply(doc, jozsef, { op: 'join', initiativeId: 'bus' });
    const before = Y.encodeStateVector(doc);
    apply(doc, jozsef, { op: 'join', initiativeId: 'bus' });
    expect(Y.encodeStateVector(doc)).toEqual(before);
    apply(doc, paperOf('erzsi', 'Felsőhegy'), { op: 'join', initiativeId: 'bus' });
    const bus = getInitiative(doc, 'bus');
    if (!bus) throw new Error('no initiative');
    expect(
      membersBySite(bus).map(({ site, members }) => [site, members.map((m) => m.participantId)]),
    ).toEqual([
      ['Alsóváros', ['mari']],
      ['Felsőhegy', ['jozsef', 'erzsi']],
    ]);
    expect(bus.members.find((m) => m.participantId === 'erzsi')?.enteredBy).toBe('mod');
  });

  it('a replayed proposal is taken once; another person’s id is refused', () => {
    const doc = founded();
    const again: InitiativeChange = {
      op: 'propose',
      initiativeId: 'bus',
      name: 'Más név',
      type: 'other',
      goal: '',
      changes: [],
      buildsOn: [],
    };
    apply(doc, mari, again);
    expect(getInitiative(doc, 'bus')?.name).toBe('Közös fuvar');
    expect(refusal(() => apply(doc, jozsef, again))).toBe('id-taken');
  });

  it('only its proposer, its contact person and the moderator edit it', () => {
    const doc = founded();
    apply(doc, jozsef, { op: 'join', initiativeId: 'bus' });
    expect(refusal(() => apply(doc, jozsef, { op: 'edit', initiativeId: 'bus', name: 'Enyém' }))).toBe(
      'not-allowed',
    );
    apply(doc, jozsef, { op: 'contact', initiativeId: 'bus', agree: true });
    // Nobody takes it from the person named.
    expect(refusal(() => apply(doc, mari, { op: 'contact', initiativeId: 'bus', agree: true }))).toBe(
      'not-allowed',
    );
    const meeting = { date: '2026-12-09', time: '17:00', place: 'Kultúrház' };
    apply(doc, jozsef, { op: 'edit', initiativeId: 'bus', nextMeeting: meeting });
    apply(doc, moderator, { op: 'edit', initiativeId: 'bus', type: 'personal-change' });
    expect(getInitiative(doc, 'bus')).toMatchObject({
      contactId: 'jozsef',
      nextMeeting: meeting,
      type: 'personal-change',
    });
    expect(
      refusal(() =>
        apply(doc, moderator, {
          op: 'edit',
          initiativeId: 'bus',
          nextMeeting: { date: '2026-12-09', time: '25:00', place: '' },
        }),
      ),
    ).toBe('invalid-date');
  });

  it('the contact person is a member who agreed; leaving takes them off it and opens their tasks', () => {
    const doc = founded();
    expect(refusal(() => apply(doc, anna, { op: 'contact', initiativeId: 'bus', agree: true }))).toBe(
      'not-a-member',
    );
    apply(doc, anna, { op: 'join', initiativeId: 'bus' });
    apply(doc, anna, { op: 'contact', initiativeId: 'bus', agree: true });
    apply(doc, anna, {
      op: 'task:add',
      initiativeId: 'bus',
      taskId: 't1',
      text: 'Levél a polgármesternek',
      due: null,
    });
    apply(doc, anna, { op: 'task:take', initiativeId: 'bus', taskId: 't1' });
    expect(refusal(() => apply(doc, mari, { op: 'contact', initiativeId: 'bus', agree: false }))).toBe(
      'not-allowed',
    );
    apply(doc, anna, { op: 'leave', initiativeId: 'bus' });
    expect(getInitiative(doc, 'bus')).toMatchObject({
      contactId: null,
      tasks: [{ id: 't1', ownerId: null }],
    });
  });

  it('only the moderator takes someone else off the list', () => {
    const doc = founded();
    apply(doc, jozsef, { op: 'join', initiativeId: 'bus' });
    expect(
      refusal(() => apply(doc, mari, { op: 'leave', initiativeId: 'bus', participantId: 'jozsef' })),
    ).toBe('not-allowed');
    apply(doc, moderator, { op: 'leave', initiativeId: 'bus', participantId: 'jozsef' });
    expect(getInitiative(doc, 'bus')?.members.map((m) => m.participantId)).toEqual(['mari']);
  });

  it('tasks: members add and take them; a taken task is nobody else’s; "my tasks" lists them', () => {
    const doc = founded();
    const addTask = (taskId: string) =>
      apply(doc, mari, {
        op: 'task:add',
        initiativeId: 'bus',
        taskId,
        text: `Feladat ${taskId}`,
        due: '2026-12-15',
      });
    expect(
      refusal(() =>
        apply(doc, jozsef, {
          op: 'task:add',
          initiativeId: 'bus',
          taskId: 'x',
          text: 'Nem vagyok tag',
          due: null,
        }),
      ),
    ).toBe('not-a-member');
    addTask('t1');
    addTask('t2');
    apply(doc, jozsef, { op: 'join', initiativeId: 'bus' });
    apply(doc, jozsef, { op: 'task:take', initiativeId: 'bus', taskId: 't1' });
    expect(refusal(() => apply(doc, mari, { op: 'task:take', initiativeId: 'bus', taskId: 't1' }))).toBe(
      'not-allowed',
    );
    expect(refusal(() => apply(doc, mari, { op: 'task:release', initiativeId: 'bus', taskId: 't1' }))).toBe(
      'not-allowed',
    );
    apply(doc, jozsef, { op: 'task:edit', initiativeId: 'bus', taskId: 't1', done: true });
    const mine = tasksOf(readInitiatives(doc), 'jozsef');
    expect(mine.map(({ task }) => [task.id, task.done, task.due])).toEqual([['t1', true, '2026-12-15']]);
  });

  it('the moderator offers a task; it is the member’s once they accept, and they may decline', () => {
    const doc = founded();
    apply(doc, mari, {
      op: 'task:add',
      initiativeId: 'bus',
      taskId: 't1',
      text: 'Aláírásgyűjtés',
      due: null,
    });
    expect(
      refusal(() =>
        apply(doc, mari, { op: 'task:offer', initiativeId: 'bus', taskId: 't1', participantId: 'mari' }),
      ),
    ).toBe('not-allowed');
    expect(
      refusal(() =>
        apply(doc, moderator, { op: 'task:offer', initiativeId: 'bus', taskId: 't1', participantId: 'anna' }),
      ),
    ).toBe('not-a-member');
    apply(doc, jozsef, { op: 'join', initiativeId: 'bus' });
    apply(doc, moderator, { op: 'task:offer', initiativeId: 'bus', taskId: 't1', participantId: 'jozsef' });
    expect(tasksOf(readInitiatives(doc), 'jozsef')).toHaveLength(1);
    expect(refusal(() => apply(doc, mari, { op: 'task:take', initiativeId: 'bus', taskId: 't1' }))).toBe(
      'not-allowed',
    );
    apply(doc, jozsef, { op: 'task:decline', initiativeId: 'bus', taskId: 't1' });
    expect(getInitiative(doc, 'bus')?.tasks[0]?.offeredTo).toBeNull();
    apply(doc, moderator, { op: 'task:offer', initiativeId: 'bus', taskId: 't1', participantId: 'jozsef' });
    apply(doc, jozsef, { op: 'task:take', initiativeId: 'bus', taskId: 't1' });
    expect(getInitiative(doc, 'bus')?.tasks[0]).toMatchObject({ ownerId: 'jozsef', offeredTo: null });
  });

  it('a task taken for a resident without a phone is marked as entered for them', () => {
    const doc = founded();
    apply(doc, mari, { op: 'task:add', initiativeId: 'bus', taskId: 't1', text: 'Kalács', due: null });
    const erzsi = paperOf('erzsi', 'Felsőhegy');
    apply(doc, erzsi, { op: 'join', initiativeId: 'bus' });
    apply(doc, erzsi, { op: 'task:take', initiativeId: 'bus', taskId: 't1' });
    expect(getInitiative(doc, 'bus')?.tasks[0]).toMatchObject({ ownerId: 'erzsi', ownerEnteredBy: 'mod' });
  });

  it('one person adds a bounded number of tasks, an initiative holds a bounded number', () => {
    const doc = founded();
    const add = (actor: InitiativeActor, taskId: string) =>
      apply(doc, actor, { op: 'task:add', initiativeId: 'bus', taskId, text: `F ${taskId}`, due: null });
    for (let i = 0; i < MAX_TASKS_PER_PERSON; i += 1) add(mari, `m${i}`);
    expect(refusal(() => add(mari, 'one-more'))).toBe('quota-exceeded');
    for (let i = MAX_TASKS_PER_PERSON; i < MAX_TASKS; i += 1) add(moderator, `t${i}`);
    expect(refusal(() => add(moderator, 'more'))).toBe('board-full');
  });

  it('one member cannot undo the others’ tasks; whoever added it, its owner and those who lead it can', () => {
    const doc = founded();
    apply(doc, jozsef, { op: 'join', initiativeId: 'bus' });
    apply(doc, anna, { op: 'join', initiativeId: 'bus' });
    apply(doc, jozsef, { op: 'task:add', initiativeId: 'bus', taskId: 't1', text: 'Plakát', due: null });
    apply(doc, anna, { op: 'task:take', initiativeId: 'bus', taskId: 't1' });
    apply(doc, jozsef, { op: 'task:add', initiativeId: 'bus', taskId: 't2', text: 'Hívás', due: null });
    expect(refusal(() => apply(doc, anna, { op: 'task:remove', initiativeId: 'bus', taskId: 't2' }))).toBe(
      'not-allowed',
    );
    expect(
      refusal(() => apply(doc, anna, { op: 'task:edit', initiativeId: 'bus', taskId: 't2', text: 'Semmi' })),
    ).toBe('not-allowed');
    apply(doc, anna, { op: 'task:edit', initiativeId: 'bus', taskId: 't1', done: true });
    apply(doc, mari, { op: 'task:remove', initiativeId: 'bus', taskId: 't2' });
    expect(getInitiative(doc, 'bus')?.tasks.map((t) => [t.id, t.done])).toEqual([['t1', true]]);
  });

  it('one participant proposes a bounded number of initiatives; the moderator is not bounded', () => {
    const doc = new Y.Doc();
    const propose = (actor: InitiativeActor, initiativeId: string) =>
      apply(doc, actor, {
        op: 'propose',
        initiativeId,
        name: initiativeId,
        type: 'other',
        goal: '',
        changes: [],
        buildsOn: [],
      });
    for (let i = 0; i < MAX_PROPOSALS_PER_PARTICIPANT; i += 1) propose(mari, `i${i}`);
    expect(refusal(() => propose(mari, 'spam'))).toBe('quota-exceeded');
    propose(moderator, 'helped');
    expect(readInitiatives(doc)).toHaveLength(MAX_PROPOSALS_PER_PARTICIPANT + 1);
  });

  it('the moderator merges two into one: members once, tasks and links together; the other is gone', () => {
    const doc = founded();
    apply(doc, jozsef, {
      op: 'propose',
      initiativeId: 'ride',
      name: 'Telekocsi',
      type: 'other',
      goal: '',
      changes: [{ boardId: 'b1', cardId: 'c1' }],
      buildsOn: [{ boardId: 'b1', cardId: 'c3' }],
    });
    apply(doc, mari, { op: 'join', initiativeId: 'ride' });
    apply(doc, jozsef, {
      op: 'task:add',
      initiativeId: 'ride',
      taskId: 'r1',
      text: 'Autósok listája',
      due: null,
    });
    expect(refusal(() => apply(doc, mari, { op: 'merge', initiativeId: 'ride', intoId: 'bus' }))).toBe(
      'not-allowed',
    );
    apply(doc, moderator, { op: 'merge', initiativeId: 'ride', intoId: 'bus' });
    expect(readInitiatives(doc).map((i) => i.id)).toEqual(['bus']);
    expect(getInitiative(doc, 'bus')).toMatchObject({
      members: [{ participantId: 'mari' }, { participantId: 'jozsef' }],
      tasks: [{ id: 'r1' }],
      changes: [{ cardId: 'c1' }],
      buildsOn: [{ cardId: 'c2' }, { cardId: 'c3' }],
    });
  });

  it('its proposer may take back a proposal nobody else joined; then only the moderator deletes it', () => {
    const doc = founded();
    apply(doc, jozsef, { op: 'join', initiativeId: 'bus' });
    expect(refusal(() => apply(doc, mari, { op: 'delete', initiativeId: 'bus' }))).toBe('not-allowed');
    apply(doc, jozsef, { op: 'leave', initiativeId: 'bus' });
    apply(doc, mari, { op: 'delete', initiativeId: 'bus' });
    expect(readInitiatives(doc)).toEqual([]);
    expect(refusal(() => apply(doc, mari, { op: 'join', initiativeId: 'bus' }))).toBe('initiative-not-found');
  });

  it('merging keeps both tasks of one id apart, and refuses what would not fit', () => {
    const doc = founded();
    apply(doc, mari, { op: 'task:add', initiativeId: 'bus', taskId: 'same', text: 'Egy', due: null });
    apply(doc, jozsef, {
      op: 'propose',
      initiativeId: 'ride',
      name: 'Telekocsi',
      type: 'other',
      goal: '',
      changes: [],
      buildsOn: [],
    });
    // A copied id (every id is in everyone's replica).
    apply(doc, jozsef, { op: 'task:add', initiativeId: 'ride', taskId: 'same', text: 'Kettő', due: null });
    apply(doc, moderator, { op: 'merge', initiativeId: 'ride', intoId: 'bus' });
    const tasks = getInitiative(doc, 'bus')?.tasks ?? [];
    expect(tasks.map((task) => task.text)).toEqual(['Egy', 'Kettő']);
    expect(new Set(tasks.map((task) => task.id)).size).toBe(2);

    apply(doc, moderator, {
      op: 'propose',
      initiativeId: 'big',
      name: 'Nagy',
      type: 'other',
      goal: '',
      changes: [],
      buildsOn: [],
    });
    for (let i = 0; i < MAX_TASKS - 1; i += 1) {
      apply(doc, moderator, {
        op: 'task:add',
        initiativeId: 'big',
        taskId: `b${i}`,
        text: `F${i}`,
        due: null,
      });
    }
    expect(refusal(() => apply(doc, moderator, { op: 'merge', initiativeId: 'big', intoId: 'bus' }))).toBe(
      'board-full',
    );
    expect(getInitiative(doc, 'big')?.tasks).toHaveLength(MAX_TASKS - 1);
  });

  it('an initiative has a bounded number of members', () => {
    const doc = founded();
    for (let i = 1; i < MAX_MEMBERS; i += 1)
      apply(doc, resident(`r${i}`), { op: 'join', initiativeId: 'bus' });
    expect(refusal(() => apply(doc, resident('late'), { op: 'join', initiativeId: 'bus' }))).toBe(
      'board-full',
    );
  });

  it('a proposer who left no longer edits it', () => {
    const doc = founded();
    apply(doc, jozsef, { op: 'join', initiativeId: 'bus' });
    apply(doc, mari, { op: 'leave', initiativeId: 'bus' });
    expect(refusal(() => apply(doc, mari, { op: 'edit', initiativeId: 'bus', name: 'Vissza' }))).toBe(
      'not-allowed',
    );
  });

  it('a participant removed from the session leaves every initiative; what only they were in goes', () => {
    const doc = founded();
    apply(doc, jozsef, { op: 'join', initiativeId: 'bus' });
    apply(doc, jozsef, { op: 'contact', initiativeId: 'bus', agree: true });
    for (const id of ['spam1', 'spam2']) {
      apply(doc, jozsef, {
        op: 'propose',
        initiativeId: id,
        name: id,
        type: 'other',
        goal: '',
        changes: [],
        buildsOn: [],
      });
    }
    removeFromInitiatives(doc, 'jozsef');
    expect(
      readInitiatives(doc).map((i) => [i.id, i.contactId, i.members.map((m) => m.participantId)]),
    ).toEqual([['bus', null, ['mari']]]);
  });

  it('reads an entry off its shape as nothing, and a field off its shape as its default', () => {
    const doc = new Y.Doc();
    const map = doc.getMap<unknown>('initiatives');
    map.set('junk', 'not an object');
    map.set('odd', {
      id: 'odd',
      name: 'Régi',
      type: 'cult',
      members: [{ participantId: '' }, 7],
      tasks: 'x',
    });
    expect(readInitiatives(doc)).toEqual([
      expect.objectContaining({ id: 'odd', type: 'other', members: [], tasks: [], nextMeeting: null }),
    ]);
    // One member or task twice, a contact who is not a member, a meeting on a day that does not exist.
    const member = { participantId: 'anna', name: 'Anna', site: 'A', joinedAt: 1, enteredBy: null };
    const task = {
      id: 't',
      text: 'Egy',
      ownerId: null,
      offeredTo: null,
      due: null,
      done: false,
      createdBy: 'anna',
      createdAt: 1,
    };
    map.set('twice', {
      id: 'twice',
      name: 'Kétszer',
      type: 'other',
      members: [member, member],
      tasks: [task, { ...task, text: 'Más' }],
      contactId: 'stranger',
      nextMeeting: { date: '2026-02-30', time: '17:00', place: '' },
    });
    expect(getInitiative(doc, 'twice')).toMatchObject({
      members: [member],
      tasks: [{ id: 't', text: 'Egy' }],
      contactId: null,
      nextMeeting: null,
    });
  });
});
