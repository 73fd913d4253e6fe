/**
 * HTTP request and response schemas. Fastify validates bodies against these
 * JSON schemas; the client uses the same definitions for its types and checks.
 */
import { type Static, Type } from '@sinclair/typebox';
import { JOIN_CODE_PATTERN, LIMITS } from './limits.js';
import { ROLES } from './roles.js';

/** Trimmed, non-blank text up to `max` characters. */
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });

export const BoardSummary = Type.Object({ id: Type.String(), title: Type.String() });
export type BoardSummary = Static<typeof BoardSummary>;

export const CreateSessionBody = Type.Object(
  { title: Text(LIMITS.sessionTitle) },
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
    name: Text(LIMITS.displayName),
    site: Text(LIMITS.siteName),
  },
  { additionalProperties: false },
);
export type JoinBody = Static<typeof JoinBody>;

export const JoinReply = Type.Object({
  sessionId: Type.String(),
  participantId: Type.String(),
  participantToken: Type.String(),
  boards: Type.Array(BoardSummary),
});
export type JoinReply = Static<typeof JoinReply>;

/** What a token holder learns about its session (used after a reload). */
export const SessionInfoReply = Type.Object({
  sessionId: Type.String(),
  title: Type.String(),
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
});
export type SessionInfoReply = Static<typeof SessionInfoReply>;

/** The moderator's list of settlements: `PUT /api/sessions/:sessionId/sites`. */
export const SitesBody = Type.Object(
  {
    sites: Type.Array(Text(LIMITS.siteName), { maxItems: LIMITS.sitesPerSession, uniqueItems: true }),
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

export const SessionParams = Type.Object({ sessionId: Type.String({ maxLength: 64 }) });
export type SessionParams = Static<typeof SessionParams>;

export const ErrorReply = Type.Object({ error: Type.String() });
export type ErrorReply = Static<typeof ErrorReply>;

export const HealthReply = Type.Object({ ok: Type.Boolean() });
export type HealthReply = Static<typeof HealthReply>;
