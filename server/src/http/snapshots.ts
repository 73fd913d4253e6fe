/** Snapshots and exports of a board, for its session's moderator (`Authorization: Bearer`). */
import { compareContents, DEFAULT_LANGUAGE, docFromState, type Language, readContents } from '@kaptar/board';
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
import type * as Y from 'yjs';
import { boardExport, peopleNames } from '../exports/board-export.js';
import { attachment } from '../exports/file-name.js';
import { toCsv, toMarkdown } from '../exports/formats.js';
import { EXPORT_LABELS } from '../exports/labels.js';
import { toSvg } from '../exports/svg.js';
import type { BoardRecord, SnapshotRecord } from '../storage/store.js';
import { boardAccess, boardAccessOf, sessionOpen } from './access.js';
import { bodyText } from './text.js';

const refusals = { 401: ErrorReply, 403: ErrorReply, 404: ErrorReply };
const noSnapshot = { error: 'No such snapshot of this board' };
const EXPORT_TYPES = {
  svg: 'image/svg+xml; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
} as const satisfies Record<ExportQuery['format'], string>;

export async function snapshotRoutes(app: FastifyInstance) {
  /** The board now, or one of its snapshots, as `read` makes of it (undefined: no such snapshot). */
  async function readMoment<T>(
    board: BoardRecord,
    snapshotId: string | undefined,
    read: (doc: Y.Doc, snapshot?: SnapshotRecord) => T,
  ): Promise<T | undefined> {
    if (snapshotId === undefined) return app.rooms.withRoom(board.id, (room) => read(room.doc));
    const stored = await app.store.getSnapshot(board.id, snapshotId);
    return stored && read(docFromState(stored.state), stored.snapshot);
  }

  /**
   * What a file of the board needs from its session: the title, the words of its language (or of
   * `lang`), and its people's names in it; and the board (or a snapshot) as export data with them.
   */
  async function sessionOf(board: BoardRecord, lang?: Language) {
    const session = await app.store.getSession(board.sessionId);
    const title = session?.title ?? '';
    const labels = EXPORT_LABELS[lang ?? session?.lang ?? DEFAULT_LANGUAGE];
    const names = peopleNames(await app.store.listParticipants(board.sessionId), labels.lang);
    const exported = (doc: Y.Doc, snapshot?: SnapshotRecord) =>
      boardExport(doc, {
        boardId: board.id,
        sessionTitle: title,
        names,
        lang: labels.lang,
        ...(snapshot ? { snapshot } : {}),
      });
    return { title, labels, names, exported };
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
      const before = await readMoment(access.board, request.query.from, readContents);
      const after = await readMoment(access.board, request.query.to, readContents);
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
      preHandler: [boardAccess(app, 'moderator'), sessionOpen],
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
      const { exported: exportedAt } = await sessionOf(access.board);
      const exported = await readMoment(access.board, request.params.snapshotId, exportedAt);
      return exported ?? reply.code(404).send(noSnapshot);
    },
  );

  app.post<{ Params: SnapshotParams; Body: RestoreBody }>(
    '/api/boards/:boardId/snapshots/:snapshotId/restore',
    {
      preHandler: [boardAccess(app, 'moderator'), sessionOpen],
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
      const { board } = boardAccessOf(request);
      const { format, snapshot: snapshotId, lang } = request.query;
      const session = await sessionOf(board, lang);
      const { labels, names, exported } = session;
      const file = await readMoment(board, snapshotId, (doc, snapshot) => {
        const body = {
          svg: () => toSvg(readContents(doc), names, labels),
          csv: () => toCsv(exported(doc, snapshot), labels),
          md: () => toMarkdown(exported(doc, snapshot), labels),
          json: () => JSON.stringify(exported(doc, snapshot), null, 2),
        }[format]();
        return { body, snapshot };
      });
      if (!file) return reply.code(404).send(noSnapshot);
      const words = [session.title, board.title, file.snapshot?.name ?? ''];
      reply.header(
        'content-disposition',
        attachment({ words, at: file.snapshot?.createdAt ?? Date.now(), extension: format }),
      );
      return reply.type(EXPORT_TYPES[format]).send(file.body);
    },
  );
}
