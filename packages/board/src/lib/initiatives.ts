/**
 * Initiatives: the self-help groups residents found at the workshop, with their members and tasks.
 * They belong to the session (they link cards of any of its boards) and live in the session
 * document (session-doc.ts), one entry per initiative in their own root map, each replaced whole
 * on a change: the server is the only writer and applies one change at a time. This file holds
 * their shape and typed reads; the rules of who may change what are initiative-rules.ts.
 */
import type * as Y from 'yjs';
import { isId } from './ids.js';
import { TEMPLATES } from './templates.js';

/** The root map of the session document that holds the initiatives, by id. */
export const INITIATIVES_ROOT = 'initiatives';

/** The template whose areas are the four types of self-help groups (their titles are its areas'). */
export const INITIATIVE_TYPES_TEMPLATE = 'four-types';
/** The template whose cards are mostly tasks of a group: there a card offers first to become one. */
export const ACTION_PLAN_TEMPLATE = 'action-plan';
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

/** The session document's map of initiatives, by id (server writes go through initiative-rules.ts). */
export const initiativesMap = (doc: Y.Doc) => doc.getMap<unknown>(INITIATIVES_ROOT);
const root = initiativesMap;

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

/** A calendar day that exists, YYYY-MM-DD (no 31 February). */
export function isDay(value: string): boolean {
  const parts = DAY.exec(value);
  if (!parts) return false;
  const date = new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** A time of day, HH:MM. */
export function isTime(value: string): boolean {
  return TIME.test(value);
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

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
  if (!isDay(fields.date) || (fields.time !== '' && !isTime(fields.time))) return null;
  return { date: fields.date, time: fields.time, place: fields.place };
}

/** One stored entry as an initiative, or nothing when it is off its shape. */
export function readInitiative(value: unknown): Initiative | undefined {
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
