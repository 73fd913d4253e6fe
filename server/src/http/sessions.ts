/** Sessions: create one (moderator), join one (participant), read one back (any token holder). */

import { DEFAULT_LANGUAGE, DEFAULT_TEMPLATE, newBoardState, readContents } from '@kaptar/board';
import {
  CreateSessionBody,
  CreateSessionReply,
  ErrorReply,
  JoinBody,
  JoinCodeParams,
  JoinInfoReply,
  JoinReply,
  LIMITS,
  ReportReply,
  ROOM_CLOSE,
  type Role,
  SessionInfoReply,
  SessionParams,
  SitesBody,
} from '@kaptar/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hashToken, newId, newToken } from '../auth/secrets.js';
import { acceptsSite } from '../auth/sites.js';
import { newBoard, withFreshJoinCode } from '../boards/lifecycle.js';
import { boardSummary } from '../boards/summary.js';
import { loadOutcome, sessionInitiatives } from '../exports/outcome.js';
import { boardReport, siteTotals, timeline } from '../exports/report.js';
import type { ParticipantRecord, SessionRecord } from '../storage/store.js';
import { accessOf, closedError, HttpError, sessionAccess, sessionOpen } from './access.js';
import { joinUrl } from './join-url.js';
import { perAddress } from './security.js';
import { bodyText } from './text.js';

const unknownCode = (joinCode: string) => ({
  error: `No workshop uses the code ${joinCode}. Check the code and try again.`,
});

export interface SessionRoutesOptions {
  publicUrl: string | null;
  /** New sessions one address may create per hour. */
  sessionsPerHour: number;
}

/** Wrong join codes one address may try per minute: codes are six digits, guessing must stay slow. */
export const WRONG_CODES_PER_MINUTE = 10;

export async function sessionRoutes(app: FastifyInstance, options: SessionRoutesOptions) {
  const wrongCodes = app.createRateLimit({ max: WRONG_CODES_PER_MINUTE, timeWindow: 60_000 });

  /** Looks a join code up, counting misses per address; undefined after answering 404 or 429. */
  async function sessionByCode(request: FastifyRequest, reply: FastifyReply, joinCode: string) {
    // `isAllowed` means exempt (allow-listed); `remaining` is what counts.
    const before = await wrongCodes(request, { increment: false });
    if (!before.isAllowed && before.remaining <= 0) {
      await reply
        .code(429)
        .send({ error: 'Too many wrong codes from this address. Wait a minute and try again.' });
      return undefined;
    }
    const session = await app.store.findSessionByJoinCode(joinCode);
    if (!session) {
      await wrongCodes(request);
      await reply.code(404).send(unknownCode(joinCode));
    }
    return session;
  }

  /** What a token holder may know of its session. */
  async function sessionInfo(
    request: FastifyRequest,
    session: SessionRecord,
    participant: ParticipantRecord,
  ): Promise<SessionInfoReply> {
    const boards = await app.store.listBoards(session.id);
    return {
      sessionId: session.id,
      title: session.title,
      lang: session.lang,
      joinCode: session.joinCode,
      joinUrl: joinUrl(request, options.publicUrl, session.joinCode),
      boards: boards.map(boardSummary),
      me: {
        role: participant.role,
        participantId: participant.id,
        name: participant.name,
        site: participant.site,
      },
      sites: session.sites,
      allowNewSites: session.allowNewSites,
      closed: session.closedAt != null,
      // Only the moderator may hand out the projector link.
      ...(participant.role === 'moderator' ? { viewerToken: session.viewerToken } : {}),
    };
  }

  app.post<{ Body: CreateSessionBody }>(
    '/api/sessions',
    {
      config: perAddress(options.sessionsPerHour, 'new sessions', 'hour'),
      onRequest: app.requireDiskRoom,
      preHandler: app.takeTurn,
      schema: {
        body: CreateSessionBody,
        response: { 201: CreateSessionReply, 400: ErrorReply, 429: ErrorReply, 507: ErrorReply },
      },
    },
    async (request, reply) => {
      const title = bodyText('sessionTitle', request.body.title);
      const now = Date.now();
      const sessionId = newId();
      const moderatorToken = newToken();
      const viewerToken = newToken();
      const board = newBoard(sessionId, { title: '', position: 0, createdAt: now });
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
      const joinCode = await withFreshJoinCode(async (joinCode) => {
        const session = {
          id: sessionId,
          title,
          joinCode,
          viewerToken,
          sites: [],
          allowNewSites: true,
          lang: request.body.lang ?? DEFAULT_LANGUAGE,
          createdAt: now,
        };
        await app.store.createSession(session, board, newBoardState(DEFAULT_TEMPLATE), members);
        return joinCode;
      });
      return reply
        .code(201)
        .send({ sessionId, joinCode, moderatorToken, viewerToken, boards: [boardSummary(board)] });
    },
  );

  app.post<{ Body: JoinBody }>(
    '/api/join',
    {
      preHandler: app.takeTurn,
      schema: {
        body: JoinBody,
        response: {
          200: JoinReply,
          400: ErrorReply,
          404: ErrorReply,
          409: ErrorReply,
          429: ErrorReply,
          507: ErrorReply,
        },
      },
    },
    async (request, reply) => {
      const name = bodyText('displayName', request.body.name);
      const site = bodyText('siteName', request.body.site);
      const session = await sessionByCode(request, reply, request.body.joinCode);
      if (!session) return reply;
      if (session.closedAt != null) throw closedError();
      if (!acceptsSite(session, site)) {
        return reply
          .code(400)
          .send({ error: `Pick one of the workshop's settlements: ${session.sites.join(', ')}` });
      }
      // Counted, not listed: a burst of 300 joins listing everyone each time spent 250 ms doing it.
      if ((await app.store.countParticipants(session.id)) >= LIMITS.participantsPerSession) {
        throw new HttpError(
          409,
          `This workshop is full: it has ${LIMITS.participantsPerSession} participants.`,
          'workshop-full',
        );
      }
      await app.sessionQuota.require(session.id);
      const participantToken = newToken();
      const participant = {
        id: newId(),
        sessionId: session.id,
        role: 'participant' as const,
        name,
        site,
        tokenHash: hashToken(participantToken),
        createdAt: Date.now(),
      };
      await app.store.addParticipant(participant);
      app.announcePresence(session.id);
      // The session info comes along, so a phone on a slow link opens the board without another round trip.
      const info = await sessionInfo(request, session, participant);
      return {
        sessionId: session.id,
        participantId: participant.id,
        participantToken,
        boards: info.boards,
        info,
      };
    },
  );

  app.get<{ Params: JoinCodeParams }>(
    '/api/join/:joinCode',
    {
      schema: { params: JoinCodeParams, response: { 200: JoinInfoReply, 404: ErrorReply, 429: ErrorReply } },
    },
    async (request, reply) => {
      const session = await sessionByCode(request, reply, request.params.joinCode);
      if (!session) return reply;
      return { title: session.title, sites: session.sites, allowNewSites: session.allowNewSites };
    },
  );

  app.get<{ Params: SessionParams }>(
    '/api/sessions/:sessionId',
    {
      preHandler: sessionAccess(app),
      schema: {
        params: SessionParams,
        response: { 200: SessionInfoReply, 401: ErrorReply, 403: ErrorReply },
      },
    },
    async (request) => {
      const access = accessOf(request);
      const { session, principal } = access;
      return sessionInfo(request, session, principal.participant);
    },
  );

  app.get<{ Params: SessionParams }>(
    '/api/sessions/:sessionId/report',
    {
      preHandler: sessionAccess(app, 'moderator'),
      schema: {
        params: SessionParams,
        response: { 200: ReportReply, 401: ErrorReply, 403: ErrorReply },
      },
    },
    async (request) => {
      const { session } = accessOf(request);
      const boards = [];
      for (const board of await app.store.listBoards(session.id)) {
        const contents = await app.rooms.withRoom(board.id, (room) => readContents(room.doc));
        boards.push({ board, contents, snapshots: await app.store.listSnapshots(board.id) });
      }
      const people = await app.store.listParticipants(session.id);
      return {
        title: session.title,
        lang: session.lang,
        generatedAt: Date.now(),
        initiatives: await loadOutcome(app, session, await sessionInitiatives(app, session.id)),
        boards: boards.map(({ board, contents }, index) => boardReport(board, index, contents, session.lang)),
        sites: siteTotals(
          people,
          boards.flatMap(({ contents }) => contents.cards),
        ),
        timeline: timeline(boards, session.lang),
      };
    },
  );

  app.delete<{ Params: SessionParams }>(
    '/api/sessions/:sessionId',
    {
      preHandler: [sessionAccess(app, 'moderator'), app.takeTurn],
      schema: { params: SessionParams, response: { 401: ErrorReply, 403: ErrorReply } },
    },
    async (request, reply) => {
      const { session } = accessOf(request);
      // Closed first, so that nothing is accepted while it goes; then every device is let go and
      // every loaded document saved and dropped, and only then is the session's data deleted.
      await app.store.closeSession(session.id, Date.now());
      app.intents.closed(session.id, true);
      app.disconnectSession(session.id);
      const reason = 'the session was deleted';
      const boards = await app.store.listBoards(session.id);
      for (const board of boards) {
        // Batches queued before the close are refused in their turn (the session is closed); once
        // they have run, the room is saved and dropped, and nothing loads it again.
        await app.intents.settled(board.id);
        await app.rooms.evict(board.id, ROOM_CLOSE.removed, reason);
      }
      await app.sessionRooms.evict(session.id, ROOM_CLOSE.removed, reason);
      await app.store.deleteSession(session.id);
      // Last: a replica dropped earlier would be loaded again, from the store, by a phone reconnecting.
      app.dropReplicasOf(
        session.id,
        boards.map((board) => board.id),
        reason,
      );
      app.log.info({ sessionId: session.id }, 'session deleted by its moderator');
      return reply.code(204).send();
    },
  );

  app.put<{ Params: SessionParams; Body: SitesBody }>(
    '/api/sessions/:sessionId/sites',
    {
      preHandler: [sessionAccess(app, 'moderator'), sessionOpen],
      schema: {
        params: SessionParams,
        body: SitesBody,
        response: { 200: SitesBody, 400: ErrorReply, 401: ErrorReply, 403: ErrorReply },
      },
    },
    async (request) => {
      const access = accessOf(request);
      // Two spellings of one name (composed and decomposed accents) are one settlement once normalised.
      const sites = [...new Set(request.body.sites.map((site) => bodyText('siteName', site)))];
      await app.store.updateSites(access.session.id, sites, request.body.allowNewSites);
      return { sites, allowNewSites: request.body.allowNewSites };
    },
  );
}
