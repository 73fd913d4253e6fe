/** Snapshots and exports of a board, for its session's moderator (`Authorization: Bearer`). */
import { type BoardContents, compareContents, docFromState, readContents } from '@kaptar/board';
import {
  BoardChanges,
  BoardExport,
  BoardParams,
  CompareQuery,
  CreateSnapshotBody,
  ErrorReply,
  ExportQuery,
  RestoreBody,
  RestoreReply,
  SnapshotList,
  SnapshotParams,
  SnapshotSummary,
} from '@kaptar/protocol';
import type { FastifyInstance } from 'fastify';
import { boardExport } from '../exports/board-export.js';
import { toCsv, toMarkdown } from '../exports/formats.js';
import { toSvg } from '../exports/svg.js';
import type { BoardRecord, SnapshotRecord } from '../storage/store.js';
import { boardAccess, boardAccessOf } from './access.js';
import { bodyText } from './text.js';

const refusals = { 401: ErrorReply, 403: ErrorReply, 404: ErrorReply };
const noSnapshot = { error: 'No such snapshot of this board' };

export async function snapshotRoutes(app: FastifyInstance) {
  /** The board (or one of its snapshots) as export data. */
  async function exportOf(board: BoardRecord, snapshotId?: string) {
    const session = await app.store.getSession(board.sessionId);
    const people = await app.store.listParticipants(board.sessionId);
    const context = { boardId: board.id, sessionTitle: session?.title ?? '', people };
    if (snapshotId === undefined) {
      return app.rooms.withRoom(board.id, (room) => boardExport(room.doc, context));
    }
    const stored = await app.store.getSnapshot(board.id, snapshotId);
    return stored && boardExport(docFromState(stored.state), { ...context, snapshot: stored.snapshot });
  }

  /** The board's contents now, or in one of its snapshots (undefined: no such snapshot). */
  async function contentsOf(board: BoardRecord, snapshotId?: string): Promise<BoardContents | undefined> {
    if (snapshotId === undefined) return app.rooms.withRoom(board.id, (room) => readContents(room.doc));
    const stored = await app.store.getSnapshot(board.id, snapshotId);
    return stored && readContents(docFromState(stored.state));
  }

  app.get<{ Params: BoardParams; Querystring: CompareQuery }>(
    '/api/boards/:boardId/compare',
    {
      preHandler: boardAccess(app, 'moderator'),
      schema: {
        params: BoardParams,
        querystring: CompareQuery,
        response: { 200: BoardChanges, ...refusals },
      },
    },
    async (request, reply) => {
      const access = boardAccessOf(request);
      const before = await contentsOf(access.board, request.query.from);
      const after = await contentsOf(access.board, request.query.to);
      if (!before || !after) return reply.code(404).send(noSnapshot);
      return compareContents(before, after);
    },
  );

  app.get<{ Params: BoardParams }>(
    '/api/boards/:boardId/snapshots',
    {
      preHandler: boardAccess(app, 'moderator'),
      schema: { params: BoardParams, response: { 200: SnapshotList, ...refusals } },
    },
    async (request) => {
      const access = boardAccessOf(request);
      return { snapshots: await app.store.listSnapshots(access.board.id) };
    },
  );

  app.post<{ Params: BoardParams; Body: CreateSnapshotBody }>(
    '/api/boards/:boardId/snapshots',
    {
      preHandler: boardAccess(app, 'moderator'),
      schema: {
        params: BoardParams,
        body: CreateSnapshotBody,
        response: { 201: SnapshotSummary, ...refusals },
      },
    },
    async (request, reply) => {
      const access = boardAccessOf(request);
      const snapshot: SnapshotRecord = await app.snapshots.save(access.board, {
        name: bodyText('snapshotName', request.body.name),
        kind: 'manual',
        by: access.principal.participantId,
      });
      return reply.code(201).send(snapshot);
    },
  );

  app.get<{ Params: SnapshotParams }>(
    '/api/boards/:boardId/snapshots/:snapshotId',
    {
      preHandler: boardAccess(app, 'moderator'),
      schema: { params: SnapshotParams, response: { 200: BoardExport, ...refusals } },
    },
    async (request, reply) => {
      const access = boardAccessOf(request);
      const exported = await exportOf(access.board, request.params.snapshotId);
      return exported ?? reply.code(404).send(noSnapshot);
    },
  );

  app.post<{ Params: SnapshotParams; Body: RestoreBody }>(
    '/api/boards/:boardId/snapshots/:snapshotId/restore',
    {
      preHandler: boardAccess(app, 'moderator'),
      schema: { params: SnapshotParams, body: RestoreBody, response: { 200: RestoreReply, ...refusals } },
    },
    async (request, reply) => {
      const access = boardAccessOf(request);
      const { board, principal } = access;
      const { snapshotId } = request.params;
      if (request.body.mode === 'rollback') {
        const backup = await app.snapshots.rollback(board, snapshotId, principal.participantId);
        if (!backup) return reply.code(404).send(noSnapshot);
        return { mode: 'rollback', boardId: board.id, backupSnapshotId: backup.id };
      }
      const created = await app.snapshots.restoreAsNewBoard(board, snapshotId);
      if (!created) return reply.code(404).send(noSnapshot);
      await app.announceBoards(board.sessionId);
      return { mode: 'new-board', boardId: created.id };
    },
  );

  app.get<{ Params: BoardParams; Querystring: ExportQuery }>(
    '/api/boards/:boardId/export',
    {
      preHandler: boardAccess(app, 'moderator'),
      schema: { params: BoardParams, querystring: ExportQuery, response: refusals },
    },
    async (request, reply) => {
      const access = boardAccessOf(request);
      const { format, snapshot } = request.query;
      const file = `kaptar-${access.board.id}${snapshot ? `-${snapshot}` : ''}.${format}`;
      reply.header('content-disposition', `attachment; filename="${file}"`);
      if (format === 'svg') {
        const contents = await contentsOf(access.board, snapshot);
        if (!contents) return reply.code(404).send(noSnapshot);
        const people = await app.store.listParticipants(access.board.sessionId);
        const names = new Map(people.map((p) => [p.id, p.role === 'moderator' ? 'Moderator' : p.name]));
        return reply
          .type('image/svg+xml; charset=utf-8')
          .send(toSvg(contents, names, request.query.lang ?? 'hu'));
      }
      const exported = await exportOf(access.board, snapshot);
      if (!exported) return reply.code(404).send(noSnapshot);
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(exported));
      if (format === 'md') return reply.type('text/markdown; charset=utf-8').send(toMarkdown(exported));
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(exported, null, 2));
    },
  );
}
