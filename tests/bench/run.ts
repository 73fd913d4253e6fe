/**
 * `pnpm bench`: Kaptár and the reference relay (@y/websocket-server, no auth, no persistence)
 * under the same load, side by side. Simulated participants run in separate processes
 * (bench/load-worker.mjs) so the generator is not the bottleneck. Prints a table, writes JSON.
 *
 *   PARTICIPANTS=200 SECONDS=20 WORKERS=4 pnpm bench      (needs `pnpm build` first)
 */
import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { YJS_PATH } from '@kaptar/protocol';
import { startServerProcess } from '../support/process-server.js';
import { createSession, joinSession } from '../support/server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const PARTICIPANTS = Number(process.env.PARTICIPANTS ?? 200);
const SECONDS = Number(process.env.SECONDS ?? 20);
const WORKERS = Number(process.env.WORKERS ?? 4);
const INTERVAL_MS = 1000;

interface Person {
  token?: string;
  participantId: string;
}

interface Result {
  target: string;
  participants: number;
  edits: number;
  deliveries: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  cpuPercent: number;
  peakRssMiB: number;
}

function procStats(pid: number): { cpuTicks: number; rssKiB: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    cpuTicks: Number(stat[11]) + Number(stat[12]),
    rssKiB: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0),
  };
}

async function load(
  target: string,
  serverPid: number,
  serverUrl: string,
  room: string,
  people: Person[],
): Promise<Result> {
  const shares = Array.from({ length: WORKERS }, (_, w) => people.filter((_, i) => i % WORKERS === w));
  const workers: ChildProcess[] = shares.map((share) =>
    fork(path.join(here, 'load-worker.mjs'), [
      JSON.stringify({ serverUrl, room, people: share, durationMs: SECONDS * 1000, intervalMs: INTERVAL_MS }),
    ]),
  );
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const before = procStats(serverPid);
  const startedAt = Date.now();
  let peakRss = before.rssKiB;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, procStats(serverPid).rssKiB);
  }, 500);
  const results = await Promise.all(
    workers.map(
      (w) =>
        new Promise<{ latencies: number[]; sent: number }>((resolve) => {
          w.once('message', (message) => resolve(message as { latencies: number[]; sent: number }));
          w.send('go');
        }),
    ),
  );
  clearInterval(sampler);
  const after = procStats(serverPid);
  const seconds = (Date.now() - startedAt) / 1000;
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return {
    target,
    participants: people.length,
    edits: results.reduce((sum, r) => sum + r.sent, 0),
    deliveries: latencies.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: at(1),
    // Clock ticks are 1/100 s on Linux.
    cpuPercent: ((after.cpuTicks - before.cpuTicks) / 100 / seconds) * 100,
    peakRssMiB: peakRss / 1024,
  };
}

async function kaptar(): Promise<Result> {
  const server = await startServerProcess();
  try {
    const session = await createSession(server, 'Mérés');
    const people: Person[] = [];
    for (let i = 0; i < PARTICIPANTS; i++) {
      const joined = await joinSession(server, session.joinCode, `Résztvevő ${i}`, 'Mérés');
      people.push({ token: joined.participantToken, participantId: joined.participantId });
    }
    return await load(
      'Kaptár',
      server.child.pid as number,
      `${server.wsUrl}${YJS_PATH}`,
      session.boards[0]?.id as string,
      people,
    );
  } finally {
    await server.kill('SIGTERM');
  }
}

async function reference(): Promise<Result> {
  const relay = fork(path.join(here, 'reference-relay.mjs'), [], { env: { ...process.env, PORT: '0' } });
  const { port } = await new Promise<{ port: number }>((resolve) =>
    relay.once('message', (m) => resolve(m as { port: number })),
  );
  try {
    const people = Array.from({ length: PARTICIPANTS }, (_, i) => ({ participantId: `p${i}` }));
    return await load('reference relay', relay.pid as number, `ws://127.0.0.1:${port}`, 'bench-room', people);
  } finally {
    relay.kill('SIGTERM');
  }
}

const results = [await reference(), await kaptar()];
const ms = (value: number) => `${value.toFixed(1)} ms`;
console.log(
  `\n1 board, ${PARTICIPANTS} participants, 1 edit/s each, ${SECONDS} s, ${WORKERS} load processes`,
);
console.table(
  Object.fromEntries(
    results.map((r) => [
      r.target,
      {
        edits: r.edits,
        deliveries: r.deliveries,
        p50: ms(r.p50),
        p95: ms(r.p95),
        p99: ms(r.p99),
        max: ms(r.max),
        'server CPU': `${r.cpuPercent.toFixed(0)} %`,
        'peak RSS': `${r.peakRssMiB.toFixed(0)} MiB`,
      },
    ]),
  ),
);
const [ref, ours] = results as [Result, Result];
console.log(
  `Kaptár / reference: p95 ${(ours.p95 / ref.p95).toFixed(2)}x, p99 ${(ours.p99 / ref.p99).toFixed(2)}x`,
);
const out = path.join(here, '..', '..', 'test-output', 'bench');
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(
  path.join(out, 'relay.json'),
  JSON.stringify({ date: new Date().toISOString(), results }, null, 2),
);
