/**
 * For tests: both engines of the storage contract, each opened on a fresh database and opened
 * again on the same one (a restart). PostgreSQL is a real throwaway cluster (tests/support/postgres.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type PostgresServer, postgresAvailable, startPostgres } from '../../../tests/support/postgres.js';
import { openStore } from './open.js';
import type { Store } from './store.js';

export interface TestEngine {
  name: 'SQLite' | 'PostgreSQL';
  /** Why this engine cannot run here, or null. */
  skip: string | null;
  /** A store on a database of its own: `open()` again reaches the same data, as after a restart. */
  fresh(): Promise<{ store: Store; open: () => Promise<Store> }>;
  /** Stops the PostgreSQL cluster once the file's tests are done. */
  done(): Promise<void>;
}

function sqliteEngine(): TestEngine {
  return {
    name: 'SQLite',
    skip: null,
    async fresh() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaptar-contract-'));
      const open = () => openStore({ dataDir: dir, databaseUrl: null });
      return { store: await open(), open };
    },
    async done() {},
  };
}

function postgresEngine(): TestEngine {
  let server: Promise<PostgresServer> | null = null;
  return {
    name: 'PostgreSQL',
    skip: postgresAvailable(),
    async fresh() {
      server ??= startPostgres();
      const url = await (await server).newDatabase();
      const open = () => openStore({ dataDir: os.tmpdir(), databaseUrl: url });
      return { store: await open(), open };
    },
    async done() {
      await (await server)?.destroy();
      server = null;
    },
  };
}

export const testEngines = (): TestEngine[] => [sqliteEngine(), postgresEngine()];
