import { ErrorReply, HealthReply } from '@kaptar/protocol';
import type { FastifyInstance } from 'fastify';

/**
 * 200 when the server can serve and save (with a warning while the disk is under its reserve);
 * 503 with the reason when saving fails.
 */
export async function healthRoutes(app: FastifyInstance) {
  app.get(
    '/api/health',
    { schema: { response: { 200: HealthReply, 503: ErrorReply } } },
    async (_request, reply) => {
      const failure = app.storageHealth.failing;
      if (failure) {
        const since = new Date(failure.since).toISOString();
        return reply.code(503).send({ error: `Cannot save since ${since}: ${failure.message}` });
      }
      const shortage = app.diskReserve.shortage();
      return shortage ? { ok: true, warning: shortage } : { ok: true };
    },
  );
}
