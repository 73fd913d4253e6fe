/**
 * The servers a benchmark runs against: Kaptár as a process, and two servers of the Yjs
 * ecosystem that do nothing but relay (no auth, no persistence): @y/websocket-server's relay and
 * Hocuspocus.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { YJS_PATH } from '@kaptar/protocol';
import { startServerProcess } from '../../support/process-server.js';
import type { Dialect } from './dialects.js';
import type { WritePath } from './protocol.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Target {
  name: string;
  /** Base URL a stock provider is given (y-websocket appends the room name; Hocuspocus does not). */
  yjsUrl: string;
  dialect: Dialect;
  /** Yjs updates from the clients (the relays), or intents on the control plane (Kaptár). */
  writes: WritePath;
  /** Kaptár's HTTP and socket.io address; the reference relay has none. */
  serverUrl?: string;
  /** Kaptár's websocket base, as the test support's clients take it. */
  wsUrl?: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * With SERVER_PROFILE_DIR set, each Kaptár process writes a CPU profile there when it stops
 * (`npx tsx tests/bench/profile-summary.ts <file>` prints where its time went).
 */
const profileDir = process.env.SERVER_PROFILE_DIR;

export async function startKaptar(): Promise<Target> {
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const server = await startServerProcess({ nodeArgs });
  return {
    name: 'Kaptár',
    yjsUrl: `${server.wsUrl}${YJS_PATH}`,
    dialect: 'y-websocket',
    writes: 'intents',
    serverUrl: server.url,
    wsUrl: server.wsUrl,
    pid: server.child.pid as number,
    stop: () => server.kill('SIGTERM'),
  };
}

/** A relay as a child process that reports its port over IPC (tests/bench/reference-*.mjs). */
async function startRelay(script: string, name: string, dialect: Dialect): Promise<Target> {
  const relay = fork(path.join(here, '..', script), [], { env: { ...process.env, PORT: '0' } });
  const { port } = await new Promise<{ port: number }>((resolve) =>
    relay.once('message', (message) => resolve(message as { port: number })),
  );
  return {
    name,
    yjsUrl: `ws://127.0.0.1:${port}`,
    dialect,
    writes: 'yjs',
    pid: relay.pid as number,
    async stop() {
      const exited = new Promise((resolve) => relay.once('exit', resolve));
      relay.kill('SIGTERM');
      await exited;
    },
  };
}

/** @y/websocket-server's relay: what Kaptár's targets are set against. */
export const startReferenceRelay = () => startRelay('reference-relay.mjs', 'reference relay', 'y-websocket');

/** Hocuspocus with no extensions or hooks. */
export const startHocuspocus = () => startRelay('reference-hocuspocus.mjs', 'Hocuspocus', 'hocuspocus');
