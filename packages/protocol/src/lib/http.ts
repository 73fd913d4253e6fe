/**
 * HTTP request and response schemas. Fastify validates bodies against these
 * JSON schemas; the client uses the same definitions for its types and checks.
 */
import { ID_PATTERN, LANGUAGES } from '@kaptar/board';
import type { Static } from '@sinclair/typebox';
// The builders as a module namespace, not TypeBox's `Type` object: the bundler then keeps only the
// builders the client's schemas call, where the object brings all of them to the phone (8 kB gzip).
import * as Type from '@sinclair/typebox';
import { JOIN_CODE_PATTERN, LIMITS, RAW_TEXT_FACTOR } from './limits.js';
import { ROLES } from './roles.js';

/**
 * An id in a path or query (sessions, boards, snapshots): the server makes them URL-safe base64, so
 * anything else (dots, slashes, quotes, control characters) is refused before any route sees it.
 */
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: ID_PATTERN });

/** Trimmed, non-blank text up to `max` characters. */
/**
 * A person's text in a body. Its limit is checked by the text rule after NFC (text.ts), where a
 * decomposed "é" (e and a combining accent) counts as one character; the schema only bounds the
 * work, at a few times the limit.
 */
export const PersonText = (max: number) =>
  Type.String({ minLength: 1, maxLength: RAW_TEXT_FACTOR * max, pattern: '\\S' });

export const BoardSummary = Type.Object({
  id: Type.String(),
  title: Type.String(),
  archived: Type.Boolean(),
  /** Names the board's document: a device drops a replica of another epoch and syncs afresh. */
  epoch: Type.String(),
});
export type BoardSummary = Static<typeof BoardSummary>;

/**
 * The language of a session's files: its exports, pictures, snapshot names and report (each
 * device's interface keeps its own).
 */
export const SessionLanguage = Type.Union(LANGUAGES.map((lang) => Type.Literal(lang)));

export const CreateSessionBody = Type.Object(
  {
    title: PersonText(LIMITS.sessionTitle),
    /** Hungarian when left out. */
    lang: Type.Optional(SessionLanguage),
  },
  { additionalProperties: false },
);
export type CreateSessionBody = Static<typeof CreateSessionBody>;

export const CreateSessionReply = Type.Object({
  sessionId: Type.String(),
  joinCode: Type.String(),
  moderatorToken: Type.String(),
  /** Read-only access for a projector or a remote screen. */
  viewerToken: Type.String(),
  boards: Type.Array(BoardSummary),
});
export type CreateSessionReply = Static<typeof CreateSessionReply>;

export const JoinBody = Type.Object(
  {
    joinCode: Type.String({ pattern: JOIN_CODE_PATTERN }),
    name: PersonText(LIMITS.displayName),
    site: PersonText(LIMITS.siteName),
  },
  { additionalProperties: false },
);
export type JoinBody = Static<typeof JoinBody>;

/** What a token holder learns about its session (used after a reload). */
export const SessionInfoReply = Type.Object({
  sessionId: Type.String(),
  title: Type.String(),
  lang: SessionLanguage,
  joinCode: Type.String(),
  /** Where participants join: uses the server's LAN address when the page was opened on localhost. */
  joinUrl: Type.String(),
  boards: Type.Array(BoardSummary),
  me: Type.Object({
    role: Type.Union(ROLES.map((role) => Type.Literal(role))),
    participantId: Type.String(),
    name: Type.String(),
    site: Type.String(),
  }),
  /** For moderators only: the read-only token for the projector link. */
  viewerToken: Type.Optional(Type.String()),
  /** The settlements taking part, as the moderator listed them. */
  sites: Type.Array(Type.String()),
  /** Whether participants may type a settlement that is not listed. */
  allowNewSites: Type.Boolean(),
  /** Closed for writing by the moderator: everything reads, nothing changes (`session:close`). */
  closed: Type.Boolean(),
});
export type SessionInfoReply = Static<typeof SessionInfoReply>;

export const JoinReply = Type.Object({
  sessionId: Type.String(),
  participantId: Type.String(),
  participantToken: Type.String(),
  boards: Type.Array(BoardSummary),
  /** The same as GET /api/sessions/:sessionId would answer, to save a round trip. */
  info: SessionInfoReply,
});
export type JoinReply = Static<typeof JoinReply>;

/** The moderator's list of settlements: `PUT /api/sessions/:sessionId/sites`. */
export const SitesBody = Type.Object(
  {
    sites: Type.Array(PersonText(LIMITS.siteName), { maxItems: LIMITS.sitesPerSession, uniqueItems: true }),
    allowNewSites: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type SitesBody = Static<typeof SitesBody>;

/** What the join page shows before joining: `GET /api/join/:joinCode`. */
export const JoinInfoReply = Type.Object({
  title: Type.String(),
  sites: Type.Array(Type.String()),
  allowNewSites: Type.Boolean(),
});
export type JoinInfoReply = Static<typeof JoinInfoReply>;

export const JoinCodeParams = Type.Object({ joinCode: Type.String({ pattern: JOIN_CODE_PATTERN }) });
export type JoinCodeParams = Static<typeof JoinCodeParams>;

export const SessionParams = Type.Object({ sessionId: Id });
export type SessionParams = Static<typeof SessionParams>;

/**
 * Refusals an app explains in its own words (the `error` text is English, for people reading the
 * API): a text breaking the text rule, a session at its storage quota, a session with all the
 * participants it takes.
 */
export const HTTP_ERROR_CODES = ['text-invalid', 'session-full', 'workshop-full', 'session-closed'] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

export const ErrorReply = Type.Object({
  error: Type.String(),
  code: Type.Optional(Type.Union(HTTP_ERROR_CODES.map((code) => Type.Literal(code)))),
});
export type ErrorReply = Static<typeof ErrorReply>;

export const HealthReply = Type.Object({
  ok: Type.Boolean(),
  /** Set while the disk's free space is under the reserve: running sessions save, new ones are refused. */
  warning: Type.Optional(Type.String()),
});
export type HealthReply = Static<typeof HealthReply>;

export const BoardParams = Type.Object({ boardId: Id });
export type BoardParams = Static<typeof BoardParams>;

export const SnapshotParams = Type.Object({
  boardId: Id,
  snapshotId: Id,
});
export type SnapshotParams = Static<typeof SnapshotParams>;

export const SnapshotSummary = Type.Object({
  id: Type.String(),
  boardId: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('manual'), Type.Literal('auto')]),
  createdAt: Type.Number(),
  createdBy: Type.String(),
  cardCount: Type.Integer(),
  voteCount: Type.Integer(),
});
export type SnapshotSummary = Static<typeof SnapshotSummary>;

export const SnapshotList = Type.Object({ snapshots: Type.Array(SnapshotSummary) });
export type SnapshotList = Static<typeof SnapshotList>;

export const CreateSnapshotBody = Type.Object(
  { name: PersonText(LIMITS.snapshotName) },
  { additionalProperties: false },
);
export type CreateSnapshotBody = Static<typeof CreateSnapshotBody>;

export const ExportedCard = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  text: Type.String(),
  /** Empty when the card is in no group. */
  groupId: Type.String(),
  group: Type.String(),
  votes: Type.Integer(),
  site: Type.String(),
  author: Type.String(),
  /** Who typed it for its author, a resident without a phone ("Moderátor"); '' when the author did. */
  enteredBy: Type.String(),
  createdAt: Type.Number(),
  /** The title of the template area the card is in, in the file's language ('' on a board without areas). */
  area: Type.String(),
});
export type ExportedCard = Static<typeof ExportedCard>;

/** A board (or one of its snapshots) as plain data: the JSON export and the snapshot viewer. */
export const BoardExport = Type.Object({
  boardId: Type.String(),
  sessionTitle: Type.String(),
  snapshot: Type.Optional(SnapshotSummary),
  phase: Type.String(),
  groups: Type.Array(Type.Object({ id: Type.String(), title: Type.String() })),
  /** The template's areas in its order, titled in the file's language (none on a board without areas). */
  areas: Type.Array(Type.Object({ id: Type.String(), title: Type.String() })),
  cards: Type.Array(ExportedCard),
});
export type BoardExport = Static<typeof BoardExport>;

export const RestoreBody = Type.Object(
  { mode: Type.Union([Type.Literal('rollback'), Type.Literal('new-board')]) },
  { additionalProperties: false },
);
export type RestoreBody = Static<typeof RestoreBody>;

export const RestoreReply = Type.Object({
  mode: Type.String(),
  /** The board that now shows the snapshot: the same one (rollback) or a new one. */
  boardId: Type.String(),
  /** Rollback only: the automatic snapshot of the state before the restore. */
  backupSnapshotId: Type.Optional(Type.String()),
});
export type RestoreReply = Static<typeof RestoreReply>;

export const EXPORT_FORMATS = ['csv', 'md', 'json', 'svg'] as const;
export const ExportQuery = Type.Object(
  {
    format: Type.Union(EXPORT_FORMATS.map((format) => Type.Literal(format))),
    snapshot: Type.Optional(Id),
    /** The file's language (words, CSV separator); the session's language when left out. */
    lang: Type.Optional(SessionLanguage),
  },
  { additionalProperties: false },
);
export type ExportQuery = Static<typeof ExportQuery>;

export const CompareQuery = Type.Object(
  {
    from: Id,
    /** A snapshot id; without it, the board as it is now. */
    to: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type CompareQuery = Static<typeof CompareQuery>;

const CardChange = { id: Type.String(), text: Type.String() };
const GroupTitle = Type.Union([Type.String(), Type.Null()]);
export const BoardChanges = Type.Object({
  added: Type.Array(Type.Object(CardChange)),
  removed: Type.Array(Type.Object(CardChange)),
  edited: Type.Array(Type.Object({ ...CardChange, before: Type.String() })),
  regrouped: Type.Array(Type.Object({ ...CardChange, from: GroupTitle, to: GroupTitle })),
  votes: Type.Array(Type.Object({ ...CardChange, before: Type.Integer(), after: Type.Integer() })),
});
export type BoardChanges = Static<typeof BoardChanges>;
