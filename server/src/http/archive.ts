/** Session archives: export a whole session (moderator), import one as a new session (anyone). */
import {
  CreateSessionReply,
  ErrorReply,
  MAX_ARCHIVE_BYTES,
  SessionArchive,
  SessionParams,
} from '@kaptar/protocol';
import type { FastifyInstance } from 'fastify';
import * as Y from 'yjs';
import { ArchiveError, buildArchive, importArchive } from '../archive/session-archive.js';
import { newId, newToken } from '../auth/secrets.js';
import { withFreshJoinCode } from '../boards/lifecycle.js';
import { boardSummary } from '../boards/summary.js';
import { accessOf, sessionAccess } from './access.js';
import { perHour } from './security.js';

export interface ArchiveRoutesOptions {
  /** Archives one address may import per hour. */
  importsPerHour: number;
}

export async function archiveRoutes(app: FastifyInstance, options: ArchiveRoutesOptions) {
  app.get<{ Params: SessionParams }>(
    '/api/sessions/:sessionId/archive',
    {
      preHandler: sessionAccess(app, 'moderator'),
      schema: { params: SessionParams, response: { 401: ErrorReply, 403: ErrorReply } },
    },
    async (request, reply) => {
      const access = accessOf(request);
      const { session } = access;
      const boards = [];
      const snapshots = [];
      for (const board of await app.store.listBoards(session.id)) {
        boards.push({
          board,
          state: await app.rooms.withRoom(board.id, (room) => Y.encodeStateAsUpdate(room.doc)),
        });
        for (const summary of await app.store.listSnapshots(board.id)) {
          const stored = await app.store.getSnapshot(board.id, summary.id);
          if (stored) snapshots.push(stored);
        }
      }
      const people = await app.store.listParticipants(session.id);
      reply.header('content-disposition', `attachment; filename="kaptar-session-${session.id}.json"`);
      return reply
        .type('application/json')
        .send(JSON.stringify(buildArchive(session, people, boards, snapshots)));
    },
  );

  app.post<{ Body: SessionArchive }>(
    '/api/sessions/import',
    {
      bodyLimit: MAX_ARCHIVE_BYTES,
      config: perHour(options.importsPerHour, 'imported archives'),
      onRequest: app.requireDiskRoom,
      schema: {
        body: SessionArchive,
        response: { 201: CreateSessionReply, 400: ErrorReply, 429: ErrorReply, 507: ErrorReply },
      },
    },
    async (request, reply) => {
      const moderatorToken = newToken();
      const viewerToken = newToken();
      const sessionId = newId();
      let imported: Awaited<ReturnType<typeof importArchive>>;
      try {
        // Read once: a join code taken meanwhile draws another code, not another reading.
        imported = await importArchive(request.body, {
          sessionId,
          viewerToken,
          moderatorToken,
          now: Date.now(),
        });
      } catch (error) {
        if (error instanceof ArchiveError)
          return reply.code(400).send({ error: `Invalid archive: ${error.message}` });
        throw error;
      }
      const joinCode = await withFreshJoinCode(async (joinCode) => {
        await app.store.importSession({ ...imported, session: { ...imported.session, joinCode } });
        return joinCode;
      });
      const boards = imported.boards
        .filter(({ board }) => !board.archived)
        .sort((a, b) => a.board.position - b.board.position)
        .map(({ board }) => boardSummary(board));
      return reply.code(201).send({ sessionId, joinCode, moderatorToken, viewerToken, boards });
    },
  );
}
