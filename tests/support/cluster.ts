/**
 * A whole cluster on this machine, as the README's recipe runs it: a throwaway PostgreSQL and
 * Redis, three Kaptár processes (`node server/dist/main.js`) on them, and HAProxy in front with
 * the repo's own config. Phones connect through the balancer, or to one process directly.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ownerKey } from '@kaptar/server/cluster/keys';
import { type Balancer, startBalancer } from './balancer.js';
import { type PostgresServer, startPostgres } from './postgres.js';
import { type ServerProcess, startServerProcess } from './process-server.js';
import { type RedisServer, startRedis } from './redis.js';

export interface TestCluster {
  postgres: PostgresServer;
  redis: RedisServer;
  processes: ServerProcess[];
  balancer: Balancer;
  /** Runs one SQL statement in the cluster's database. */
  query(sql: string): Promise<string>;
  /** The process that owns the session now (its lease in Redis), if any does. */
  ownerOf(sessionId: string): Promise<ServerProcess | undefined>;
  stop(): Promise<void>;
}

const execFileAsync = promisify(execFile);

/**
 * Each process logs its cluster id once, at info: its log is kept to tell which owns a session.
 * `nodeArgs` and `envOf` (per process: a benchmark's probe file) go to the processes.
 */
export async function startCluster(
  options: { nodeArgs?: string[]; envOf?: (index: number) => Record<string, string> } = {},
): Promise<TestCluster> {
  const postgres = await startPostgres();
  const redis = await startRedis();
  const databaseUrl = await postgres.newDatabase();
  const processes: ServerProcess[] = [];
  // One at a time: the first runs the store's migrations, the others find them done.
  for (let index = 0; index < 3; index++) {
    processes.push(
      await startServerProcess({
        databaseUrl,
        captureLog: true,
        logLevel: 'info',
        ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
        env: { KAPTAR_REDIS_URL: redis.url, KAPTAR_TRUSTED_PROXIES: 'loopback', ...options.envOf?.(index) },
      }),
    );
  }
  const balancer = await startBalancer(processes.map((process) => process.port));
  return {
    postgres,
    redis,
    processes,
    balancer,
    query: (sql) => postgres.query(databaseUrl, sql),
    async ownerOf(sessionId) {
      const { stdout } = await execFileAsync('redis-cli', [
        '-p',
        String(redis.port),
        'GET',
        ownerKey(sessionId),
      ]);
      const processId = stdout.trim();
      return processId === ''
        ? undefined
        : processes.find((process) => process.logText().includes(processId));
    },
    async stop() {
      await balancer.stop();
      await Promise.all(processes.map((process) => process.kill('SIGTERM')));
      await redis.stop();
      await postgres.destroy();
    },
  };
}
