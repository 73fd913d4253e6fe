/** The client's figures (client.ts: Chromium, 4x CPU throttling) as a `pnpm bench` scenario. */
import { type ClientBenchResult, FRAME_TARGETS, runClientBench } from '../client.js';
import { JS_GZIP_BUDGET } from '../client-bundle.js';
import type { FrameStats } from '../client-frames.js';
import { check, type ScenarioReport } from '../lib/report.js';
import { ms } from '../lib/stats.js';

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

export async function clientScenario(options: { cards: number }): Promise<ScenarioReport> {
  const result: ClientBenchResult = await runClientBench({ cards: options.cards });
  const gestures: Array<[string, FrameStats]> = [
    ['pan: grab the board', result.panGrab],
    ['pan: mouse wheel', result.panWheel],
    ['drag a card', result.drag],
  ];
  const { median, p95 } = FRAME_TARGETS;
  return {
    scenario: `client: ${result.board.cards} cards in Chromium, ${result.cpuThrottling}x CPU throttling, 1920x1080`,
    table: Object.fromEntries(
      gestures.map(([name, stats]) => [
        name,
        { frames: stats.frames, median: ms(stats.median), p95: ms(stats.p95), max: ms(stats.max) },
      ]),
    ),
    targets: [
      ...gestures.map(([name, stats]) =>
        check(
          `${name}: frame median / p95`,
          `< ${median} / ${p95} ms`,
          `${ms(stats.median)} / ${ms(stats.p95)}`,
          stats.median <= median && stats.p95 <= p95,
        ),
      ),
      check(
        'JS a phone loads, gzip',
        `<= ${kb(JS_GZIP_BUDGET)}`,
        kb(result.bundle.phoneJs.gzip),
        result.bundle.phoneJsWithinBudget,
      ),
    ],
    notes: [
      `Board open (navigation start to all cards drawn): ${(result.openMs / 1000).toFixed(2)} s; all JS ${kb(result.bundle.totalJs.gzip)} gzip.`,
    ],
    figures: { ...result },
  };
}
