/**
 * The client under load (issue 7): a board of 500 cards with groups and votes opened by the
 * moderator at 1920x1080 in Chromium with 4x CPU throttling; time to open, then frame times
 * while panning the canvas and while dragging a card with real mouse input; and the bundle
 * sizes against the 120 KB gzip budget. Prints a table, writes test-output/bench/client.json
 * and a screenshot of the board.
 *
 *   npx tsx tests/bench/client.ts     (needs `pnpm build` first)
 *   CARDS=1000 PROFILE=1 npx tsx tests/bench/client.ts   (a bigger board; CPU profiles of the gestures)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { CLIENT_DIST, DESKTOP, launchChromium, TEST_OUTPUT } from '../support/browser.js';
import { startServer } from '../support/server.js';
import { fillBoard } from './client-board.js';
import { type BundleSizes, bundleSizes, JS_GZIP_BUDGET } from './client-bundle.js';
import { type FrameStats, frameStats, KEEP_NAMES_SHIM, startFrames, stopFrames } from './client-frames.js';
import { type Hotspot, profiled } from './client-profile.js';

const CPU_THROTTLING = 4;
export const FRAME_TARGETS = { median: 16, p95: 50 } as const;
/** One pointer move or wheel step per frame, as a person's hand gives them. */
const STEP_MS = 16;

export interface ClientBenchResult {
  date: string;
  machine: string;
  chromium: string;
  cpuThrottling: number;
  board: { cards: number; groups: number; votes: number };
  /** Navigation start to every card on the board rendered, ms (in the page's clock). */
  openMs: number;
  /** Panning by grabbing the bare board, and with the wheel. */
  panGrab: FrameStats;
  panWheel: FrameStats;
  drag: FrameStats;
  targetsMet: { panGrab: boolean; panWheel: boolean; drag: boolean; bundle: boolean };
  bundle: BundleSizes;
  /** With PROFILE=1: the functions with the most self time in each gesture. */
  hotspots?: Record<Gesture, Hotspot[]>;
}

type Gesture = 'drag' | 'panGrab' | 'panWheel';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the page has had a second with no long frame, so one phase does not bleed into the next. */
function settle(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        let quietSince = performance.now();
        let last = performance.now();
        const tick = (now: number) => {
          if (now - last > 50) quietSince = now;
          last = now;
          if (now - quietSince > 1000) resolve();
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
  );
}

async function canvasBox(page: Page) {
  const box = await page.getByTestId('canvas').boundingBox();
  if (!box) throw new Error('the canvas is not on screen');
  return box;
}

/** Paced wheel steps over the board: down, sideways, back up (mouse wheel or trackpad). */
async function wheelPan(page: Page): Promise<FrameStats> {
  const box = await canvasBox(page);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await startFrames(page);
  for (let step = 0; step < 120; step++) {
    const dy = step < 40 ? 60 : step < 80 ? 0 : -60;
    const dx = step >= 40 && step < 80 ? 40 : 0;
    await page.mouse.wheel(dx, dy);
    await sleep(STEP_MS);
  }
  return frameStats(await stopFrames(page));
}

/** A point on the bare board (no card, group or control under it), where a press grabs the board. */
async function bareSpot(page: Page): Promise<{ x: number; y: number }> {
  const box = await canvasBox(page);
  const spot = await page.evaluate(
    ({ left, top, width, height }) => {
      for (let y = top + height - 20; y > top; y -= 40) {
        for (let x = left + 10; x < left + width; x += 40) {
          const hit = document.elementFromPoint(x, y);
          if (
            hit?.closest('[data-testid=canvas]') &&
            !hit.closest('[data-drop-card], [data-drop-group], button, input')
          )
            return { x, y };
        }
      }
      return null;
    },
    { left: box.x, top: box.y, width: box.width, height: box.height },
  );
  if (!spot) throw new Error('no bare spot on the canvas to grab');
  return spot;
}

interface Point {
  x: number;
  y: number;
}

/** Steps of a gesture: one pointer move per frame, as a person's hand gives them. */
const GESTURE_STEPS = 120;

/**
 * Presses the mouse at `from`, moves it through `at(step / GESTURE_STEPS)` once a frame and lets
 * go, timing the frames from the press to the release.
 */
async function gesture(page: Page, from: Point, at: (progress: number) => Point): Promise<FrameStats> {
  await page.mouse.move(from.x, from.y);
  await startFrames(page);
  await page.mouse.down();
  for (let step = 1; step <= GESTURE_STEPS; step++) {
    const point = at(step / GESTURE_STEPS);
    await page.mouse.move(point.x, point.y);
    await sleep(STEP_MS);
  }
  await page.mouse.up();
  return frameStats(await stopFrames(page));
}

/** Grabs the bare board and pulls it round in a loop, as a moderator pans with the mouse. */
async function grabPan(page: Page): Promise<FrameStats> {
  const from = await bareSpot(page);
  return gesture(page, from, (progress) => {
    const angle = progress * 2 * Math.PI;
    return { x: from.x + 250 * Math.sin(angle), y: from.y - 250 * (1 - Math.cos(angle)) };
  });
}

/** Picks up the first loose card in view, circles it around and puts it down above its row. */
async function drag(page: Page): Promise<FrameStats> {
  const box = await canvasBox(page);
  // Loose cards come after an area's groups: the first in the page may be below the view.
  const cards = await page
    .locator('[data-drop-card]:not([data-drop-group] *) [data-testid=card-text]')
    .evaluateAll((elements) =>
      elements.map((element) => element.getBoundingClientRect().toJSON() as DOMRect),
    );
  const grip = cards.find((card) => card.y >= box.y && card.y + card.height <= box.y + box.height);
  if (!grip) throw new Error('no loose card in view');
  const from = { x: grip.x + 20, y: grip.y + 5 };
  return gesture(page, from, (progress) => {
    const angle = progress * 2 * Math.PI;
    // A loop of 200 px radius through the neighbouring cards, ending 60 px above the start.
    return { x: from.x + 200 * Math.sin(angle), y: from.y + 200 * (1 - Math.cos(angle)) - 60 * progress };
  });
}

export async function runClientBench(
  options: { cards?: number; profile?: boolean } = {},
): Promise<ClientBenchResult> {
  const cards = options.cards ?? 500;
  const out = path.join(TEST_OUTPUT, 'bench');
  fs.mkdirSync(out, { recursive: true });
  const server = await startServer({ clientDir: CLIENT_DIST });
  const browser = await launchChromium();
  try {
    const board = await fillBoard(server, cards);
    const context = await browser.newContext(DESKTOP);
    await context.addInitScript({ content: KEEP_NAMES_SHIM });
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLING });

    await page.goto(`${server.url}/s/${board.session.sessionId}#key=${board.session.moderatorToken}`);
    const openMs = await page.waitForFunction(
      (count) => document.querySelectorAll('[data-testid=card]').length >= count && performance.now(),
      board.cards,
      { polling: 'raf', timeout: 120_000 },
    );
    const opened = Number(await openMs.jsonValue());
    await settle(page);
    await page.screenshot({ path: path.join(out, `client-${board.cards}-cards.png`) });

    const gestures = { drag, panGrab: grabPan, panWheel: wheelPan };
    const stats = {} as Record<Gesture, FrameStats>;
    const hotspots = {} as Record<Gesture, Hotspot[]>;
    for (const [name, run] of Object.entries(gestures) as Array<[Gesture, typeof drag]>) {
      await settle(page);
      if (options.profile) {
        const profile = await profiled(cdp, path.join(out, `client-${name}.cpuprofile`), () => run(page));
        stats[name] = profile.result;
        hotspots[name] = profile.hotspots;
      } else stats[name] = await run(page);
    }
    await context.close();

    const bundle = bundleSizes();
    const meets = (stats: FrameStats) =>
      stats.median <= FRAME_TARGETS.median && stats.p95 <= FRAME_TARGETS.p95;
    return {
      date: new Date().toISOString(),
      machine: `${os.cpus()[0]?.model ?? 'unknown CPU'} x ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
      chromium: browser.version(),
      cpuThrottling: CPU_THROTTLING,
      board: { cards: board.cards, groups: board.groups, votes: board.votes },
      openMs: Math.round(opened),
      ...stats,
      targetsMet: {
        panGrab: meets(stats.panGrab),
        panWheel: meets(stats.panWheel),
        drag: meets(stats.drag),
        bundle: bundle.phoneJsWithinBudget,
      },
      bundle,
      ...(options.profile ? { hotspots } : {}),
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

function printResult(result: ClientBenchResult): void {
  const { board } = result;
  console.log(
    `\nClient: ${board.cards} cards, ${board.groups} groups, ${board.votes} votes; moderator canvas 1920x1080, ` +
      `Chromium ${result.chromium}, ${result.cpuThrottling}x CPU throttling; ${result.machine}`,
  );
  console.log(`Board open (navigation start -> all cards rendered): ${(result.openMs / 1000).toFixed(2)} s`);
  const row = (stats: FrameStats, met: boolean) => ({
    frames: stats.frames,
    'median ms': stats.median,
    'p95 ms': stats.p95,
    'max ms': stats.max,
    'interval median/p95': `${stats.intervalMedian} / ${stats.intervalP95}`,
    'long frames (script/render)': stats.longFrames
      ? `${stats.longFrames} (${Math.round(stats.longFrameScript * 100)}%/${Math.round(stats.longFrameRender * 100)}%)`
      : 0,
    'slowest input ms': stats.slowestEvent,
    [`target ${FRAME_TARGETS.median}/${FRAME_TARGETS.p95}`]: met ? 'met' : 'MISSED',
  });
  console.log('Frame times (main thread per frame, Performance API):');
  console.table({
    'pan: grab the board': row(result.panGrab, result.targetsMet.panGrab),
    'pan: mouse wheel': row(result.panWheel, result.targetsMet.panWheel),
    'drag a card': row(result.drag, result.targetsMet.drag),
  });
  const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
  const sizes = (size: { raw: number; gzip: number; brotli: number }) => ({
    raw: kb(size.raw),
    gzip: kb(size.gzip),
    brotli: kb(size.brotli),
  });
  console.log(`Bundle (client/dist; budget: phone JS <= ${kb(JS_GZIP_BUDGET)} gzip):`);
  console.table({
    ...Object.fromEntries(Object.entries(result.bundle.files).map(([file, size]) => [file, sizes(size)])),
    'all JS': sizes(result.bundle.totalJs),
    'all CSS': sizes(result.bundle.totalCss),
    'phone: entry JS': {
      ...sizes(result.bundle.phoneJs),
      budget: result.targetsMet.bundle ? 'met' : 'MISSED',
    },
    'phone: entry CSS': sizes(result.bundle.phoneCss),
  });
  for (const [gesture, spots] of Object.entries(result.hotspots ?? {})) {
    console.log(`Most self time in ${gesture} (CPU profile):`);
    console.table(spots);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runClientBench({
    cards: Number(process.env.CARDS ?? 500),
    profile: process.env.PROFILE === '1',
  });
  printResult(result);
  const out = path.join(TEST_OUTPUT, 'bench', 'client.json');
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`Written: ${path.relative(process.cwd(), out)}`);
}
