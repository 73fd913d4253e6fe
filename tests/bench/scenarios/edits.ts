/**
 * Live editing: `boards` boards of `perBoard` participants, each adding or moving a card once a
 * second; how long an edit takes to reach everyone else on its board. The same load runs against
 * the reference relay (@y/websocket-server), Hocuspocus and Kaptár on each storage engine (SQLite,
 * then PostgreSQL where it is installed), one after the other, and Kaptár's ratios to the other two
 * are printed, with how busy each server's event loop was. The relays take each edit as a Yjs update from
 * its participant; Kaptár as an intent on the participant's control connection, written by the
 * server (lib/edit-writers.ts). Either way an edit is timed from its sending to its arrival.
 */
import { postgresAvailable } from '../../support/postgres.js';
import { addressOf } from '../lib/addresses.js';
import { LoadGenerator } from '../lib/load.js';
import { joinWorkshops } from '../lib/people.js';
import type { SimulatedPerson } from '../lib/protocol.js';
import { check, type ScenarioReport } from '../lib/report.js';
import {
  type Distribution,
  distribution,
  mib,
  ms,
  type ProcessUsage,
  sampleProcesses,
  usageColumns,
} from '../lib/stats.js';
import {
  type LoopSecond,
  startHocuspocus,
  startKaptar,
  startReferenceRelay,
  type Target,
} from '../lib/targets.js';

export interface EditsOptions {
  boards: number;
  perBoard: number;
  seconds: number;
  workers: number;
  /** Share of edits that add a card; the rest move the participant's own card. */
  addShare?: number;
  /** Time between one participant's edits (default 1 s). */
  intervalMs?: number;
  /** Stock y-websocket clients per board (the others are wire clients); at least two. */
  stockPerBoard?: number;
}

export interface RunFigures extends Distribution {
  server: ProcessUsage;
  load: ProcessUsage;
  target: string;
  edits: number;
  expectedDeliveries: number;
  deliveriesPerSecond: number;
  connectFailures: number;
  /** Measured edits refused or unanswered (intents only), by reason. */
  refused: string[];
  /** From sending an intent to its ack (Kaptár only; count 0 for the relays). */
  acks: Distribution;
  checkedBoards: number;
  divergedBoards: number;
  /** The server's event loop in the measured seconds. */
  loop: LoopFigures;
}

interface LoopFigures {
  /** Mean utilisation, 0..1. */
  busy: number;
  /** How late its timers ran (each second's p99, ms): in the median second and the worst. */
  lagP99: number;
  worstP99: number;
}

function loopFigures(seconds: LoopSecond[], from: number, to: number): LoopFigures {
  // Each entry covers the second before its time.
  const measured = seconds.filter((second) => second.at - 1000 >= from && second.at <= to);
  if (measured.length === 0) return { busy: Number.NaN, lagP99: Number.NaN, worstP99: Number.NaN };
  const p99s = measured.map((second) => second.p99).sort((a, b) => a - b);
  return {
    busy: measured.reduce((sum, second) => sum + second.busy, 0) / measured.length,
    lagP99: p99s[Math.floor(p99s.length / 2)] as number,
    worstP99: p99s[p99s.length - 1] as number,
  };
}

/**
 * Edits of the first seconds are not measured: every participant adds a first card at once
 * and the processes' JIT warms up (p99 over 300 ms in that first second on either server).
 */
const WARMUP_MS = 3000;

const stockPerBoard = (options: EditsOptions) => Math.min(options.perBoard, options.stockPerBoard ?? 2);

async function peopleFor(target: Target, options: EditsOptions): Promise<SimulatedPerson[]> {
  const stock = (phone: number) => phone % options.perBoard < stockPerBoard(options);
  if (target.serverUrl) {
    const workshops = await joinWorkshops(target.serverUrl, options.boards, options.perBoard);
    // Everyone writes through the control plane, so everyone opens it.
    return workshops
      .flatMap((w) => w.people)
      .map((person, phone) => ({ ...person, stock: stock(phone), control: target.writes === 'intents' }));
  }
  return Array.from({ length: options.boards * options.perBoard }, (_, phone) => ({
    participantId: `p${phone}`,
    boardId: `board-${Math.floor(phone / options.perBoard)}`,
    address: addressOf(phone),
    stock: stock(phone),
  }));
}

async function runAgainst(
  target: Target,
  options: EditsOptions,
): Promise<RunFigures & { measureFrom: number; measuredUntil: number }> {
  const load = await LoadGenerator.start(options.workers);
  try {
    const people = await peopleFor(target, options);
    const failures = await load.connect(target, people);
    const usage = sampleProcesses(target.pids);
    const loadUsage = sampleProcesses(load.pids);
    const warmupMs = Math.min(WARMUP_MS, options.seconds * 500);
    const measureFrom = Date.now() + warmupMs;
    const edited = await load.edit({
      warmupMs,
      durationMs: options.seconds * 1000,
      intervalMs: options.intervalMs ?? 1000,
      addShare: options.addShare ?? 0.2,
    });
    const server = usage.stop();
    const loadUsed = loadUsage.stop();
    const { sent, refused, acks, latencies, checkedBoards, divergedBoards } = edited;
    return {
      target: target.name,
      edits: sent,
      refused,
      acks: distribution(acks),
      checkedBoards,
      divergedBoards,
      expectedDeliveries: sent * (options.perBoard - 1),
      deliveriesPerSecond: latencies.length / options.seconds,
      connectFailures: failures.length,
      ...distribution(latencies),
      server,
      load: loadUsed,
      // Filled in once the server has stopped and its probe has written.
      loop: { busy: Number.NaN, lagP99: Number.NaN, worstP99: Number.NaN },
      measuredUntil: measureFrom + options.seconds * 1000,
      measureFrom,
    };
  } finally {
    await load.close();
    await target.stop();
  }
}

/** One run, with the server's event loop over its measured seconds. */
export async function measure(target: Target, options: EditsOptions): Promise<RunFigures> {
  const { measureFrom, measuredUntil, ...figures } = await runAgainst(target, options);
  return { ...figures, loop: loopFigures(target.loop(), measureFrom, measuredUntil) };
}

/** One run's line of the table. */
export const row = (r: RunFigures) => ({
  edits: r.edits,
  refused: r.refused.length,
  delivered: `${((r.count / r.expectedDeliveries) * 100).toFixed(1)} %`,
  'per s': Math.round(r.deliveriesPerSecond),
  p50: ms(r.p50),
  p95: ms(r.p95),
  p99: ms(r.p99),
  max: ms(r.max),
  ...usageColumns(r.server, r.load),
  'loop busy': `${(r.loop.busy * 100).toFixed(0)} %`,
  'loop lag': `${ms(r.loop.lagP99)} (${ms(r.loop.worstP99)})`,
});

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

/** One run's figures over another's. */
export const ratios = (ours: RunFigures, other: RunFigures) => ({
  p50: ratio(ours.p50, other.p50),
  p95: ratio(ours.p95, other.p95),
  p99: ratio(ours.p99, other.p99),
  'server CPU': ratio(ours.server.cpuPercent, other.server.cpuPercent),
  'peak RSS': ratio(ours.server.peakRssMiB, other.server.peakRssMiB),
});

/** Every edit delivered, every connection made, every board converged. */
export const complete = (r: RunFigures) =>
  r.count === r.expectedDeliveries && r.connectFailures === 0 && r.divergedBoards === 0;

/** A few of a run's refusals, for the notes. */
export const refusals = (r: RunFigures) =>
  [...new Set(r.refused)].slice(0, 3).map((reason) => `${r.target}: an edit refused: ${reason}`);

export async function editsScenario(options: EditsOptions): Promise<ScenarioReport> {
  const reference = await measure(await startReferenceRelay(), options);
  const hocuspocus = await measure(await startHocuspocus(), options);
  const kaptar = await measure(await startKaptar('sqlite'), options);
  const noPostgres = postgresAvailable();
  const kaptarPostgres = noPostgres ? undefined : await measure(await startKaptar('postgres'), options);
  const kaptars = [kaptar, ...(kaptarPostgres ? [kaptarPostgres] : [])];
  const connections = options.boards * options.perBoard;
  return {
    scenario: `${options.boards} board(s) x ${options.perBoard} participants, 1 edit per ${(options.intervalMs ?? 1000) / 1000} s each, ${options.seconds} s`,
    table: {
      'reference relay': row(reference),
      Hocuspocus: row(hocuspocus),
      ...Object.fromEntries(kaptars.map((ours) => [ours.target, row(ours)])),
      ...Object.fromEntries(
        kaptars.flatMap((ours) => [
          [`${ours.target} / reference`, ratios(ours, reference)],
          [`${ours.target} / Hocuspocus`, ratios(ours, hocuspocus)],
        ]),
      ),
    },
    targets: [
      check(
        'the relays it is compared with delivered every edit too',
        '100 % each, boards converged',
        [reference, hocuspocus].map((r) => `${r.target}: ${r.count} of ${r.expectedDeliveries}`).join('; '),
        complete(reference) && complete(hocuspocus),
      ),
      ...kaptars.flatMap((ours) => engineTargets(ours, reference, options)),
    ],
    notes: [
      `${connections} participants in ${options.workers} load processes (${stockPerBoard(options)} stock clients per board, y-websocket's or Hocuspocus's provider, the rest wire clients); ${((options.addShare ?? 0.2) * 100).toFixed(0)} % of edits add a card; measured after ${WARMUP_MS / 1000} s of warm-up.`,
      'Edits go to the relays as Yjs updates, to Kaptár as intents on each participant’s control connection (its Yjs rooms are read-only); latency runs from sending to arrival at every other participant.',
      'loop busy: the share of the measured time its event loop was working; loop lag: how late its timers ran (p99) in the median second, and in the worst.',
      ...kaptars.map(
        (ours) =>
          `${ours.target}: intents acknowledged (saved) after p50 ${ms(ours.acks.p50)}, p95 ${ms(ours.acks.p95)}, max ${ms(ours.acks.max)} from sending.`,
      ),
      ...(noPostgres ? [`Kaptár on PostgreSQL not measured: ${noPostgres}`] : []),
      ...[reference, hocuspocus, ...kaptars].flatMap(refusals),
    ],
    figures: { options, reference, hocuspocus, kaptar, kaptarPostgres },
  };
}

/** What one Kaptár run must meet; the PostgreSQL run's checks are named for it. */
function engineTargets(ours: RunFigures, reference: RunFigures, options: EditsOptions) {
  const on = ours.target === 'Kaptár' ? '' : ` (${ours.target})`;
  const connections = options.boards * options.perBoard;
  return [
    check(
      `every edit reached every other participant on its board${on}`,
      '100 %',
      `${ours.count} of ${ours.expectedDeliveries}`,
      ours.count === ours.expectedDeliveries && ours.connectFailures === 0,
    ),
    check(
      `boards converged (stock clients equal at the end)${on}`,
      `${options.boards} of ${options.boards}`,
      `${ours.checkedBoards - ours.divergedBoards} of ${ours.checkedBoards}`,
      ours.divergedBoards === 0 && ours.checkedBoards === options.boards,
    ),
    ...(options.boards === 1
      ? [
          check(
            `p95 against the reference relay${on}`,
            `<= ${ms(reference.p95)}`,
            ms(ours.p95),
            ours.p95 <= reference.p95,
          ),
          check(`p99${on}`, '< 50 ms', ms(ours.p99), ours.p99 < 50),
        ]
      : [
          check(`p95${on}`, '< 100 ms', ms(ours.p95), ours.p95 < 100),
          check(
            `p95 against the reference relay's${on}`,
            `<= 0.5 x ${ms(reference.p95)}`,
            `${(ours.p95 / reference.p95).toFixed(2)}x`,
            ours.p95 <= 0.5 * reference.p95,
          ),
          check(
            `server RSS with ${connections} connections${on}`,
            '< 300 MiB',
            mib(ours.server.peakRssMiB),
            ours.server.peakRssMiB < 300,
          ),
        ]),
  ];
}
