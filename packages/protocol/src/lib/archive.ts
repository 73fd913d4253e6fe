/**
 * A whole session in one file: `GET /api/sessions/:sessionId/archive`, imported on any Kaptár
 * server with `POST /api/sessions/import`. Tokens are never in it: the importer becomes moderator.
 * Version 2 holds each board and snapshot as plain content (cards, groups, settings, totals),
 * checked field by field here and rebuilt by the importing server; version 1 (written before)
 * held Yjs states, still read, on a worker thread, through their typed contents.
 */
import {
  CARD_KINDS,
  INITIATIVE_TYPES,
  MAX_CARDS_PER_BOARD,
  MAX_GROUPS_PER_BOARD,
  MAX_INITIATIVE_GOAL,
  MAX_INITIATIVE_NAME,
  MAX_INITIATIVES,
  MAX_LINKED_CARDS,
  MAX_MEETING_PLACE,
  MAX_TASK_TEXT,
  MAX_TASKS,
  MAX_TIMER_MS,
  MAX_VOTE_BUDGET,
  PHASES,
} from '@kaptar/board';
import type { Static, TSchema } from '@sinclair/typebox';
// A namespace import, as in http.ts, so that the phone's bundle keeps only the builders it calls.
import * as Type from '@sinclair/typebox';
import { Id, PersonText, SessionLanguage } from './http.js';
import { AreaId, CardText, Coordinate, GroupTitle } from './intents.js';
import { LIMITS, RAW_TEXT_FACTOR } from './limits.js';
import { ROLES } from './roles.js';

/** Largest archive the import accepts. */
export const MAX_ARCHIVE_BYTES = 50 * 1024 * 1024;

const ArchiveId = Type.String({ minLength: 1, maxLength: 64 });
const Milliseconds = Type.Number({ minimum: 0 });
const strict = <P extends Record<string, TSchema>>(properties: P) =>
  Type.Object(properties, { additionalProperties: false });

/** A board as every member sees it, in plain data (`readContents` of @kaptar/board). */
export const ArchiveBoardContent = strict({
  cards: Type.Array(
    strict({
      id: Id,
      kind: Type.Union(CARD_KINDS.map((kind) => Type.Literal(kind))),
      text: CardText,
      // Empty on an anonymous board, and for a card whose author is not in the file.
      authorId: Type.String({ maxLength: 64 }),
      site: Type.String({ maxLength: RAW_TEXT_FACTOR * LIMITS.siteName }),
      // The moderator who typed it for a resident without a phone ('' or absent: its author did).
      enteredBy: Type.Optional(Type.String({ maxLength: 64 })),
      // Files written before areas have none: the board finds the area from the position.
      area: Type.Optional(AreaId),
      x: Coordinate,
      y: Coordinate,
      createdAt: Milliseconds,
      groupId: Type.Union([Id, Type.Null()]),
      /** The card's total while votes are visible (0 while hidden): ballots never leave their server. */
      votes: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    }),
    { maxItems: MAX_CARDS_PER_BOARD },
  ),
  groups: Type.Array(
    strict({
      id: Id,
      title: GroupTitle,
      area: Type.Optional(AreaId),
      createdAt: Type.Optional(Milliseconds),
      x: Coordinate,
      y: Coordinate,
      color: Type.Integer({ minimum: 0, maximum: 1000 }),
    }),
    { maxItems: MAX_GROUPS_PER_BOARD },
  ),
  meta: strict({
    phase: Type.Union(PHASES.map((phase) => Type.Literal(phase))),
    voteBudget: Type.Integer({ minimum: 0, maximum: MAX_VOTE_BUDGET }),
    votesHidden: Type.Boolean(),
    locked: Type.Boolean(),
    silentCollect: Type.Boolean(),
    cardsDuringVote: Type.Boolean(),
    groupingLocked: Type.Boolean(),
    anonymous: Type.Boolean(),
    timer: Type.Union([
      strict({
        startedAt: Milliseconds,
        durationMs: Type.Number({ minimum: 0, maximum: MAX_TIMER_MS }),
        // Absent in archives written before the timer could be paused: it ran.
        pausedAt: Type.Optional(Milliseconds),
      }),
      Type.Null(),
    ]),
    template: Type.String({ maxLength: 64 }),
  }),
});
export type ArchiveBoardContent = Static<typeof ArchiveBoardContent>;

const Day = Type.String({ maxLength: 10 });
const PersonId = Type.Union([ArchiveId, Type.Null()]);
const Person = Type.String({ maxLength: RAW_TEXT_FACTOR * LIMITS.siteName });
const CardRefs = Type.Array(strict({ boardId: ArchiveId, cardId: Id }), { maxItems: MAX_LINKED_CARDS });

/**
 * An initiative of the session document (@kaptar/board's initiatives.ts), people and boards by the
 * file's ids: renamed on import like everything else, their texts cleaned by the text rule.
 */
export const ArchiveInitiative = strict({
  id: Id,
  name: Type.String({ maxLength: RAW_TEXT_FACTOR * MAX_INITIATIVE_NAME }),
  type: Type.Union(INITIATIVE_TYPES.map((type) => Type.Literal(type))),
  goal: Type.String({ maxLength: RAW_TEXT_FACTOR * MAX_INITIATIVE_GOAL }),
  changes: CardRefs,
  buildsOn: CardRefs,
  proposedBy: Type.String({ maxLength: 64 }),
  createdAt: Milliseconds,
  contactId: PersonId,
  nextMeeting: Type.Union([
    strict({
      date: Day,
      time: Type.String({ maxLength: 5 }),
      place: Type.String({ maxLength: RAW_TEXT_FACTOR * MAX_MEETING_PLACE }),
    }),
    Type.Null(),
  ]),
  members: Type.Array(
    strict({
      participantId: ArchiveId,
      name: Person,
      site: Person,
      joinedAt: Milliseconds,
      enteredBy: PersonId,
    }),
    { maxItems: LIMITS.participantsPerSession },
  ),
  tasks: Type.Array(
    strict({
      id: Id,
      text: Type.String({ maxLength: RAW_TEXT_FACTOR * MAX_TASK_TEXT }),
      ownerId: PersonId,
      ownerEnteredBy: PersonId,
      offeredTo: PersonId,
      due: Type.Union([Day, Type.Null()]),
      done: Type.Boolean(),
      createdBy: Type.String({ maxLength: 64 }),
      createdAt: Milliseconds,
    }),
    { maxItems: MAX_TASKS },
  ),
});
export type ArchiveInitiative = Static<typeof ArchiveInitiative>;

/** Base64 of a full Yjs state (`Y.encodeStateAsUpdate`): version 1. */
const YjsState = Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: 30 * 1024 * 1024 });

/** The file's shape around its boards and snapshots, whichever way they are held. */
function archiveOf<V extends number, B extends Record<string, TSchema>>(version: V, board: B) {
  return strict({
    format: Type.Literal('kaptar-session-archive'),
    version: Type.Literal(version),
    exportedAt: Type.Number(),
    session: strict({
      title: PersonText(LIMITS.sessionTitle),
      sites: Type.Array(Type.String({ maxLength: RAW_TEXT_FACTOR * LIMITS.siteName }), {
        maxItems: LIMITS.sitesPerSession,
      }),
      allowNewSites: Type.Boolean(),
      createdAt: Type.Number(),
      /** Left out by archives written before sessions had a language: those read as Hungarian. */
      lang: Type.Optional(SessionLanguage),
    }),
    participants: Type.Array(
      strict({
        id: ArchiveId,
        role: Type.Union(ROLES.map((role) => Type.Literal(role))),
        name: Type.String({ maxLength: RAW_TEXT_FACTOR * LIMITS.displayName }),
        site: Type.String({ maxLength: RAW_TEXT_FACTOR * LIMITS.siteName }),
        createdAt: Type.Number(),
        /** A resident without a phone, whose entries the moderator makes; absent in older files. */
        noDevice: Type.Optional(Type.Boolean()),
      }),
      // The session's people and its moderator and projector credentials.
      { maxItems: LIMITS.participantsPerSession + 100 },
    ),
    boards: Type.Array(
      strict({
        id: ArchiveId,
        title: Type.String({ maxLength: RAW_TEXT_FACTOR * LIMITS.boardTitle }),
        position: Type.Integer(),
        archived: Type.Boolean(),
        createdAt: Type.Number(),
        ...board,
      }),
      { minItems: 1, maxItems: LIMITS.boardsPerSession },
    ),
    snapshots: Type.Array(
      strict({
        id: ArchiveId,
        boardId: ArchiveId,
        name: Type.String({ maxLength: RAW_TEXT_FACTOR * LIMITS.snapshotName }),
        kind: Type.Union([Type.Literal('manual'), Type.Literal('auto')]),
        createdAt: Type.Number(),
        createdBy: Type.String({ maxLength: 64 }),
        cardCount: Type.Integer(),
        voteCount: Type.Integer(),
        ...board,
      }),
      { maxItems: 2000 },
    ),
    /** The session's initiatives (founded self-help groups); absent in files written before them. */
    initiatives: Type.Optional(Type.Array(ArchiveInitiative, { maxItems: MAX_INITIATIVES })),
  });
}

export const SessionArchive = archiveOf(2, { content: ArchiveBoardContent });
export type SessionArchive = Static<typeof SessionArchive>;

/** The format before version 2, still imported. */
export const SessionArchiveV1 = archiveOf(1, { state: YjsState });
export type SessionArchiveV1 = Static<typeof SessionArchiveV1>;
