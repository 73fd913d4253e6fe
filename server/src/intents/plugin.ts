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
    app.decorate(
      'intents',
      new IntentService(app.rooms, app.store, app.storageHealth, app.sessionQuota, app.log),
    );
  },
  { name: 'kaptar-intents', dependencies: ['kaptar-rooms'] },
);
