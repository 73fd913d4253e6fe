/** Sessions: create one (moderator), join one (participant), read one back (any token holder). */
import {
  CreateSessionBody,
  CreateSessionReply,
  ErrorReply,
  JoinBody,
  JoinReply,
  type Role,
  SessionInfoReply,
  SessionParams,
} from '@kaptar/protocol';
import type { FastifyInstance } from 'fastify';
import { bearerToken } from '../auth/plugin.js';
import { hashToken, newId, newJoinCode, newToken } from '../auth/secrets.js';
import { type BoardRecord, JoinCodeTakenError, type ParticipantRecord } from '../storage/store.js';
import { joinUrl } from './join-url.js';

const summary = (board: BoardRecord) => ({ id: board.id, title: board.title });
const JOIN_CODE_ATTEMPTS = 20;

export interface SessionRoutesOptions {
  publicUrl: string | null;
}

export async function sessionRoutes(app: FastifyInstance, options: SessionRoutesOptions) {
  app.post<{ Body: CreateSessionBody }>(
    '/api/sessions',
    { schema: { body: CreateSessionBody, response: { 201: CreateSessionReply } } },
    async (request, reply) => {
      const now = Date.now();
      const sessionId = newId();
      const moderatorToken = newToken();
      const viewerToken = newToken();
      const board: BoardRecord = { id: newId(), sessionId, title: '', position: 0, createdAt: now };
      const member = (role: Role, token: string): ParticipantRecord => ({
        id: newId(),
        sessionId,
        role,
        name: '',
        site: '',
        tokenHash: hashToken(token),
        createdAt: now,
      });
      const members = [member('moderator', moderatorToken), member('viewer', viewerToken)];
      for (let attempt = 0; attempt < JOIN_CODE_ATTEMPTS; attempt++) {
        const joinCode = newJoinCode();
        try {
          const session = {
            id: sessionId,
            title: request.body.title.trim(),
            joinCode,
            viewerToken,
            createdAt: now,
          };
          await app.store.createSession(session, board, members);
          return reply
            .code(201)
            .send({ sessionId, joinCode, moderatorToken, viewerToken, boards: [summary(board)] });
        } catch (error) {
          if (!(error instanceof JoinCodeTakenError)) throw error;
        }
      }
      throw new Error('Could not find a free join code');
    },
  );

  app.post<{ Body: JoinBody }>(
    '/api/join',
    { schema: { body: JoinBody, response: { 200: JoinReply, 404: ErrorReply } } },
    async (request, reply) => {
      const { joinCode, name, site } = request.body;
      const session = await app.store.findSessionByJoinCode(joinCode);
      if (!session) {
        return reply
          .code(404)
          .send({ error: `No workshop uses the code ${joinCode}. Check the code and try again.` });
      }
      const participantToken = newToken();
      const participant = {
        id: newId(),
        sessionId: session.id,
        role: 'participant' as const,
        name: name.trim(),
        site: site.trim(),
        tokenHash: hashToken(participantToken),
        createdAt: Date.now(),
      };
      await app.store.addParticipant(participant);
      await app.announcePresence(session.id);
      const boards = await app.store.listBoards(session.id);
      return {
        sessionId: session.id,
        participantId: participant.id,
        participantToken,
        boards: boards.map(summary),
      };
    },
  );

  app.get<{ Params: SessionParams }>(
    '/api/sessions/:sessionId',
    {
      schema: {
        params: SessionParams,
        response: { 200: SessionInfoReply, 401: ErrorReply, 403: ErrorReply },
      },
    },
    async (request, reply) => {
      const principal = await app.authenticate(bearerToken(request));
      if (!principal) return reply.code(401).send({ error: 'Missing or unknown token' });
      if (principal.sessionId !== request.params.sessionId) {
        return reply.code(403).send({ error: 'This token belongs to another session' });
      }
      const session = await app.store.getSession(principal.sessionId);
      if (!session) return reply.code(403).send({ error: 'This token belongs to another session' });
      const boards = await app.store.listBoards(session.id);
      const { participant } = principal;
      return {
        sessionId: session.id,
        title: session.title,
        joinCode: session.joinCode,
        joinUrl: joinUrl(request, options.publicUrl, session.joinCode),
        boards: boards.map(summary),
        me: {
          role: participant.role,
          participantId: participant.id,
          name: participant.name,
          site: participant.site,
        },
        // Only the moderator may hand out the projector link.
        ...(participant.role === 'moderator' ? { viewerToken: session.viewerToken } : {}),
      };
    },
  );
}
