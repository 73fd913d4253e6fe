/**
 * The last `pnpm bench` results as the README's markdown table:
 * `npx tsx tests/bench/markdown.ts [results.json]` (default test-output/bench/results.json).
 */
import fs from 'node:fs';
import path from 'node:path';
import { TEST_OUTPUT } from '../support/browser.js';
import type { ScenarioReport } from './lib/report.js';

const file = process.argv[2] ?? path.join(TEST_OUTPUT, 'bench', 'results.json');
const { date, machine, reports } = JSON.parse(fs.readFileSync(file, 'utf8')) as {
  date: string;
  machine: string;
  reports: ScenarioReport[];
};

const cell = (value: string) => value.replaceAll('|', '\\|');
console.log(`${date.slice(0, 10)}, ${machine}\n`);
console.log('| scenario | target | measured | |');
console.log('|---|---|---|---|');
for (const report of reports) {
  for (const [i, target] of report.targets.entries()) {
    const scenario = i === 0 ? report.scenario : '';
    console.log(
      `| ${cell(scenario)} | ${cell(target.what)}: ${cell(target.target)} | ${cell(target.measured)} | ${target.met ? 'met' : '**missed**'} |`,
    );
  }
}
