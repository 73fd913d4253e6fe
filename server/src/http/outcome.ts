/**
 * The outcome of a session: its initiatives for the moderator (as JSON, Markdown or CSV tables),
 * and one initiative's follow-up page for anyone holding its link, with no account. Both only
 * read, so they keep answering once the session is closed for writing.
 */
import {
  ErrorReply,
  FOLLOW_UP_API,
  FOLLOW_UP_VIEWS_PER_MINUTE,
  FollowUpParams,
  FollowUpReply,
  OutcomeQuery,
  OutcomeReply,
  SessionParams,
} from '@kaptar/protocol';
import type { FastifyInstance } from 'fastify';
import { hashToken } from '../auth/secrets.js';
import { attachment } from '../exports/file-name.js';
import { EXPORT_LABELS } from '../exports/labels.js';
import { initiativeOutcome, loadOutcome, outcomeSources, sessionInitiatives } from '../exports/outcome.js';
import { outcomeCsv, outcomeMarkdown } from '../exports/outcome-formats.js';
import { accessOf, sessionAccess } from './access.js';
import { perAddress } from './security.js';

/**
 * Wrong follow-up tokens one address may try per minute. A token is 256 bits, so guessing is
 * hopeless anyway; the limit keeps a scanner from spending the server's lookups.
 */
export const WRONG_LINKS_PER_MINUTE = 10;

const gone = {
  error: 'This follow-up link is not valid: it was renewed or revoked, or its initiative is gone.',
};

export async function outcomeRoutes(app: FastifyInstance) {
  const wrongLinks = app.createRateLimit({ max: WRONG_LINKS_PER_MINUTE, timeWindow: 60_000 });

  app.get<{ Params: SessionParams; Querystring: OutcomeQuery }>(
    '/api/sessions/:sessionId/outcome',
    {
      preHandler: sessionAccess(app, 'moderator'),
      schema: {
        params: SessionParams,
        querystring: OutcomeQuery,
        response: { 200: OutcomeReply, 401: ErrorReply, 403: ErrorReply },
      },
    },
    async (request, reply) => {
      const { session } = accessOf(request);
      const initiatives = await loadOutcome(app, session, await sessionInitiatives(app, session.id));
      const { format = 'json', table = 'initiatives' } = request.query;
      if (format === 'json') {
        return {
          sessionId: session.id,
          title: session.title,
          lang: session.lang,
          generatedAt: Date.now(),
          closed: session.closedAt != null,
          initiatives,
        } satisfies OutcomeReply;
      }
      const labels = EXPORT_LABELS[session.lang];
      const words = [
        session.title,
        format === 'csv' ? labels.outcome.tables[table].name : labels.outcome.initiatives,
      ];
      reply.header('content-disposition', attachment({ words, at: Date.now(), extension: format }));
      if (format === 'md') {
        return reply
          .type('text/markdown; charset=utf-8')
          .send(outcomeMarkdown(session.title, initiatives, labels));
      }
      return reply.type('text/csv; charset=utf-8').send(outcomeCsv(initiatives, table, labels));
    },
  );

  app.get<{ Params: FollowUpParams }>(
    `${FOLLOW_UP_API}:token`,
    {
      config: {
        ...perAddress(FOLLOW_UP_VIEWS_PER_MINUTE, 'follow-up page views', 'minute'),
        sessionOf: async (request) =>
          (await app.store.findFollowUpLink(hashToken((request.params as { token: string }).token)))
            ?.sessionId,
      },
      schema: {
        params: FollowUpParams,
        response: { 200: FollowUpReply, 404: ErrorReply, 429: ErrorReply },
      },
    },
    async (request, reply) => {
      // `isAllowed` means exempt (allow-listed); `remaining` is what counts.
      const before = await wrongLinks(request, { increment: false });
      if (!before.isAllowed && before.remaining <= 0) {
        return reply
          .code(429)
          .send({ error: 'Too many wrong links from this address. Wait a minute and try again.' });
      }
      const link = await app.store.findFollowUpLink(hashToken(request.params.token));
      const session = link && (await app.store.getSession(link.sessionId));
      const initiative =
        link &&
        session &&
        (await sessionInitiatives(app, session.id)).find((i) => i.id === link.initiativeId);
      if (!session || !initiative) {
        await wrongLinks(request);
        return reply.code(404).send(gone);
      }
      // A page anyone with the link may open: the browser keeps no copy for the next person at the device.
      reply.header('cache-control', 'no-store');
      const outcome = initiativeOutcome(initiative, await outcomeSources(app, session, [initiative]));
      return { sessionTitle: session.title, lang: session.lang, initiative: outcome } satisfies FollowUpReply;
    },
  );
}
