/** Kaptár as a separate process (`node server/dist/main.js`), for tests that kill it for real. */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { tempDataDir, waitFor } from './server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER_ENTRY = path.join(root, 'server/dist/main.js');

export interface ServerProcess {
  url: string;
  wsUrl: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** What the server has logged so far (pino JSON lines at `logLevel`, warn by default); empty unless `captureLog`. */
  logText(): string;
  /** Starts the server again on the same port and data folder (after a kill). */
  restart(): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/api/health`)).ok;
  } catch {
    return false;
  }
}

export async function startServerProcess(
  /** `nodeArgs`: extra Node options for the server process (a benchmark's `--cpu-prof`, say). */
  options: {
    dataDir?: string;
    /** A PostgreSQL database (KAPTAR_DATABASE_URL) instead of the SQLite file; tests/support/engines.ts. */
    databaseUrl?: string | null;
    captureLog?: boolean;
    logLevel?: string;
    nodeArgs?: string[];
    /** More environment for the server (a benchmark's probe file, say). */
    env?: Record<string, string>;
  } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  let log = '';
  const dataDir = options.dataDir ?? tempDataDir();
  const url = `http://127.0.0.1:${port}`;
  const launch = async () => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER_ENTRY], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        KAPTAR_DATA_DIR: dataDir,
        ...(options.databaseUrl ? { KAPTAR_DATABASE_URL: options.databaseUrl } : {}),
        LOG_LEVEL: options.logLevel ?? 'warn',
        // Benchmarks and reliability runs make hundreds of sessions from one address.
        KAPTAR_SESSIONS_PER_HOUR: '100000',
        KAPTAR_IMPORTS_PER_HOUR: '100000',
        // The disk tests run on an 8 MiB tmpfs: no reserve, they fill the disk on purpose.
        KAPTAR_DISK_RESERVE_MB: '0',
        ...options.env,
      },
      stdio: ['ignore', options.captureLog ? 'pipe' : 'ignore', 'inherit'],
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8');
    });
    let up = false;
    const deadline = Date.now() + 15_000;
    while (!up && Date.now() < deadline) {
      up = await healthy(url);
      if (!up) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!up) throw new Error(`the server at ${url} did not start (is server/dist built?)`);
    return child;
  };
  const server: ServerProcess = {
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    dataDir,
    child: await launch(),
    logText: () => log,
    async restart() {
      server.child = await launch();
    },
    async kill(signal) {
      const child = server.child;
      // Already gone (killed by the test, or a failed restart): there is no exit left to wait for.
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      // A process frozen with SIGSTOP (the power-cut test) handles no other signal until it runs.
      if (signal !== 'SIGKILL') child.kill('SIGCONT');
      await exited;
      await waitFor(() => true, 'exit');
    },
  };
  return server;
}
