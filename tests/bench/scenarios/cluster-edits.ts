/**
 * Live editing on a cluster: the load of the editing scenarios (edits.ts) spread by HAProxy over
 * three Kaptár processes on one PostgreSQL and one Redis, against one Kaptár process on PostgreSQL
 * and the reference relay, in the same run. On this 2-core machine the three processes, Redis,
 * PostgreSQL, the balancer and the load share two cores: the cluster pays its hops (a non-owner
 * forwards each intent to the session's owner and relays its stored changes from Redis) with no
 * cores to spread them over, so the target is at most twice one process's p95.
 */
import { check, type ScenarioReport } from '../lib/report.js';
import { ms } from '../lib/stats.js';
import { startKaptar, startKaptarCluster, startReferenceRelay } from '../lib/targets.js';
import { complete, type EditsOptions, measure, ratios, refusals, row } from './edits.js';

export async function clusterEditsScenario(options: EditsOptions): Promise<ScenarioReport> {
  const reference = await measure(await startReferenceRelay(), options);
  const single = await measure(await startKaptar('postgres'), options);
  const cluster = await measure(await startKaptarCluster(), options);
  return {
    scenario: `cluster: ${options.boards} board(s) x ${options.perBoard} participants over 3 processes, 1 edit per ${(options.intervalMs ?? 1000) / 1000} s each, ${options.seconds} s`,
    table: {
      'reference relay': row(reference),
      [single.target]: row(single),
      [cluster.target]: row(cluster),
      [`${cluster.target} / one process`]: ratios(cluster, single),
      [`${cluster.target} / reference`]: ratios(cluster, reference),
    },
    targets: [
      check(
        'every edit reached every other participant on its board, boards converged (3 processes)',
        '100 %',
        `${cluster.count} of ${cluster.expectedDeliveries}, ${cluster.divergedBoards} diverged`,
        complete(cluster),
      ),
      check(
        'p95 against one process on PostgreSQL, same run',
        `<= 2 x ${ms(single.p95)}`,
        `${(cluster.p95 / single.p95).toFixed(2)}x`,
        cluster.p95 <= 2 * single.p95,
      ),
    ],
    notes: [
      'Participants join, write (intents) and read (Yjs) through HAProxy (deploy/haproxy.cfg), which spreads their connections round robin: about two thirds of them land on a process that does not own their session.',
      `${cluster.target}: intents acknowledged after p50 ${ms(cluster.acks.p50)}, p95 ${ms(cluster.acks.p95)}; one process: p50 ${ms(single.acks.p50)}, p95 ${ms(single.acks.p95)}.`,
      'server CPU and RSS of the cluster: its three Kaptár processes together (PostgreSQL, Redis and HAProxy not counted, as PostgreSQL is not for one process); loop: the busiest process each second.',
      ...[reference, single, cluster].flatMap(refusals),
    ],
    figures: { options, reference, single, cluster },
  };
}
