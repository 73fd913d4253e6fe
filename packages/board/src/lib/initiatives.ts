/**
 * Initiatives: the self-help groups residents found at the workshop, with their members and tasks.
 * They belong to the session (they link cards of any of its boards) and live in the session
 * document (session-doc.ts), one entry per initiative in their own root map, each replaced whole
 * on a change: the server is the only writer and applies one change at a time. This file holds
 * their shape, their typed reads and the rules of who may change what (`applyInitiativeChange`).
 *
 * Every change is safe to apply twice (an outbox replayed after a day offline): ids are made by the
 * device, and joining, taking a task or proposing what is there already changes nothing.
 */
import type * as Y from 'yjs';
import { BoardError } from './errors.js';
import { isId, newId } from './ids.js';
import { TEMPLATES } from './templates.js';
import { checkText, cleanText, type TextKind } from './text.js';

/** The root map of the session document that holds the initiatives, by id. */
export const INITIATIVES_ROOT = 'initiatives';

/** The template whose areas are the four types of self-help groups (their titles are its areas'). */
export const INITIATIVE_TYPES_TEMPLATE = 'four-types';
/** One of the four types (the ids of that template's areas), or 'other'. */
export const INITIATIVE_TYPES: readonly string[] = [
  ...(TEMPLATES.find((template) => template.id === INITIATIVE_TYPES_TEMPLATE)?.areas ?? []).map(
    (area) => area.id,
  ),
  'other',
];

export const MAX_INITIATIVES = 50;
/**
 * Initiatives one participant may have proposed at once, and tasks one person may add to an
 * initiative: one visitor cannot use up the session's or an initiative's room for everyone else.
 */
export const MAX_PROPOSALS_PER_PARTICIPANT = 5;
export const MAX_TASKS_PER_PERSON = 10;
export const MAX_INITIATIVE_NAME = 80;
/** What it wants to achieve, in a sentence or two: as long as a card. */
export const MAX_INITIATIVE_GOAL = 280;
/** Cards linked on each side (what it wants to change, what it builds on). */
export const MAX_LINKED_CARDS = 30;
export const MAX_TASKS = 40;
/**
 * Members of one initiative: a self-help group is a few dozen people at most, and each change
 * rewrites the initiative whole (joining a group of 100 sends about 12 kB to every device).
 */
export const MAX_MEMBERS = 100;
export const MAX_TASK_TEXT = 200;
export const MAX_MEETING_PLACE = 120;

/** A card of one of the session's boards. */
export interface CardRef {
  boardId: string;
  cardId: string;
}

export interface InitiativeMember {
  participantId: string;
  /** Name and settlement as they were when the person joined: the record of the day. */
  name: string;
  site: string;
  joinedAt: number;
  /** The moderator who entered the join for a resident without a phone; null when they joined themselves. */
  enteredBy: string | null;
}

export interface InitiativeTask {
  id: string;
  text: string;
  /** The member who took it on; null while nobody has. */
  ownerId: string | null;
  /** Whether the moderator entered the taking for a resident without a phone. */
  ownerEnteredBy: string | null;
  /** A member the moderator asked to take it, until they accept or decline. */
  offeredTo: string | null;
  /** Calendar day, YYYY-MM-DD, or null. */
  due: string | null;
  done: boolean;
  createdBy: string;
  createdAt: number;
}

export interface Meeting {
  /** Calendar day, YYYY-MM-DD. */
  date: string;
  /** HH:MM, or '' when only the day is known. */
  time: string;
  place: string;
}

export interface Initiative {
  id: string;
  name: string;
  /** One of INITIATIVE_TYPES. */
  type: string;
  goal: string;
  /** Problem cards it wants to change. */
  changes: CardRef[];
  /** Resource cards it builds on. */
  buildsOn: CardRef[];
  proposedBy: string;
  createdAt: number;
  /** A member who agreed to be named as the contact person; null until one does. */
  contactId: string | null;
  nextMeeting: Meeting | null;
  members: InitiativeMember[];
  tasks: InitiativeTask[];
}

/**
 * Who makes a change. For a resident without a phone the moderator acts as them: role
 * 'participant', their id, name and settlement, and `enteredBy` the moderator's id.
 */
export interface InitiativeActor {
  participantId: string;
  role: 'participant' | 'moderator';
  name: string;
  site: string;
  enteredBy: string | null;
}

/** What the card links of a proposal or an edit say. */
interface Links {
  changes: CardRef[];
  buildsOn: CardRef[];
}

export type InitiativeChange =
  | ({ op: 'propose'; initiativeId: string; name: string; type: string; goal: string } & Links)
  | ({
      op: 'edit';
      initiativeId: string;
      name?: string;
      type?: string;
      goal?: string;
      nextMeeting?: Meeting | null;
    } & Partial<Links>)
  | { op: 'join'; initiativeId: string }
  /** Leaves; the moderator may name another member to take them off the list. */
  | { op: 'leave'; initiativeId: string; participantId?: string }
  /** The actor agrees to be the contact person, or steps down (the moderator may clear anyone). */
  | { op: 'contact'; initiativeId: string; agree: boolean }
  /** Moderator: this initiative goes into `intoId` (members, tasks and links) and is gone. */
  | { op: 'merge'; initiativeId: string; intoId: string }
  | { op: 'delete'; initiativeId: string }
  | { op: 'task:add'; initiativeId: string; taskId: string; text: string; due: string | null }
  | {
      op: 'task:edit';
      initiativeId: string;
      taskId: string;
      text?: string;
      due?: string | null;
      done?: boolean;
    }
  | { op: 'task:take'; initiativeId: string; taskId: string }
  /** Moderator: asks a member to take the task; it is theirs once they accept (task:take). */
  | { op: 'task:offer'; initiativeId: string; taskId: string; participantId: string }
  | { op: 'task:decline'; initiativeId: string; taskId: string }
  | { op: 'task:release'; initiativeId: string; taskId: string }
  | { op: 'task:remove'; initiativeId: string; taskId: string };

export type InitiativeOp = InitiativeChange['op'];

const root = (doc: Y.Doc) => doc.getMap<unknown>(INITIATIVES_ROOT);

/** The session's initiatives, oldest first; an entry off its shape is left out. */
export function readInitiatives(doc: Y.Doc): Initiative[] {
  const list: Initiative[] = [];
  for (const value of root(doc).values()) {
    const initiative = readInitiative(value);
    if (initiative) list.push(initiative);
  }
  return list.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

export function getInitiative(doc: Y.Doc, id: string): Initiative | undefined {
  return readInitiative(root(doc).get(id));
}

export function observeInitiatives(doc: Y.Doc, onChange: (initiatives: Initiative[]) => void): () => void {
  const map = root(doc);
  const handler = () => onChange(readInitiatives(doc));
  map.observe(handler);
  return () => map.unobserve(handler);
}

/** Members by settlement, settlements in order of first joining, as views and the report list them. */
export function membersBySite<M extends { site: string } = InitiativeMember>(initiative: {
  members: readonly M[];
}): Array<{ site: string; members: M[] }> {
  const bySite = new Map<string, M[]>();
  for (const member of initiative.members) {
    const list = bySite.get(member.site) ?? [];
    list.push(member);
    bySite.set(member.site, list);
  }
  return [...bySite].map(([site, members]) => ({ site, members }));
}

/** The tasks a person has taken on or been asked to take, across the initiatives ("my tasks"). */
export function tasksOf(
  initiatives: Initiative[],
  participantId: string,
): Array<{ initiative: Initiative; task: InitiativeTask }> {
  return initiatives.flatMap((initiative) =>
    initiative.tasks
      .filter((task) => task.ownerId === participantId || task.offeredTo === participantId)
      .map((task) => ({ initiative, task })),
  );
}

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
      if (initiative.proposedBy === participantId && alone) root(doc).delete(initiative.id);
      else if (initiative.members.some((m) => m.participantId === participantId)) {
        root(doc).set(initiative.id, withoutMember(initiative, participantId));
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
      if (initiative) root(doc).set(initiative.id, initiative);
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
  if (next === null) root(doc).delete(initiative.id);
  else if (next !== initiative) root(doc).set(initiative.id, next);
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
  if (root(doc).has(change.initiativeId)) throw new BoardError('id-taken', 'That initiative id is taken');
  if (root(doc).size >= MAX_INITIATIVES) {
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
  root(doc).set(initiative.id, initiative);
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
  root(doc).set(into.id, {
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

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A calendar day that exists (no 31 February), or null. */
function day(value: string | null): string | null {
  if (value === null) return null;
  if (!isDay(value)) throw new BoardError('invalid-date', 'A date is YYYY-MM-DD and must exist');
  return value;
}

export function isDay(value: string): boolean {
  const parts = DAY.exec(value);
  if (!parts) return false;
  const date = new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])));
  return date.toISOString().slice(0, 10) === value;
}

function meeting(value: Meeting | null): Meeting | null {
  if (value === null) return null;
  if (value.time !== '' && !TIME.test(value.time)) throw new BoardError('invalid-date', 'A time is HH:MM');
  const place = value.place.trim() === '' ? '' : field(value.place, MAX_MEETING_PLACE, 'line');
  return { date: day(value.date) ?? '', time: value.time, place };
}

// Typed reads: what a stored entry says, or nothing. The server wrote it, but data outlives versions.

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

const aString = (value: unknown): value is string => typeof value === 'string';
const anId = (value: unknown): value is string => aString(value) && isId(value);
const idOrNull = (value: unknown): string | null => (anId(value) ? value : null);
const aNumber = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** The first of each key: an entry from outside may hold one member or task twice. */
function once<T>(list: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return list.filter((item) => {
    const id = key(item);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function readRefs(value: unknown): CardRef[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const fields = record(item);
    return fields && anId(fields.boardId) && anId(fields.cardId)
      ? [{ boardId: fields.boardId, cardId: fields.cardId }]
      : [];
  });
}

function readMember(value: unknown): InitiativeMember[] {
  const fields = record(value);
  if (!fields || !anId(fields.participantId)) return [];
  return [
    {
      participantId: fields.participantId,
      name: aString(fields.name) ? fields.name : '',
      site: aString(fields.site) ? fields.site : '',
      joinedAt: aNumber(fields.joinedAt),
      enteredBy: idOrNull(fields.enteredBy),
    },
  ];
}

function readTask(value: unknown): InitiativeTask[] {
  const fields = record(value);
  if (!fields || !anId(fields.id) || !aString(fields.text)) return [];
  return [
    {
      id: fields.id,
      text: fields.text,
      ownerId: idOrNull(fields.ownerId),
      ownerEnteredBy: idOrNull(fields.ownerEnteredBy),
      offeredTo: idOrNull(fields.offeredTo),
      due: aString(fields.due) && isDay(fields.due) ? fields.due : null,
      done: fields.done === true,
      createdBy: anId(fields.createdBy) ? fields.createdBy : '',
      createdAt: aNumber(fields.createdAt),
    },
  ];
}

function readMeeting(value: unknown): Meeting | null {
  const fields = record(value);
  if (!fields || !aString(fields.date) || !aString(fields.time) || !aString(fields.place)) return null;
  if (!isDay(fields.date) || (fields.time !== '' && !TIME.test(fields.time))) return null;
  return { date: fields.date, time: fields.time, place: fields.place };
}

function readInitiative(value: unknown): Initiative | undefined {
  const fields = record(value);
  if (!fields || !anId(fields.id) || !aString(fields.name)) return undefined;
  const members = once(
    Array.isArray(fields.members) ? fields.members.flatMap(readMember) : [],
    (member) => member.participantId,
  );
  // The contact person is one of its members (an entry from outside may say otherwise).
  const contactId = idOrNull(fields.contactId);
  const contact = members.some((m) => m.participantId === contactId) ? contactId : null;
  return {
    id: fields.id,
    name: fields.name,
    type: aString(fields.type) && INITIATIVE_TYPES.includes(fields.type) ? fields.type : 'other',
    goal: aString(fields.goal) ? fields.goal : '',
    changes: readRefs(fields.changes),
    buildsOn: readRefs(fields.buildsOn),
    proposedBy: anId(fields.proposedBy) ? fields.proposedBy : '',
    createdAt: aNumber(fields.createdAt),
    contactId: contact,
    nextMeeting: readMeeting(fields.nextMeeting),
    members,
    tasks: once(Array.isArray(fields.tasks) ? fields.tasks.flatMap(readTask) : [], (task) => task.id),
  };
}
