/** Starts a real Kaptár server in this process, on a free loopback port, with its own data folder. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Language } from '@kaptar/board';
import type { CreateSessionReply, JoinReply } from '@kaptar/protocol';
import { buildApp } from '@kaptar/server/app';
import { configFromEnv } from '@kaptar/server/config';
import type { FastifyInstance } from 'fastify';

export interface TestServer {
  app: FastifyInstance;
  url: string;
  wsUrl: string;
  port: number;
  dataDir: string;
  /** Stops the server the way SIGTERM does (saves everything). */
  stop(): Promise<void>;
}

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kaptar-test-'));
}

export async function startServer(
  options: {
    dataDir?: string;
    /** A PostgreSQL database (tests/support/postgres.ts) instead of the SQLite file in `dataDir`. */
    databaseUrl?: string | null;
    /** Redis (tests/support/redis.ts), with `databaseUrl`: one process of a cluster. */
    redisUrl?: string | null;
    port?: number;
    clientDir?: string | null;
    maxConnectionsPerAddress?: number;
    maxConnectionsPerToken?: number;
    sessionsPerHour?: number;
    importsPerHour?: number;
    diskReserveBytes?: number;
    sessionStorageBytes?: number;
    trustedProxies?: string[];
  } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const app = await buildApp({
    host: '127.0.0.1',
    port: options.port ?? 0,
    dataDir,
    databaseUrl: options.databaseUrl ?? null,
    redisUrl: options.redisUrl ?? null,
    clientDir: options.clientDir ?? null,
    publicUrl: null,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    maxConnectionsPerAddress: options.maxConnectionsPerAddress ?? 400,
    maxConnectionsPerToken: options.maxConnectionsPerToken ?? 32,
    // Tests make hundreds of sessions from one address; the limits have tests of their own.
    sessionsPerHour: options.sessionsPerHour ?? 100_000,
    importsPerHour: options.importsPerHour ?? 100_000,
    diskReserveBytes: options.diskReserveBytes ?? 0,
    sessionStorageBytes: options.sessionStorageBytes ?? configFromEnv({}).sessionStorageBytes,
    trustedProxies: options.trustedProxies ?? [],
  });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  return {
    app,
    port: address.port,
    url: `http://127.0.0.1:${address.port}`,
    wsUrl: `ws://127.0.0.1:${address.port}`,
    dataDir,
    stop: () => app.close(),
  };
}

export async function postJson<T>(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Anything with the server's base URL: an in-process server or a server process. */
export type Reachable = Pick<TestServer, 'url'>;

/** A new session; in Hungarian, as a server's default, unless `lang` says otherwise. */
export async function createSession(server: Reachable, title = 'Önsegítő csoportok', lang?: Language) {
  const { status, body } = await postJson<CreateSessionReply>(`${server.url}/api/sessions`, {
    title,
    ...(lang ? { lang } : {}),
  });
  if (status !== 201) throw new Error(`create session failed: ${status}`);
  return body;
}

export async function joinSession(server: Reachable, joinCode: string, name = 'Anna', site = 'Alsóváros') {
  const { status, body } = await postJson<JoinReply>(`${server.url}/api/join`, { joinCode, name, site });
  if (status !== 200) throw new Error(`join failed: ${status}`);
  return body;
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
