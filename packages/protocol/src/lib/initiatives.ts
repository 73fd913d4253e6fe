/**
 * Initiatives on the wire: the `initiative` command (one change of @kaptar/board's
 * InitiativeChange, checked by its rules on the server), follow-up links, residents without a
 * phone and what the moderator enters for them, and the HTTP replies that read a session's
 * outcome (the moderator's outcome route, the report, the follow-up page).
 */
import {
  INITIATIVE_TYPES,
  type InitiativeChange,
  MAX_INITIATIVE_GOAL,
  MAX_INITIATIVE_NAME,
  MAX_LINKED_CARDS,
  MAX_MEETING_PLACE,
  MAX_TASK_TEXT,
} from '@kaptar/board';
import type { Static, TSchema } from '@sinclair/typebox';
// A namespace import, as in http.ts, so that the phone's bundle keeps only the builders it calls.
import * as Type from '@sinclair/typebox';
import { Id, SessionLanguage } from './http.js';
import { LIMITS, RAW_TEXT_FACTOR } from './limits.js';

/**
 * A resident without a phone the moderator acts for: only the moderator may send it, only for a
 * participant the moderator added (`session:add-resident`). Accepted by `intents`, `vote`,
 * `board:private` and `initiative`.
 */
export const OnBehalfOf = Type.Optional(Id);

/** Texts are checked in characters by the board's rules; the schema bounds the work. */
const text = (max: number) => Type.String({ maxLength: RAW_TEXT_FACTOR * max });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const CardRefs = Type.Array(Type.Object({ boardId: Id, cardId: Id }, { additionalProperties: false }), {
  maxItems: MAX_LINKED_CARDS * 2,
});
const InitiativeType = Type.Union(INITIATIVE_TYPES.map((type) => Type.Literal(type)));
export const Meeting = Type.Object(
  { date: Day, time: Type.String({ maxLength: 5 }), place: text(MAX_MEETING_PLACE) },
  { additionalProperties: false },
);

const change = <T extends string, P extends Record<string, TSchema>>(op: T, payload: P) =>
  Type.Object({ op: Type.Literal(op), initiativeId: Id, ...payload }, { additionalProperties: false });

export const InitiativeChangeSchema = Type.Union([
  change('propose', {
    name: text(MAX_INITIATIVE_NAME),
    type: InitiativeType,
    goal: text(MAX_INITIATIVE_GOAL),
    changes: CardRefs,
    buildsOn: CardRefs,
  }),
  change('edit', {
    name: Type.Optional(text(MAX_INITIATIVE_NAME)),
    type: Type.Optional(InitiativeType),
    goal: Type.Optional(text(MAX_INITIATIVE_GOAL)),
    changes: Type.Optional(CardRefs),
    buildsOn: Type.Optional(CardRefs),
    nextMeeting: Type.Optional(Type.Union([Meeting, Type.Null()])),
  }),
  change('join', {}),
  change('leave', { participantId: Type.Optional(Id) }),
  change('contact', { agree: Type.Boolean() }),
  change('merge', { intoId: Id }),
  change('delete', {}),
  change('task:add', { taskId: Id, text: text(MAX_TASK_TEXT), due: Type.Union([Day, Type.Null()]) }),
  change('task:edit', {
    taskId: Id,
    text: Type.Optional(text(MAX_TASK_TEXT)),
    due: Type.Optional(Type.Union([Day, Type.Null()])),
    done: Type.Optional(Type.Boolean()),
  }),
  change('task:take', { taskId: Id }),
  change('task:offer', { taskId: Id, participantId: Id }),
  change('task:decline', { taskId: Id }),
  change('task:release', { taskId: Id }),
  change('task:remove', { taskId: Id }),
]);

/** Every change the wire carries is one the board knows, field for field (checked by tsc). */
export function initiativeChange(payload: Static<typeof InitiativeChangeSchema>): InitiativeChange {
  return payload satisfies InitiativeChange;
}

/** Anyone but the projector: one change to the session's initiatives (InitiativeChange in @kaptar/board). */
export const InitiativeCommand = Type.Object(
  { change: InitiativeChangeSchema, onBehalfOf: OnBehalfOf },
  { additionalProperties: false },
);
export type InitiativeCommand = Static<typeof InitiativeCommand>;

/**
 * A member or the moderator: the initiative's follow-up link (a read-only page with no account);
 * `renew` (moderator only) revokes the old link and makes a new one.
 */
export const InitiativeLinkCommand = Type.Object(
  { initiativeId: Id, renew: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type InitiativeLinkCommand = Static<typeof InitiativeLinkCommand>;

/** Moderator: a resident taking part without a phone, by name and settlement. */
export const AddResidentCommand = Type.Object(
  {
    name: Type.String({ maxLength: RAW_TEXT_FACTOR * LIMITS.displayName }),
    site: Type.String({ maxLength: RAW_TEXT_FACTOR * LIMITS.siteName }),
  },
  { additionalProperties: false },
);
export type AddResidentCommand = Static<typeof AddResidentCommand>;

/** Moderator: close the session for writing (the report and follow-up pages stay), or open it again. */
export const CloseSessionCommand = Type.Object({ closed: Type.Boolean() }, { additionalProperties: false });
export type CloseSessionCommand = Static<typeof CloseSessionCommand>;

export const FollowUpParams = Type.Object({ token: Type.String({ minLength: 20, maxLength: 100 }) });
export type FollowUpParams = Static<typeof FollowUpParams>;

const Person = Type.Object({ name: Type.String(), site: Type.String() });

/** A linked card as the outcome shows it: its text and board, never its author. */
export const LinkedCard = Type.Object({
  boardId: Type.String(),
  boardTitle: Type.String(),
  cardId: Type.String(),
  kind: Type.String(),
  text: Type.String(),
  votes: Type.Number(),
});

/** One initiative with what it links and who is in, as the report, the outcome route and its page show it. */
export const InitiativeOutcome = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  /** The type's title in the session's language. */
  typeTitle: Type.String(),
  goal: Type.String(),
  createdAt: Type.Number(),
  proposedBy: Type.Union([Person, Type.Null()]),
  contact: Type.Union([Person, Type.Null()]),
  nextMeeting: Type.Union([Meeting, Type.Null()]),
  members: Type.Array(
    Type.Object({
      name: Type.String(),
      site: Type.String(),
      joinedAt: Type.Number(),
      /** The moderator entered it for a resident without a phone. */
      enteredForThem: Type.Boolean(),
    }),
  ),
  tasks: Type.Array(
    Type.Object({
      text: Type.String(),
      owner: Type.Union([Person, Type.Null()]),
      ownerEnteredForThem: Type.Boolean(),
      due: Type.Union([Type.String(), Type.Null()]),
      done: Type.Boolean(),
    }),
  ),
  changes: Type.Array(LinkedCard),
  buildsOn: Type.Array(LinkedCard),
});
export type InitiativeOutcome = Static<typeof InitiativeOutcome>;

/** GET /api/sessions/:sessionId/outcome (moderator): the session's founded groups. */
export const OutcomeReply = Type.Object({
  sessionId: Type.String(),
  title: Type.String(),
  lang: SessionLanguage,
  generatedAt: Type.Number(),
  closed: Type.Boolean(),
  initiatives: Type.Array(InitiativeOutcome),
});
export type OutcomeReply = Static<typeof OutcomeReply>;

/** GET /api/follow-up/:token (no account): one initiative's page after the day. */
export const FollowUpReply = Type.Object({
  sessionTitle: Type.String(),
  lang: SessionLanguage,
  initiative: InitiativeOutcome,
});
export type FollowUpReply = Static<typeof FollowUpReply>;

/** The session's outcome as a file: `?format=md`, or one of its tables as `?format=csv&table=…`; JSON without. */
export const OUTCOME_TABLES = ['initiatives', 'members', 'tasks'] as const;
export type OutcomeTable = (typeof OUTCOME_TABLES)[number];
export const OutcomeQuery = Type.Object(
  {
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('md'), Type.Literal('csv')])),
    /** Which table a CSV holds; the initiatives when left out. */
    table: Type.Optional(Type.Union(OUTCOME_TABLES.map((table) => Type.Literal(table)))),
  },
  { additionalProperties: false },
);
export type OutcomeQuery = Static<typeof OutcomeQuery>;
