import { HealthReply } from '@kaptar/protocol';
import type { FastifyInstance } from 'fastify';

export async function healthRoutes(app: FastifyInstance) {
  app.get('/api/health', { schema: { response: { 200: HealthReply } } }, async () => ({ ok: true }));
}
