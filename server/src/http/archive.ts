/** Session archives: export a whole session (moderator), import one as a new session (anyone). */

import { docFromState, readContents, readInitiatives } from '@kaptar/board';
import { CreateSessionReply, ErrorReply, MAX_ARCHIVE_BYTES, SessionParams } from '@kaptar/protocol';
import type { FastifyInstance } from 'fastify';
import {
  ARCHIVE_READER_LIMITS,
  ArchiveReader,
  type ArchiveReaderLimits,
} from '../archive/read-off-thread.js';
import { buildArchive } from '../archive/session-archive.js';
import { newId, newToken } from '../auth/secrets.js';
import { withFreshJoinCode } from '../boards/lifecycle.js';
import { boardSummary } from '../boards/summary.js';
import { attachment } from '../exports/file-name.js';
import { EXPORT_LABELS } from '../exports/labels.js';
import { accessOf, HttpError, sessionAccess } from './access.js';
import { perAddress } from './security.js';

export interface ArchiveRoutesOptions {
  /** Archives one address may import per hour. */
  importsPerHour: number;
  /** How long and with how much memory one archive may be read. */
  reader?: ArchiveReaderLimits;
}

export async function archiveRoutes(app: FastifyInstance, options: ArchiveRoutesOptions) {
  const reader = new ArchiveReader(options.reader ?? ARCHIVE_READER_LIMITS);
  app.addHook('onClose', () => reader.close());
  // The import's body reaches its handler as bytes: parsing 50 MiB of JSON here would hold every
  // session on this process; the reader's worker parses and checks it (SessionArchive) instead.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
    done(null, body),
  );

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
          contents: await app.rooms.withRoom(board.id, (room) => readContents(room.doc)),
        });
        for (const summary of await app.store.listSnapshots(board.id)) {
          const stored = await app.store.getSnapshot(board.id, summary.id);
          if (stored)
            snapshots.push({ snapshot: stored.snapshot, contents: readContents(docFromState(stored.state)) });
        }
      }
      const people = await app.store.listParticipants(session.id);
      const room = await app.sessionRooms.acquire(session.id);
      const initiatives = readInitiatives(room.doc);
      app.sessionRooms.release(room);
      const words = [session.title, EXPORT_LABELS[session.lang].archive];
      reply.header('content-disposition', attachment({ words, at: Date.now(), extension: 'json' }));
      return reply
        .type('application/json')
        .send(JSON.stringify(buildArchive(session, people, boards, snapshots, initiatives)));
    },
  );

  app.post<{ Body: Buffer }>(
    '/api/sessions/import',
    {
      bodyLimit: MAX_ARCHIVE_BYTES,
      config: perAddress(options.importsPerHour, 'imported archives', 'hour'),
      onRequest: [app.requireDiskRoom, reader.holdPlace],
      schema: {
        response: { 201: CreateSessionReply, 400: ErrorReply, 429: ErrorReply, 507: ErrorReply },
      },
    },
    async (request, reply) => {
      const moderatorToken = newToken();
      const viewerToken = newToken();
      const sessionId = newId();
      // Read once: a join code taken meanwhile draws another code, not another reading.
      const imported = await reader.read(request.body, {
        sessionId,
        viewerToken,
        moderatorToken,
        now: Date.now(),
      });
      // What the rebuilt archive will take; a file of 50 MiB may well hold more than a session may keep.
      const stored = new Set([...imported.boards, ...imported.snapshots].map(({ state }) => state));
      const bytes = [...stored].reduce((sum, state) => sum + state.byteLength, 0);
      if (bytes >= app.sessionQuota.maxBytes) {
        throw new HttpError(
          507,
          `Invalid archive: its boards and snapshots take ${Math.ceil(bytes / 1024 / 1024)} MB, more than the ${Math.round(app.sessionQuota.maxBytes / 1024 / 1024)} MB a session may keep.`,
        );
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
