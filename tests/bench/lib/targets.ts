/**
 * The servers a benchmark runs against: Kaptár as a process (on SQLite, or on a PostgreSQL
 * cluster of its own), and two servers of the Yjs ecosystem that do nothing but relay (no auth,
 * no persistence): @y/websocket-server's relay and Hocuspocus. Each runs with the event-loop
 * probe (event-loop-probe.mjs) loaded.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { YJS_PATH } from '@kaptar/protocol';
import { startCluster } from '../../support/cluster.js';
import { startPostgres } from '../../support/postgres.js';
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
  /** The server's processes (three for a cluster), whose CPU and memory are counted. */
  pids: number[];
  stop(): Promise<void>;
  /** The event loop's seconds while it ran (event-loop-probe.mjs), once stopped. */
  loop(): LoopSecond[];
}

/** One second of a server's event loop: utilisation (0..1) and how late its timers ran (ms). */
export interface LoopSecond {
  at: number;
  busy: number;
  p50: number;
  p99: number;
  max: number;
}

export type Engine = 'sqlite' | 'postgres';

const PROBE = path.join(here, '..', 'event-loop-probe.mjs');

/** Where a server's probe writes, and how to read it once the server has stopped. */
function probeFile(): { env: Record<string, string>; read(): LoopSecond[] } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kaptar-probe-')), 'loop.json');
  return {
    env: { KAPTAR_PROBE_FILE: file },
    read: () => (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as LoopSecond[]) : []),
  };
}

/**
 * With SERVER_PROFILE_DIR set, each Kaptár process writes a CPU profile there when it stops
 * (`npx tsx tests/bench/profile-summary.ts <file>` prints where its time went).
 */
const profileDir = process.env.SERVER_PROFILE_DIR;

export async function startKaptar(engine: Engine = 'sqlite'): Promise<Target> {
  const nodeArgs = ['--import', PROBE, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
  const probe = probeFile();
  // A cluster of its own, removed with the server: each run starts from an empty database.
  const postgres = engine === 'postgres' ? await startPostgres() : undefined;
  const databaseUrl = postgres ? await postgres.newDatabase() : null;
  const server = await startServerProcess({ nodeArgs, databaseUrl, env: probe.env });
  return {
    name: engine === 'postgres' ? 'Kaptár, PostgreSQL' : 'Kaptár',
    yjsUrl: `${server.wsUrl}${YJS_PATH}`,
    dialect: 'y-websocket',
    writes: 'intents',
    serverUrl: server.url,
    wsUrl: server.wsUrl,
    pids: [server.child.pid as number],
    async stop() {
      await server.kill('SIGTERM');
      await postgres?.destroy();
    },
    loop: probe.read,
  };
}

/**
 * Three Kaptár processes on one PostgreSQL and one Redis behind HAProxy (the README's recipe,
 * tests/support/cluster.ts): the load reaches them through the balancer, spread round robin.
 * Their event loops are read as one: each second, the busiest process's figures.
 */
export async function startKaptarCluster(): Promise<Target> {
  const probes = [probeFile(), probeFile(), probeFile()];
  const cluster = await startCluster({
    nodeArgs: ['--import', PROBE, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    envOf: (index) => probes[index]?.env ?? {},
  });
  return {
    name: 'Kaptár, 3 processes',
    yjsUrl: `${cluster.balancer.wsUrl}${YJS_PATH}`,
    dialect: 'y-websocket',
    writes: 'intents',
    serverUrl: cluster.balancer.url,
    wsUrl: cluster.balancer.wsUrl,
    pids: cluster.processes.map((process) => process.child.pid as number),
    stop: () => cluster.stop(),
    loop: () => busiestEachSecond(probes.map((probe) => probe.read())),
  };
}

/** Each second of the first process, or of another whose same second (within half of it) was busier. */
function busiestEachSecond(runs: LoopSecond[][]): LoopSecond[] {
  const [first, ...others] = runs;
  return (first ?? []).map((second) =>
    others.reduce((busiest, run) => {
      const other = run.find((candidate) => Math.abs(candidate.at - second.at) <= 500);
      return other && other.busy > busiest.busy ? { ...other, at: second.at } : busiest;
    }, second),
  );
}

/** A relay as a child process that reports its port over IPC (tests/bench/reference-*.mjs). */
async function startRelay(script: string, name: string, dialect: Dialect): Promise<Target> {
  const probe = probeFile();
  const relay = fork(path.join(here, '..', script), [], {
    env: { ...process.env, PORT: '0', ...probe.env },
    execArgv: ['--import', PROBE],
  });
  const { port } = await new Promise<{ port: number }>((resolve) =>
    relay.once('message', (message) => resolve(message as { port: number })),
  );
  return {
    name,
    yjsUrl: `ws://127.0.0.1:${port}`,
    dialect,
    writes: 'yjs',
    pids: [relay.pid as number],
    async stop() {
      const exited = new Promise((resolve) => relay.once('exit', resolve));
      relay.kill('SIGTERM');
      await exited;
    },
    loop: probe.read,
  };
}

/** @y/websocket-server's relay: what Kaptár's targets are set against. */
export const startReferenceRelay = () => startRelay('reference-relay.mjs', 'reference relay', 'y-websocket');

/** Hocuspocus with no extensions or hooks. */
export const startHocuspocus = () => startRelay('reference-hocuspocus.mjs', 'Hocuspocus', 'hocuspocus');
