/**
 * Who may use an HTTP route: the bearer token must belong to the session (or
 * the board's session), and have the role the route needs. Refusals are
 * answered here (401 no/unknown token, 403 other session or wrong role, 404
 * unknown board) so routes only handle the allowed case.
 */
import type { Role } from '@kaptar/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticated } from '../auth/plugin.js';
import { bearerToken } from '../auth/plugin.js';
import type { BoardRecord, SessionRecord } from '../storage/store.js';

export interface SessionAccess {
  principal: Authenticated;
  session: SessionRecord;
}

export async function authorizeSession(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  sessionId: string,
  role?: Role,
): Promise<SessionAccess | undefined> {
  const principal = await app.authenticate(bearerToken(request));
  if (!principal) {
    await reply.code(401).send({ error: 'Missing or unknown token' });
    return undefined;
  }
  const session = principal.sessionId === sessionId ? await app.store.getSession(sessionId) : undefined;
  if (!session) {
    await reply.code(403).send({ error: 'This token belongs to another session' });
    return undefined;
  }
  if (role && principal.role !== role) {
    await reply.code(403).send({ error: `Only the ${role} can do this` });
    return undefined;
  }
  return { principal, session };
}

export async function authorizeBoard(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  boardId: string,
  role?: Role,
): Promise<(SessionAccess & { board: BoardRecord }) | undefined> {
  const board = await app.store.getBoard(boardId);
  const principal = await app.authenticate(bearerToken(request));
  if (principal && !board) {
    await reply.code(404).send({ error: 'No such board' });
    return undefined;
  }
  // Unknown token first, then another session's board: both say nothing about the board itself.
  const access = await authorizeSession(app, request, reply, board?.sessionId ?? '', role);
  return access && board && { ...access, board };
}
