/**
 * A throwaway Redis (Debian's `redis-server`, which scripts/ensure-system-deps.sh installs) on a
 * free loopback port, keeping nothing on disk: stopped and started again, it comes back empty, as
 * a Redis without persistence does after a restart.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { freePort, portOpen } from './free-port.js';

export interface RedisServer {
  url: string;
  port: number;
  /** SIGKILL, then waits until the port is closed. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty). */
  start(): Promise<void>;
}

const REDIS_SERVER = '/usr/bin/redis-server';

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const kill = () => child?.kill('SIGKILL');
  process.once('exit', kill);
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(
        REDIS_SERVER,
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { stdio: 'ignore' },
      );
      const deadline = Date.now() + 10_000;
      while (!(await portOpen(port))) {
        if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
        if (Date.now() > deadline) throw new Error(`redis-server did not open port ${port}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
      while (await portOpen(port)) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
  await server.start();
  return server;
}
