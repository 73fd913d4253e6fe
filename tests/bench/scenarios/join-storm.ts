/**
 * Join storm: `people` participants join one session within `windowSeconds`, each as a phone
 * does: the join form (HTTP), then the board (stock y-websocket client, until synced) and the
 * control plane (socket.io) at once. A join's time runs from the form's POST until both are up.
 */

import { createSession, waitFor } from '../../support/server.js';
import { addressOf } from '../lib/addresses.js';
import { openControl } from '../lib/control.js';
import { LoadGenerator } from '../lib/load.js';
import type { ScheduledJoin } from '../lib/protocol.js';
import { check, type ScenarioReport } from '../lib/report.js';
import { distribution, ms, sampleProcesses, usageColumns } from '../lib/stats.js';
import { startKaptar } from '../lib/targets.js';

export interface JoinStormOptions {
  people: number;
  windowSeconds: number;
  workers: number;
}

export async function joinStormScenario(options: JoinStormOptions): Promise<ScenarioReport> {
  const kaptar = await startKaptar();
  const load = await LoadGenerator.start(options.workers);
  try {
    const serverUrl = kaptar.serverUrl as string;
    const session = await createSession({ url: serverUrl }, 'Csatlakozási roham');
    // The moderator watches the participant list fill up, as on the projector.
    const moderator = await openControl(serverUrl, session.moderatorToken, '127.0.0.1');
    let online = 0;
    moderator.on('presence', (list) => {
      online = list.filter((p) => p.online && p.role === 'participant').length;
    });
    const joins: ScheduledJoin[] = Array.from({ length: options.people }, (_, i) => ({
      name: `Résztvevő ${i + 1}`,
      site: `Falu ${Math.floor(i / 20) + 1}`,
      address: addressOf(i),
      atMs: (i / options.people) * options.windowSeconds * 1000,
    }));
    const usage = sampleProcesses(kaptar.pids);
    const loadUsage = sampleProcesses(load.pids);
    const startedAt = performance.now();
    const { latencies, failures } = await load.join(serverUrl, kaptar.yjsUrl, session.joinCode, joins);
    const allInAfter = performance.now() - startedAt;
    const used = usage.stop();
    const loadUsed = loadUsage.stop();
    await waitFor(() => online === options.people, 'the moderator to see everyone online', 10_000).catch(
      () => {},
    );
    moderator.disconnect();
    const joined = distribution(latencies);
    return {
      scenario: `join storm: ${options.people} participants join one session within ${options.windowSeconds} s`,
      table: {
        Kaptár: {
          joined: `${joined.count} of ${options.people}`,
          p50: ms(joined.p50),
          p95: ms(joined.p95),
          p99: ms(joined.p99),
          max: ms(joined.max),
          'all in after': ms(allInAfter),
          'moderator sees online': online,
          ...usageColumns(used, loadUsed),
        },
      },
      targets: [
        check(
          'all in',
          `${options.people}`,
          `${joined.count}`,
          joined.count === options.people && failures.length === 0,
        ),
        check(
          'the moderator sees everyone online',
          `${options.people}`,
          `${online}`,
          online === options.people,
        ),
        check(
          'p95 join (form to board and control plane up)',
          '< 1000 ms',
          ms(joined.p95),
          joined.p95 < 1000,
        ),
      ],
      notes: failures.slice(0, 5).map((failure) => `failed: ${failure}`),
      figures: {
        options,
        joined,
        allInAfterMs: allInAfter,
        online,
        failures: failures.length,
        server: used,
        load: loadUsed,
      },
    };
  } finally {
    await load.close();
    await kaptar.stop();
  }
}
