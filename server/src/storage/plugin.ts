/** Opens the store, exposes it as `app.store`, and closes it last on shutdown. */
import fp from 'fastify-plugin';
import { StorageHealth } from './health.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
    /** Whether writes are failing (disk full, read-only); see health.ts. */
    storageHealth: StorageHealth;
  }
}

export interface StoragePluginOptions {
  dataDir: string;
}

export const storagePlugin = fp<StoragePluginOptions>(
  async (app, options) => {
    const store = openSqliteStore(options.dataDir);
    const health = new StorageHealth(options.dataDir, app.log, () => store.checkWritable());
    app.decorate('store', store);
    app.decorate('storageHealth', health);
    app.addHook('onClose', async () => {
      health.stop();
      await store.close();
    });
    app.log.info({ dataDir: options.dataDir }, 'SQLite store opened');
  },
  { name: 'kaptar-storage' },
);
