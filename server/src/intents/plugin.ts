/** Intents: the write path of every board (intent → check → apply → store → relay). */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { IntentService } from './intent-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    intents: IntentService;
  }
}

export const intentsPlugin = fp(
  async (app: FastifyInstance) => {
    const intents = new IntentService(app.rooms, app.store, app.storageHealth, app.sessionQuota, app.log);
    app.decorate('intents', intents);
    // A session this process let go (or whose lease lapsed) may have been closed elsewhere meanwhile.
    app.cluster?.ownership.onLost((sessionId) => intents.forget(sessionId));
  },
  { name: 'kaptar-intents', dependencies: ['kaptar-rooms', 'kaptar-cluster'] },
);
