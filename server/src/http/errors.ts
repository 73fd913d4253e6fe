/**
 * One error shape for the whole API: `{ error: "<what is wrong>" }`, with the
 * status that says whose fault it was. Server faults never leak internals.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const errorReplies = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.validation) {
        return reply.code(400).send({ error: `Invalid request: ${error.message}` });
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
