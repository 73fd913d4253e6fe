/**
 * For tests: a store of each engine (tests/support/engines.ts) on a fresh database, and the way to
 * open it again on the same data, as after a restart.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type StorageEngine, storageEngines } from '../../../tests/support/engines.js';
import { openStore } from './open.js';
import type { Store } from './store.js';

export interface TestEngine extends StorageEngine {
  /** A store on a database of its own: `open()` again reaches the same data. */
  fresh(): Promise<{ store: Store; open: () => Promise<Store> }>;
}

export const testEngines = (): TestEngine[] =>
  storageEngines().map((engine) => ({
    ...engine,
    async fresh() {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaptar-contract-'));
      const databaseUrl = await engine.database();
      const open = () => openStore({ dataDir, databaseUrl });
      return { store: await open(), open };
    },
  }));
