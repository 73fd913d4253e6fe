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
    app.decorate('store', store);
    app.decorate('storageHealth', new StorageHealth());
    app.addHook('onClose', async () => store.close());
    app.log.info({ dataDir: options.dataDir }, 'SQLite store opened');
  },
  { name: 'kaptar-storage' },
);
