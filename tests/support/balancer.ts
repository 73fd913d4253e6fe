/**
 * HAProxy (Debian's `haproxy`) in front of a cluster, run from the repo's own recipe
 * (deploy/haproxy.cfg, the file the README tells operators to use) on a free loopback port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, portOpen } from './free-port.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const HAPROXY_CONFIG = path.join(root, 'deploy/haproxy.cfg');
const HAPROXY = '/usr/sbin/haproxy';

export interface Balancer {
  url: string;
  wsUrl: string;
  stop(): Promise<void>;
}

/** `backends`: the three Kaptár processes' ports (the recipe names three). */
export async function startBalancer(backends: number[]): Promise<Balancer> {
  if (backends.length !== 3) throw new Error('deploy/haproxy.cfg names three processes');
  const port = await freePort();
  const child: ChildProcess = spawn(HAPROXY, ['-db', '-f', HAPROXY_CONFIG], {
    env: {
      ...process.env,
      KAPTAR_LISTEN: `127.0.0.1:${port}`,
      ...Object.fromEntries(
        backends.map((backend, index) => [`KAPTAR_${index + 1}`, `127.0.0.1:${backend}`]),
      ),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString('utf8');
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const deadline = Date.now() + 10_000;
  while (!(await portOpen(port))) {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${errors}`);
    if (Date.now() > deadline) throw new Error(`haproxy did not open port ${port}: ${errors}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    async stop() {
      process.off('exit', kill);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
