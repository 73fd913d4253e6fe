/**
 * Serves the built Svelte app. Unknown non-API GETs get index.html so that
 * deep links (/join/123456, /s/...) open the app, which routes them itself.
 * Without a built client (tests, `pnpm dev`) only the API answers.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export interface ClientAppOptions {
  clientDir: string | null;
}

const isPageRequest = (request: FastifyRequest) =>
  request.method === 'GET' && !request.url.startsWith('/api/') && !request.url.startsWith('/yjs/');

// Not encapsulated: the page fallback must answer for every path of the app.
export const clientApp = fp<ClientAppOptions>(async (app: FastifyInstance, { clientDir }) => {
  const hasClient = clientDir !== null && fs.existsSync(path.join(clientDir, 'index.html'));
  if (hasClient) {
    await app.register(fastifyStatic, {
      root: clientDir,
      wildcard: false,
      // The build writes .br and .gz copies; send the one the browser accepts.
      preCompressed: true,
      // Hashed file names never change content: cache them for a year; index.html is revalidated.
      setHeaders: (reply, filePath) => {
        reply.header(
          'cache-control',
          filePath.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  } else {
    app.log.warn({ clientDir }, 'no built client found: serving the API only (run `pnpm build`)');
  }
  app.setNotFoundHandler((request, reply) => {
    if (hasClient && isPageRequest(request)) return reply.type('text/html').sendFile('index.html');
    return reply.code(404).send({ error: `No route ${request.method} ${request.url.split('?')[0]}` });
  });
});
