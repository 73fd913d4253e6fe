/**
 * One error shape for the whole API: `{ error: "<what is wrong>" }`, with the
 * status that says whose fault it was. Server faults never leak internals.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { isStorageFailure } from '../storage/health.js';

export const errorReplies = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.validation) {
        return reply.code(400).send({ error: `Invalid request: ${error.message}` });
      }
      if (isStorageFailure(error)) {
        app.storageHealth.failed(error);
        request.log.error({ err: error }, 'cannot save: disk full or read-only?');
        return reply.code(503).send({
          error:
            'The server cannot save right now (disk full or read-only). Nothing was saved; try again later.',
        });
      }
      const status = error.statusCode ?? 500;
      if (status >= 500) {
        request.log.error({ err: error }, 'request failed');
        return reply.code(500).send({ error: 'Something went wrong on the server. Please try again.' });
      }
      return reply.code(status).send({ error: error.message });
    });
  },
  { name: 'kaptar-error-replies' },
);
