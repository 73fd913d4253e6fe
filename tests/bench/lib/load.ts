/**
 * The coordinator's side of the load generator: simulated participants spread over several
 * processes (load-worker.ts) so that the generator is not the bottleneck, one command at a time.
 */

import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deliveryDelays } from './edit-timing.js';
import type {
  FromWorker,
  PlacedPerson,
  PlannedVote,
  ScheduledJoin,
  SimulatedPerson,
  ToWorker,
} from './protocol.js';
import type { Target } from './targets.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const WORKER = path.join(here, '..', 'load-worker.ts');

type Reply<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>;

function concat(parts: Float64Array[]): Float64Array {
  const all = new Float64Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}

export class LoadGenerator {
  /** Which worker holds each connected person, and at which index there. */
  private readonly placement: Array<{ worker: number; index: number }> = [];
  /** How many people each worker holds. */
  private readonly held: number[];

  private constructor(private readonly workers: ChildProcess[]) {
    this.held = workers.map(() => 0);
  }

  static async start(count: number): Promise<LoadGenerator> {
    const workers = Array.from({ length: count }, () =>
      fork(WORKER, [], { cwd: root, execArgv: ['--import', 'tsx'], serialization: 'advanced' }),
    );
    const generator = new LoadGenerator(workers);
    await generator.all(() => null, 'started');
    return generator;
  }

  /**
   * Connects everyone (round robin over the workers; each person's key is its place in all
   * connected so far); resolves with the failures.
   */
  async connect(
    { yjsUrl, dialect, writes, serverUrl }: Pick<Target, 'yjsUrl' | 'dialect' | 'writes' | 'serverUrl'>,
    people: SimulatedPerson[],
  ): Promise<string[]> {
    const shares = this.workers.map((): PlacedPerson[] => []);
    people.forEach((person) => {
      const key = this.placement.length;
      const worker = key % this.workers.length;
      this.placement.push({ worker, index: this.held[worker] ?? 0 });
      this.held[worker] = (this.held[worker] ?? 0) + 1;
      shares[worker]?.push({ ...person, key });
    });
    const replies = await this.all(
      (w) => ({ type: 'connect', yjsUrl, dialect, writes, serverUrl, people: shares[w] ?? [] }),
      'connected',
    );
    return replies.flatMap((r) => r.failures);
  }

  /**
   * Runs the editing load; returns how many edits were sent (and why any were refused), the
   * delay of every arrival of an edit at another participant, and whether the stock clients of
   * each board ended equal.
   */
  async edit(options: { warmupMs: number; durationMs: number; intervalMs: number; addShare: number }) {
    const replies = await this.all(() => ({ type: 'edit', ...options }), 'edited');
    const latencies = deliveryDelays(
      replies.map((r) => r.made),
      replies.map((r) => r.arrived),
    );
    const digests = new Map<string, Set<string>>();
    for (const board of replies.flatMap((r) => r.boards)) {
      digests.set(board.boardId, (digests.get(board.boardId) ?? new Set()).add(board.digest));
    }
    return {
      sent: replies.reduce((sum, r) => sum + r.sent, 0),
      refused: replies.flatMap((r) => r.refused),
      acks: concat(replies.map((r) => r.acks)),
      latencies,
      checkedBoards: digests.size,
      divergedBoards: [...digests.values()].filter((set) => set.size > 1).length,
    };
  }

  async join(serverUrl: string, yjsUrl: string, joinCode: string, joins: ScheduledJoin[]) {
    const replies = await this.all(
      (w) => ({
        type: 'join',
        serverUrl,
        yjsUrl,
        joinCode,
        joins: joins.filter((_, i) => i % this.workers.length === w),
      }),
      'joined',
    );
    return {
      latencies: concat(replies.map((r) => r.latencies)),
      failures: replies.flatMap((r) => r.failures),
    };
  }

  /** Votes of connected people (by their index in `connect`'s list). */
  async vote(votes: PlannedVote[]) {
    const replies = await this.all(
      (w) => ({
        type: 'vote',
        votes: votes.flatMap((vote) => {
          const at = this.placement[vote.person];
          return at?.worker === w ? [{ ...vote, person: at.index }] : [];
        }),
      }),
      'voted',
    );
    return { latencies: concat(replies.map((r) => r.latencies)), refused: replies.flatMap((r) => r.refused) };
  }

  /** The load processes, to measure what the generator itself costs. */
  get pids(): number[] {
    return this.workers.map((worker) => worker.pid as number);
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map((worker) => {
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        if (worker.connected) worker.send({ type: 'close' } satisfies ToWorker);
        return exited;
      }),
    );
  }

  /** Sends each worker its command and waits for every worker's reply of type `type`. */
  private all<T extends FromWorker['type']>(
    command: (worker: number) => ToWorker | null,
    type: T,
  ): Promise<Array<Reply<T>>> {
    return Promise.all(
      this.workers.map(
        (worker, w) =>
          new Promise<Reply<T>>((resolve, reject) => {
            const onMessage = (message: FromWorker) => {
              if (message.type !== type) return;
              worker.off('message', onMessage);
              worker.off('exit', onExit);
              resolve(message as Reply<T>);
            };
            const onExit = (code: number | null) => reject(new Error(`load worker ${w} exited (${code})`));
            worker.on('message', onMessage);
            worker.once('exit', onExit);
            const message = command(w);
            if (message) worker.send(message);
          }),
      ),
    );
  }
}
