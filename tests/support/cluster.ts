/**
 * A whole cluster on this machine, as the README's recipe runs it: a throwaway PostgreSQL and
 * Redis, three Kaptár processes (`node server/dist/main.js`) on them, and HAProxy in front with
 * the repo's own config. Phones connect through the balancer, or to one process directly.
 */
import { type Balancer, startBalancer } from './balancer.js';
import { type PostgresServer, startPostgres } from './postgres.js';
import { type ServerProcess, startServerProcess } from './process-server.js';
import { type RedisServer, startRedis } from './redis.js';

export interface TestCluster {
  postgres: PostgresServer;
  redis: RedisServer;
  processes: ServerProcess[];
  balancer: Balancer;
  stop(): Promise<void>;
}

export async function startCluster(
  options: { captureLog?: boolean; logLevel?: string } = {},
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
        ...options,
        env: { KAPTAR_REDIS_URL: redis.url, KAPTAR_TRUSTED_PROXIES: 'loopback' },
      }),
    );
  }
  const balancer = await startBalancer(processes.map((process) => process.port));
  return {
    postgres,
    redis,
    processes,
    balancer,
    async stop() {
      await balancer.stop();
      await Promise.all(processes.map((process) => process.kill('SIGTERM')));
      await redis.stop();
      await postgres.destroy();
    },
  };
}
