/**
 * One error shape for the whole API: `{ error: "<what is wrong>" }`, with the
 * status that says whose fault it was. Server faults never leak internals.
 */
import type { HttpErrorCode } from '@kaptar/protocol';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { isStorageFailure } from '../storage/errors.js';

export const errorReplies = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.validation) {
        return reply.code(400).send({ error: `Invalid request: ${error.message}` });
      }
      if (isStorageFailure(error)) {
        app.storageHealth.failed(error);
        request.log.error({ err: error }, 'cannot save: the store refuses writes');
        return reply.code(503).send({
          error:
            'The server cannot save right now (its disk or database refuses writes). Nothing was saved; try again later.',
        });
      }
      const status = error.statusCode ?? 500;
      // A server-side status thrown on purpose (a full session, a busy archive reader) says so with
      // `expose`, as http-errors does; any other is a fault whose message stays in the log.
      if (status >= 500 && !(error as { expose?: boolean }).expose) {
        request.log.error({ err: error }, 'request failed');
        return reply.code(500).send({ error: 'Something went wrong on the server. Please try again.' });
      }
      // Fastify's own errors carry a `code` too (FST_...): only ours name the app's code, as `replyCode`.
      const code = (error as { replyCode?: HttpErrorCode }).replyCode;
      return reply.code(status).send(code ? { error: error.message, code } : { error: error.message });
    });
  },
  { name: 'kaptar-error-replies' },
);
