/** Builds the Kaptár server: registers the feature plugins, nothing else. */
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { authPlugin } from './auth/plugin.js';
import { clusterPlugin } from './cluster/plugin.js';
import type { Config } from './config.js';
import { controlPlugin } from './control/plugin.js';
import { archiveRoutes } from './http/archive.js';
import { proxyTrustOf } from './http/client-address.js';
import { clientApp } from './http/client-app.js';
import { errorReplies } from './http/errors.js';
import { healthRoutes } from './http/health.js';
import { logSerializers } from './http/log-serializers.js';
import { outcomeRoutes } from './http/outcome.js';
import { ownerRouting } from './http/owner-routing.js';
import { security } from './http/security.js';
import { sessionRoutes } from './http/sessions.js';
import { snapshotRoutes } from './http/snapshots.js';
import { intentsPlugin } from './intents/plugin.js';
import { roomsPlugin } from './rooms/plugin.js';
import { snapshotsPlugin } from './snapshots/plugin.js';
import { storagePlugin } from './storage/plugin.js';

/** JSON bodies of the API are a few hundred bytes; refuse anything much larger early. */
const MAX_HTTP_BODY_BYTES = 16 * 1024;

export async function buildApp(config: Config): Promise<FastifyInstance> {
  // One trust for request.ip (HTTP and the Yjs websockets) and for the control sockets' address.
  const proxyTrust = proxyTrustOf(config.trustedProxies);
  const app = Fastify({
    trustProxy: proxyTrust,
    logger: { level: config.logLevel, serializers: logSerializers },
    bodyLimit: MAX_HTTP_BODY_BYTES,
    // Phones reconnect after drops; give in-flight requests time, but do not hang shutdown.
    forceCloseConnections: true,
    // Unknown fields are an error, not silently dropped: clients learn the contract.
    ajv: { customOptions: { removeAdditional: false } },
    // A URL the router cannot even decode (a lone `%`) answers in the API's one error shape too.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      reply.code(400).send({ error: `Invalid request: ${error.message}` });
    },
  });

  await app.register(errorReplies);
  await app.register(security);
  await app.register(storagePlugin, {
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    diskReserveBytes: config.diskReserveBytes,
    sessionStorageBytes: config.sessionStorageBytes,
  });
  await app.register(clusterPlugin, { redisUrl: config.redisUrl });
  await app.register(ownerRouting);
  await app.register(authPlugin, {
    maxConnectionsPerAddress: config.maxConnectionsPerAddress,
    maxConnectionsPerToken: config.maxConnectionsPerToken,
  });
  await app.register(roomsPlugin);
  await app.register(intentsPlugin);
  await app.register(snapshotsPlugin);
  await app.register(controlPlugin, { proxyTrust });
  await app.register(healthRoutes);
  await app.register(sessionRoutes, { publicUrl: config.publicUrl, sessionsPerHour: config.sessionsPerHour });
  await app.register(snapshotRoutes);
  await app.register(outcomeRoutes);
  await app.register(archiveRoutes, { importsPerHour: config.importsPerHour });
  await app.register(clientApp, { clientDir: config.clientDir });
  return app;
}
