/** Opens the store, exposes it as `app.store`, and closes it last on shutdown. */
import fp from 'fastify-plugin';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
  }
}

export interface StoragePluginOptions {
  dataDir: string;
}

export const storagePlugin = fp<StoragePluginOptions>(
  async (app, options) => {
    const store = openSqliteStore(options.dataDir);
    app.decorate('store', store);
    app.addHook('onClose', async () => store.close());
    app.log.info({ dataDir: options.dataDir }, 'SQLite store opened');
  },
  { name: 'kaptar-storage' },
);
