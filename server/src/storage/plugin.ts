/** Opens the store, exposes it as `app.store`, and closes it last on shutdown. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DiskReserve } from './disk-reserve.js';
import { StorageHealth } from './health.js';
import { openStore, redactedUrl, type StoreLocation } from './open.js';
import { SessionQuota } from './session-quota.js';
import type { Store } from './store.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
    /** Whether writes are failing (disk full or read-only, database gone); see health.ts. */
    storageHealth: StorageHealth;
    /** The free space kept for running sessions: below it no new session is made. */
    diskReserve: DiskReserve;
    /** onRequest hook of the routes that make a session (before a body is read): 507 {error} under the reserve. */
    requireDiskRoom(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    /** The storage each session may take: checked before every write that makes a session bigger. */
    sessionQuota: SessionQuota;
  }
}

export interface StoragePluginOptions extends StoreLocation {
  /** Free space on the data folder's disk below which new sessions are refused. */
  diskReserveBytes: number;
  /** Bytes one session may take in the store. */
  sessionStorageBytes: number;
}

export const storagePlugin = fp<StoragePluginOptions>(
  async (app, options) => {
    const store = await openStore(options);
    const health = new StorageHealth(app.log, store);
    app.decorate('store', store);
    app.decorate('storageHealth', health);
    const reserve = new DiskReserve(options.dataDir, options.diskReserveBytes);
    app.decorate('diskReserve', reserve);
    app.decorate('sessionQuota', new SessionQuota(store, options.sessionStorageBytes));
    app.decorate('requireDiskRoom', async (_request: FastifyRequest, reply: FastifyReply) => {
      const shortage = reserve.shortage();
      if (shortage) await reply.code(507).send({ error: shortage });
    });
    app.addHook('onClose', async () => {
      health.stop();
      await store.close();
    });
    if (options.databaseUrl)
      app.log.info({ database: redactedUrl(options.databaseUrl) }, 'PostgreSQL store opened');
    else app.log.info({ dataDir: options.dataDir }, 'SQLite store opened');
  },
  { name: 'kaptar-storage' },
);
