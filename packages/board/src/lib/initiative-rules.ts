/**
 * The rules of initiatives (initiatives.ts holds their shape and typed reads): who may propose,
 * join, leave, edit, merge and work on tasks (`applyInitiativeChange`, server only, and the
 * client's check of which buttons to show), and how initiatives come in from outside (archives)
 * and leave with a removed participant. Kept apart so that a phone loads them with the
 * initiatives' view, not with the board.
 *
 * Every change is safe to apply twice (an outbox replayed after a day offline): ids are made by the
 * device, and joining, taking a task or proposing what is there already changes nothing.
 */
import type * as Y from 'yjs';
import { BoardError } from './errors.js';
import { newId } from './ids.js';
import {
  type CardRef,
  getInitiative,
  INITIATIVE_TYPES,
  type Initiative,
  type InitiativeActor,
  type InitiativeChange,
  type InitiativeMember,
  type InitiativeTask,
  initiativesMap,
  isDay,
  isTime,
  MAX_INITIATIVE_GOAL,
  MAX_INITIATIVE_NAME,
  MAX_INITIATIVES,
  MAX_LINKED_CARDS,
  MAX_MEETING_PLACE,
  MAX_MEMBERS,
  MAX_PROPOSALS_PER_PARTICIPANT,
  MAX_TASK_TEXT,
  MAX_TASKS,
  MAX_TASKS_PER_PERSON,
  type Meeting,
  readInitiative,
  readInitiatives,
} from './initiatives.js';
import { checkText, cleanText, type TextKind } from './text.js';

/** How an archive's people and boards are named in the session it is imported into ('' for gone). */
export interface Renaming {
  person(id: string): string;
  board(id: string): string;
}

/**
 * An initiative as an archive brings it into a new session: its people and boards under their new
 * ids (a member, link or task owner who is not in the file is left out), its texts cleaned by the
 * text rule as every text from outside is, within the limits.
 */
export function carriedInitiative(initiative: Initiative, rename: Renaming): Initiative {
  const person = (id: string | null) => (id === null ? null : rename.person(id) || null);
  const refs = (list: CardRef[]) =>
    list.flatMap(({ boardId, cardId }) => {
      const board = rename.board(boardId);
      return board ? [{ boardId: board, cardId }] : [];
    });
  const members = initiative.members.flatMap((member) => {
    const participantId = person(member.participantId);
    return participantId
      ? [
          {
            ...member,
            participantId,
            // Bounded by the archive's schema, as the people's own names are.
            name: cleanText(member.name),
            site: cleanText(member.site),
            enteredBy: person(member.enteredBy),
          },
        ]
      : [];
  });
  const meeting = initiative.nextMeeting;
  return {
    ...initiative,
    name: cleanText(initiative.name, 'line', MAX_INITIATIVE_NAME),
    goal: cleanText(initiative.goal, 'card', MAX_INITIATIVE_GOAL),
    changes: refs(initiative.changes).slice(0, MAX_LINKED_CARDS),
    buildsOn: refs(initiative.buildsOn).slice(0, MAX_LINKED_CARDS),
    proposedBy: person(initiative.proposedBy) ?? '',
    contactId: person(initiative.contactId),
    nextMeeting: meeting && { ...meeting, place: cleanText(meeting.place, 'line', MAX_MEETING_PLACE) },
    members,
    tasks: initiative.tasks.slice(0, MAX_TASKS).map((task) => ({
      ...task,
      text: cleanText(task.text, 'line', MAX_TASK_TEXT),
      ownerId: person(task.ownerId),
      ownerEnteredBy: person(task.ownerEnteredBy),
      offeredTo: person(task.offeredTo),
      createdBy: person(task.createdBy) ?? '',
    })),
  };
}

/**
 * Server only. A participant removed from the session leaves every initiative (no longer its
 * contact, their tasks open again), and what they proposed that nobody else joined goes: one
 * visitor's flood of proposals is cleared by removing them.
 */
export function removeFromInitiatives(doc: Y.Doc, participantId: string): void {
  doc.transact(() => {
    for (const initiative of readInitiatives(doc)) {
      const alone = initiative.members.every((m) => m.participantId === participantId);
      if (initiative.proposedBy === participantId && alone) initiativesMap(doc).delete(initiative.id);
      else if (initiative.members.some((m) => m.participantId === participantId)) {
        initiativesMap(doc).set(initiative.id, withoutMember(initiative, participantId));
      }
    }
  });
}

/**
 * Server only. Writes initiatives brought from outside (an archive) into a session document,
 * each as the typed read takes it: what is off its shape does not get in.
 */
export function restoreInitiatives(doc: Y.Doc, initiatives: Initiative[]): void {
  doc.transact(() => {
    for (const value of initiatives.slice(0, MAX_INITIATIVES)) {
      const initiative = readInitiative(value);
      if (initiative) initiativesMap(doc).set(initiative.id, initiative);
    }
  });
}

/** Every card an initiative links, on both sides (the server checks they exist in the session). */
export function linkedCards(change: InitiativeChange): CardRef[] {
  if (change.op !== 'propose' && change.op !== 'edit') return [];
  return [...(change.changes ?? []), ...(change.buildsOn ?? [])];
}

/**
 * Server only. Applies one change to the session document as `actor`, or throws a BoardError
 * saying why not. Whether linked cards exist is the caller's to check: they live in the boards.
 */
export function applyInitiativeChange(
  doc: Y.Doc,
  actor: InitiativeActor,
  change: InitiativeChange,
  now: number,
): void {
  if (change.op === 'propose') {
    propose(doc, actor, change, now);
    return;
  }
  const initiative = getInitiative(doc, change.initiativeId);
  if (!initiative) throw new BoardError('initiative-not-found', 'No such initiative in this session');
  const next = changed(doc, initiative, actor, change, now);
  if (next === null) initiativesMap(doc).delete(initiative.id);
  else if (next !== initiative) initiativesMap(doc).set(initiative.id, next);
}

function propose(
  doc: Y.Doc,
  actor: InitiativeActor,
  change: Extract<InitiativeChange, { op: 'propose' }>,
  now: number,
): void {
  const existing = getInitiative(doc, change.initiativeId);
  if (existing) {
    if (existing.proposedBy === actor.participantId) return; // a replay
    throw new BoardError('id-taken', 'That initiative id is taken');
  }
  if (initiativesMap(doc).has(change.initiativeId))
    throw new BoardError('id-taken', 'That initiative id is taken');
  if (initiativesMap(doc).size >= MAX_INITIATIVES) {
    throw new BoardError('board-full', `A session holds at most ${MAX_INITIATIVES} initiatives`);
  }
  const proposed = readInitiatives(doc).filter((i) => i.proposedBy === actor.participantId).length;
  if (actor.role !== 'moderator' && proposed >= MAX_PROPOSALS_PER_PARTICIPANT) {
    throw new BoardError(
      'quota-exceeded',
      `One person proposes at most ${MAX_PROPOSALS_PER_PARTICIPANT} initiatives`,
    );
  }
  const initiative: Initiative = {
    id: change.initiativeId,
    name: field(change.name, MAX_INITIATIVE_NAME, 'line'),
    type: initiativeType(change.type),
    goal: optionalField(change.goal, MAX_INITIATIVE_GOAL),
    changes: links(change.changes),
    buildsOn: links(change.buildsOn),
    proposedBy: actor.participantId,
    createdAt: now,
    contactId: null,
    nextMeeting: null,
    // A resident who proposes is its first member; the moderator only helps found it.
    members: actor.role === 'participant' ? [memberOf(actor, now)] : [],
    tasks: [],
  };
  initiativesMap(doc).set(initiative.id, initiative);
}

/** The initiative after the change: the same object when nothing changes, null when it goes. */
function changed(
  doc: Y.Doc,
  initiative: Initiative,
  actor: InitiativeActor,
  change: Exclude<InitiativeChange, { op: 'propose' }>,
  now: number,
): Initiative | null {
  const me = actor.participantId;
  const moderator = actor.role === 'moderator';
  const member = initiative.members.some((m) => m.participantId === me);
  switch (change.op) {
    case 'edit': {
      if (!leads(initiative, actor)) {
        throw new BoardError(
          'not-allowed',
          'Only its proposer, its contact person or the moderator may edit it',
        );
      }
      return {
        ...initiative,
        ...(change.name !== undefined ? { name: field(change.name, MAX_INITIATIVE_NAME, 'line') } : {}),
        ...(change.type !== undefined ? { type: initiativeType(change.type) } : {}),
        ...(change.goal !== undefined ? { goal: optionalField(change.goal, MAX_INITIATIVE_GOAL) } : {}),
        ...(change.changes !== undefined ? { changes: links(change.changes) } : {}),
        ...(change.buildsOn !== undefined ? { buildsOn: links(change.buildsOn) } : {}),
        ...(change.nextMeeting !== undefined ? { nextMeeting: meeting(change.nextMeeting) } : {}),
      };
    }
    case 'join':
      if (moderator) throw new BoardError('not-allowed', 'The moderator helps; residents join');
      if (member) return initiative;
      if (initiative.members.length >= MAX_MEMBERS) {
        throw new BoardError('board-full', `An initiative has at most ${MAX_MEMBERS} members`);
      }
      return { ...initiative, members: [...initiative.members, memberOf(actor, now)] };
    case 'leave': {
      const leaving = change.participantId ?? me;
      if (leaving !== me && !moderator) {
        throw new BoardError('not-allowed', 'Only the moderator may take someone else off the list');
      }
      if (!initiative.members.some((m) => m.participantId === leaving)) return initiative;
      return withoutMember(initiative, leaving);
    }
    case 'contact':
      if (change.agree) {
        if (!member) throw new BoardError('not-a-member', 'Only a member may be its contact person');
        // Nobody takes the contact from the person named: they step down, or the moderator clears it.
        if (initiative.contactId !== null && initiative.contactId !== me) {
          throw new BoardError('not-allowed', 'Someone else is its contact person');
        }
        return { ...initiative, contactId: me };
      }
      if (initiative.contactId !== me && !moderator) {
        throw new BoardError('not-allowed', 'Only the contact person or the moderator may clear the contact');
      }
      return { ...initiative, contactId: null };
    case 'merge':
      return merge(doc, initiative, actor, change.intoId);
    case 'delete':
      // Its proposer may take back a proposal nobody else has joined.
      if (
        !moderator &&
        !(me === initiative.proposedBy && initiative.members.every((m) => m.participantId === me))
      ) {
        throw new BoardError('not-allowed', 'Only the moderator may delete an initiative others have joined');
      }
      return null;
    default:
      return changedTask(initiative, actor, member, change, now);
  }
}

function changedTask(
  initiative: Initiative,
  actor: InitiativeActor,
  member: boolean,
  change: Extract<InitiativeChange, { op: `task:${string}` }>,
  now: number,
): Initiative {
  const me = actor.participantId;
  const moderator = actor.role === 'moderator';
  const withTask = (task: InitiativeTask) => ({
    ...initiative,
    tasks: initiative.tasks.map((t) => (t.id === task.id ? task : t)),
  });
  if (!moderator && !member) throw new BoardError('not-a-member', 'Join the initiative to work on its tasks');
  if (change.op === 'task:add') {
    const existing = initiative.tasks.find((task) => task.id === change.taskId);
    if (existing) {
      if (existing.createdBy === me) return initiative; // a replay
      throw new BoardError('id-taken', 'That task id is taken');
    }
    if (initiative.tasks.length >= MAX_TASKS) {
      throw new BoardError('board-full', `An initiative holds at most ${MAX_TASKS} tasks`);
    }
    if (!moderator && initiative.tasks.filter((t) => t.createdBy === me).length >= MAX_TASKS_PER_PERSON) {
      throw new BoardError('quota-exceeded', `One person adds at most ${MAX_TASKS_PER_PERSON} tasks here`);
    }
    const task: InitiativeTask = {
      id: change.taskId,
      text: field(change.text, MAX_TASK_TEXT, 'line'),
      ownerId: null,
      ownerEnteredBy: null,
      offeredTo: null,
      due: day(change.due),
      done: false,
      createdBy: me,
      createdAt: now,
    };
    return { ...initiative, tasks: [...initiative.tasks, task] };
  }
  const task = initiative.tasks.find((t) => t.id === change.taskId);
  if (!task) throw new BoardError('task-not-found', 'No such task in this initiative');
  // A task is changed or removed by whoever added it or took it on, and by those who lead the
  // initiative: one member cannot undo the others' tasks.
  const mayChange = leads(initiative, actor) || task.createdBy === me || task.ownerId === me;
  if ((change.op === 'task:edit' || change.op === 'task:remove') && !mayChange) {
    throw new BoardError(
      'not-allowed',
      'Only who added it, its owner, its proposer, its contact or the moderator',
    );
  }
  switch (change.op) {
    case 'task:edit':
      return withTask({
        ...task,
        ...(change.text !== undefined ? { text: field(change.text, MAX_TASK_TEXT, 'line') } : {}),
        ...(change.due !== undefined ? { due: day(change.due) } : {}),
        ...(change.done !== undefined ? { done: change.done } : {}),
      });
    case 'task:take':
      if (moderator)
        throw new BoardError('not-allowed', 'A member takes a task on; the moderator may offer it');
      if (task.ownerId === me) return initiative;
      if (task.ownerId !== null) throw new BoardError('not-allowed', 'Someone has taken this task on');
      if (task.offeredTo !== null && task.offeredTo !== me) {
        throw new BoardError('not-allowed', 'This task was offered to someone else');
      }
      return withTask({ ...task, ownerId: me, ownerEnteredBy: actor.enteredBy, offeredTo: null });
    case 'task:offer':
      if (!moderator) throw new BoardError('not-allowed', 'Only the moderator may offer a task to someone');
      if (task.ownerId !== null) throw new BoardError('not-allowed', 'Someone has taken this task on');
      if (!initiative.members.some((m) => m.participantId === change.participantId)) {
        throw new BoardError('not-a-member', 'A task is offered to a member of the initiative');
      }
      return withTask({ ...task, offeredTo: change.participantId });
    case 'task:decline':
      if (task.offeredTo !== me && !moderator) return initiative;
      return withTask({ ...task, offeredTo: null });
    case 'task:release':
      if (task.ownerId !== me && !moderator) {
        throw new BoardError('not-allowed', 'Only its owner or the moderator may give a task back');
      }
      return withTask({ ...task, ownerId: null, ownerEnteredBy: null });
    case 'task:remove':
      return { ...initiative, tasks: initiative.tasks.filter((t) => t.id !== task.id) };
  }
}

function merge(doc: Y.Doc, from: Initiative, actor: InitiativeActor, intoId: string): null {
  if (actor.role !== 'moderator')
    throw new BoardError('not-allowed', 'Only the moderator may merge initiatives');
  const into = getInitiative(doc, intoId);
  if (!into || into.id === from.id)
    throw new BoardError('initiative-not-found', 'No other initiative to merge into');
  const joined = new Set(into.members.map((m) => m.participantId));
  const members = [...into.members, ...from.members.filter((m) => !joined.has(m.participantId))];
  // Task ids are the devices', unique in one initiative only: a task whose id the other has gets a new one.
  const taken = new Set(into.tasks.map((task) => task.id));
  const tasks = [
    ...into.tasks,
    ...from.tasks.map((task) => (taken.has(task.id) ? { ...task, id: newId() } : task)),
  ];
  if (members.length > MAX_MEMBERS || tasks.length > MAX_TASKS) {
    throw new BoardError(
      'board-full',
      `Together they would have more than ${MAX_MEMBERS} members or ${MAX_TASKS} tasks`,
    );
  }
  const contactId = into.contactId ?? from.contactId;
  initiativesMap(doc).set(into.id, {
    ...into,
    goal: into.goal || from.goal,
    changes: links([...into.changes, ...from.changes]),
    buildsOn: links([...into.buildsOn, ...from.buildsOn]),
    contactId,
    nextMeeting: into.nextMeeting ?? from.nextMeeting,
    members,
    tasks,
  } satisfies Initiative);
  return null;
}

/** Its proposer while a member, its contact person and the moderator: who edit it and its tasks. */
function leads(initiative: Initiative, actor: InitiativeActor): boolean {
  const me = actor.participantId;
  return (
    actor.role === 'moderator' ||
    me === initiative.contactId ||
    (me === initiative.proposedBy && initiative.members.some((m) => m.participantId === me))
  );
}

/** The initiative without the person: no longer its contact, their tasks open again. */
function withoutMember(initiative: Initiative, participantId: string): Initiative {
  return {
    ...initiative,
    members: initiative.members.filter((m) => m.participantId !== participantId),
    contactId: initiative.contactId === participantId ? null : initiative.contactId,
    tasks: initiative.tasks.map((task) => ({
      ...task,
      ...(task.ownerId === participantId ? { ownerId: null, ownerEnteredBy: null } : {}),
      ...(task.offeredTo === participantId ? { offeredTo: null } : {}),
    })),
  };
}

function memberOf(actor: InitiativeActor, now: number): InitiativeMember {
  return {
    participantId: actor.participantId,
    name: actor.name,
    site: actor.site,
    joinedAt: now,
    enteredBy: actor.enteredBy,
  };
}

function field(value: string, max: number, kind: TextKind): string {
  const checked = checkText(value, kind);
  if (!checked.ok) throw new BoardError('text-invalid', `The text ${checked.problem}`);
  if (checked.text === '') throw new BoardError('text-empty', 'The text is empty');
  if ([...checked.text].length > max) throw new BoardError('text-too-long', `At most ${max} characters`);
  return checked.text;
}

function optionalField(value: string, max: number): string {
  return value.trim() === '' ? '' : field(value, max, 'card');
}

function initiativeType(type: string): string {
  if (!INITIATIVE_TYPES.includes(type))
    throw new BoardError('invalid-kind', `Unknown type of group: ${type}`);
  return type;
}

/** The links without repeats, at most MAX_LINKED_CARDS. */
function links(refs: CardRef[]): CardRef[] {
  const seen = new Set<string>();
  const kept: CardRef[] = [];
  for (const { boardId, cardId } of refs) {
    const key = `${boardId}/${cardId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push({ boardId, cardId });
  }
  if (kept.length > MAX_LINKED_CARDS) {
    throw new BoardError('board-full', `At most ${MAX_LINKED_CARDS} cards on each side`);
  }
  return kept;
}

/** A calendar day that exists (no 31 February), or null. */
function day(value: string | null): string | null {
  if (value === null) return null;
  if (!isDay(value)) throw new BoardError('invalid-date', 'A date is YYYY-MM-DD and must exist');
  return value;
}

function meeting(value: Meeting | null): Meeting | null {
  if (value === null) return null;
  if (value.time !== '' && !isTime(value.time)) throw new BoardError('invalid-date', 'A time is HH:MM');
  const place = value.place.trim() === '' ? '' : field(value.place, MAX_MEETING_PLACE, 'line');
  return { date: day(value.date) ?? '', time: value.time, place };
}
