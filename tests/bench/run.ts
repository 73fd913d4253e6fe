/**
 * `pnpm bench [scenario ...]`: Kaptár's performance figures, each scenario against its target
 * (issue 7), the live-editing ones side by side with the reference relay and Hocuspocus. Prints a table per
 * scenario and writes everything to test-output/bench/results.json. Needs `pnpm build` first.
 *
 *   pnpm bench                     all scenarios at full size (about 15 minutes)
 *   pnpm bench one-board votes     some of them
 *   SECONDS=10 WORKERS=2 INTERVAL_MS=2000 pnpm bench one-board
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEST_OUTPUT } from '../support/browser.js';
import { printReport, type ScenarioReport } from './lib/report.js';
import { clientScenario } from './scenarios/client.js';
import { clusterEditsScenario } from './scenarios/cluster-edits.js';
import { editsScenario } from './scenarios/edits.js';
import { joinStormScenario } from './scenarios/join-storm.js';
import { largeBoardScenario } from './scenarios/large-board.js';
import { voteBurstScenario } from './scenarios/vote-burst.js';

const SECONDS = Number(process.env.SECONDS ?? 20);
const WORKERS = Number(process.env.WORKERS ?? 4);
/** Time between one participant's edits in the editing scenarios. */
const INTERVAL_MS = Number(process.env.INTERVAL_MS ?? 1000);

const SCENARIOS: Record<string, () => Promise<ScenarioReport>> = {
  'one-board': () =>
    editsScenario({ boards: 1, perBoard: 200, seconds: SECONDS, workers: WORKERS, intervalMs: INTERVAL_MS }),
  'many-boards': () =>
    editsScenario({ boards: 100, perBoard: 20, seconds: SECONDS, workers: WORKERS, intervalMs: INTERVAL_MS }),
  'cluster-one-board': () =>
    clusterEditsScenario({
      boards: 1,
      perBoard: 200,
      seconds: SECONDS,
      workers: WORKERS,
      intervalMs: INTERVAL_MS,
    }),
  'cluster-many-boards': () =>
    clusterEditsScenario({
      boards: 100,
      perBoard: 20,
      seconds: SECONDS,
      workers: WORKERS,
      intervalMs: INTERVAL_MS,
    }),
  'join-storm': () => joinStormScenario({ people: 500, windowSeconds: 10, workers: WORKERS }),
  'large-board': () => largeBoardScenario({ cards: 2000, votes: 20_000, repeats: 5 }),
  votes: () => voteBurstScenario({ people: 200, votesEach: 3, windowSeconds: 2, workers: WORKERS }),
  client: () => clientScenario({ cards: 500 }),
};

const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in SCENARIOS));
if (unknown.length > 0) {
  console.error(`Unknown scenario ${unknown.join(', ')}; choose from ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}

const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(`Kaptár benchmarks, ${new Date().toISOString()}, ${machine}`);
const reports: ScenarioReport[] = [];
for (const name of chosen.length > 0 ? chosen : Object.keys(SCENARIOS)) {
  const report = await (SCENARIOS[name] as () => Promise<ScenarioReport>)();
  printReport(report);
  reports.push(report);
}

const out = path.join(TEST_OUTPUT, 'bench');
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(
  path.join(out, 'results.json'),
  JSON.stringify({ date: new Date().toISOString(), machine, reports }, null, 2),
);
const missed = reports.flatMap((r) => r.targets.filter((t) => !t.met));
console.log(
  `\n${missed.length === 0 ? 'All targets met.' : `${missed.length} target(s) missed.`} Results in ${path.relative(process.cwd(), out)}/results.json`,
);
