/**
 * The two storage engines a test can run Kaptár on: the embedded SQLite file (no URL) and a real
 * PostgreSQL server (a throwaway cluster, one database per call). Suites that concern storage run
 * once per engine; the PostgreSQL runs are skipped, with the reason, only where it cannot be installed.
 */
import { type PostgresServer, postgresAvailable, startPostgres } from './postgres.js';

export interface StorageEngine {
  name: 'SQLite' | 'PostgreSQL';
  /** Why this engine cannot run here, or null. */
  skip: string | null;
  /** A fresh database: its KAPTAR_DATABASE_URL, or null for SQLite (a fresh data folder does). */
  database(): Promise<string | null>;
  /** The PostgreSQL server itself (stop, start, kill), once `database()` has started it. */
  server(): Promise<PostgresServer | null>;
  /** Removes the PostgreSQL cluster once the file's tests are done. */
  done(): Promise<void>;
}

function postgresEngine(): StorageEngine {
  let started: Promise<PostgresServer> | null = null;
  const server = () => {
    started ??= startPostgres();
    return started;
  };
  return {
    name: 'PostgreSQL',
    skip: postgresAvailable(),
    database: async () => (await server()).newDatabase(),
    server,
    async done() {
      const running = started;
      started = null;
      await (await running)?.destroy();
    },
  };
}

export function storageEngines(): StorageEngine[] {
  return [
    {
      name: 'SQLite',
      skip: null,
      database: async () => null,
      server: async () => null,
      done: async () => undefined,
    },
    postgresEngine(),
  ];
}
