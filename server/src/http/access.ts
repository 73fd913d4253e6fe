/**
 * Who may use an HTTP route: the bearer token must belong to the session (or the board's
 * session), and have the role the route needs. Checked in a preHandler (`sessionAccess`,
 * `boardAccess`), which refuses by throwing (401 no/unknown token, 403 other session or wrong
 * role, 404 unknown board; errors.ts turns it into `{error}`), so routes only handle the allowed
 * case and read who is asking with `accessOf`.
 */
import type { HttpErrorCode, Role } from '@kaptar/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticated } from '../auth/plugin.js';
import { bearerToken } from '../auth/plugin.js';
import type { BoardRecord, SessionRecord } from '../storage/store.js';

export interface SessionAccess {
  principal: Authenticated;
  session: SessionRecord;
  /** The board named by the route (`boardAccess` only). */
  board?: BoardRecord;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the route's access preHandler. */
    access?: SessionAccess;
  }
}

/** A refusal with the status that says whose fault it was; errors.ts replies `{error: message}`. */
export class HttpError extends Error {
  /** Its message is the reply, whatever the status (errors.ts). */
  readonly expose = true;

  constructor(
    readonly statusCode: number,
    message: string,
    /** The app's code for it, when an app explains it in its own words. */
    readonly replyCode?: HttpErrorCode,
  ) {
    super(message);
  }
}

async function resolve(app: FastifyInstance, request: FastifyRequest, sessionId: string, role?: Role) {
  const principal = await app.authenticate(bearerToken(request));
  if (!principal) throw new HttpError(401, 'Missing or unknown token');
  const session = principal.sessionId === sessionId ? await app.store.getSession(sessionId) : undefined;
  if (!session) throw new HttpError(403, 'This token belongs to another session');
  if (role && principal.role !== role) throw new HttpError(403, `Only the ${role} can do this`);
  return { principal, session };
}

/** preHandler of a route with a `:sessionId`. */
export function sessionAccess(app: FastifyInstance, role?: Role) {
  return async (request: FastifyRequest) => {
    // Every route this guards has the param in its schema.
    const { sessionId } = request.params as { sessionId: string };
    request.access = await resolve(app, request, sessionId, role);
  };
}

/** preHandler of a route with a `:boardId`. */
export function boardAccess(app: FastifyInstance, role?: Role) {
  return async (request: FastifyRequest) => {
    const { boardId } = request.params as { boardId: string };
    const board = await app.store.getBoard(boardId);
    // Unknown token first, then another session's board: both say nothing about the board itself.
    if (!board) {
      if (await app.authenticate(bearerToken(request))) throw new HttpError(404, 'No such board');
      throw new HttpError(401, 'Missing or unknown token');
    }
    request.access = { ...(await resolve(app, request, board.sessionId, role)), board };
  };
}

/**
 * preHandler after an access one, on routes that change the session: a session its moderator
 * closed for writing (at the end of the day) only reads: its report and follow-up pages stay.
 */
export async function sessionOpen(request: FastifyRequest): Promise<void> {
  if (accessOf(request).session.closedAt != null) throw closedError();
}

export const closedError = () =>
  new HttpError(409, 'The moderator closed this workshop for writing', 'session-closed');

/** Who is asking, as the route's preHandler found. */
export function accessOf(request: FastifyRequest): SessionAccess {
  if (!request.access) throw new Error('the route has no access preHandler');
  return request.access;
}

/** The board a `boardAccess` route names, with who is asking. */
export function boardAccessOf(request: FastifyRequest): SessionAccess & { board: BoardRecord } {
  const access = accessOf(request);
  if (!access.board) throw new Error('the route has no board access preHandler');
  return access as SessionAccess & { board: BoardRecord };
}
