/** Server configuration, read once from the environment (see README "Configuration"). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Config {
  host: string;
  port: number;
  /** Folder of the SQLite file (the embedded default store). */
  dataDir: string;
  /**
   * `postgres://…` (KAPTAR_DATABASE_URL): the store is that PostgreSQL database instead of the
   * SQLite file; null keeps the embedded default, and then no PostgreSQL is needed.
   */
  databaseUrl: string | null;
  /**
   * `redis://…` (KAPTAR_REDIS_URL), with a PostgreSQL store: this process is one of several that
   * share the sessions (cluster/plugin.ts). Null: it serves every session itself.
   */
  redisUrl: string | null;
  /** Folder of the built client; `null` serves the API only (tests, `pnpm dev`). */
  clientDir: string | null;
  /** Base URL printed in join links; when unset it is guessed from the request. */
  publicUrl: string | null;
  logLevel: string;
  /** Live websocket + socket.io connections one address may hold. */
  maxConnectionsPerAddress: number;
  /** Live websocket + socket.io connections one token (a phone, a moderator, a projector link) may hold. */
  maxConnectionsPerToken: number;
  /** New sessions one address may create per hour. */
  sessionsPerHour: number;
  /** Session archives one address may import per hour. */
  importsPerHour: number;
  /** Free space on the data folder's disk below which new sessions and imports are refused. */
  diskReserveBytes: number;
  /** Bytes one session may take in the store (content, logs, snapshots, people). */
  sessionStorageBytes: number;
  /**
   * Reverse proxies and load balancers whose X-Forwarded-For names the client (addresses, ranges,
   * `loopback`): http/client-address.ts. Empty: the address of the connection is the client's.
   */
  trustedProxies: string[];
}

const here = path.dirname(fileURLToPath(import.meta.url));

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  }
  return {
    // All interfaces by default: participants' phones reach the moderator's laptop over the LAN.
    host: env.HOST ?? '0.0.0.0',
    port,
    dataDir: path.resolve(env.KAPTAR_DATA_DIR ?? './data'),
    databaseUrl: databaseUrlFrom(env.KAPTAR_DATABASE_URL),
    redisUrl: redisUrlFrom(env.KAPTAR_REDIS_URL, env.KAPTAR_DATABASE_URL),
    clientDir: path.resolve(env.KAPTAR_CLIENT_DIR ?? path.join(here, '../../client/dist')),
    publicUrl: env.KAPTAR_PUBLIC_URL?.replace(/\/+$/, '') || null,
    logLevel: env.LOG_LEVEL ?? 'info',
    maxConnectionsPerAddress: Number(env.KAPTAR_MAX_CONNECTIONS_PER_ADDRESS ?? 400),
    maxConnectionsPerToken: Number(env.KAPTAR_MAX_CONNECTIONS_PER_TOKEN ?? 32),
    sessionsPerHour: Number(env.KAPTAR_SESSIONS_PER_HOUR ?? 30),
    importsPerHour: Number(env.KAPTAR_IMPORTS_PER_HOUR ?? 10),
    diskReserveBytes: Number(env.KAPTAR_DISK_RESERVE_MB ?? 200) * 1024 * 1024,
    sessionStorageBytes: Number(env.KAPTAR_SESSION_STORAGE_MB ?? 200) * 1024 * 1024,
    trustedProxies: (env.KAPTAR_TRUSTED_PROXIES ?? '').split(/[\s,]+/).filter((entry) => entry !== ''),
  };
}

/** Only PostgreSQL URLs: a typo must stop the start, not quietly fall back to a local SQLite file. */
function databaseUrlFrom(raw: string | undefined): string | null {
  if (!raw) return null;
  if (!/^postgres(ql)?:\/\//.test(raw)) {
    throw new Error('KAPTAR_DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  return raw;
}

/** Processes of a cluster share one store: a SQLite file is one process's alone. */
function redisUrlFrom(raw: string | undefined, databaseUrl: string | undefined): string | null {
  if (!raw) return null;
  if (!/^rediss?:\/\//.test(raw)) throw new Error('KAPTAR_REDIS_URL must be a redis:// or rediss:// URL');
  if (!databaseUrl) {
    throw new Error(
      'KAPTAR_REDIS_URL needs KAPTAR_DATABASE_URL: the processes of a cluster share a PostgreSQL store',
    );
  }
  return raw;
}
