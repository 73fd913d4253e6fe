/**
 * `pnpm bench:layout` (after `pnpm build`): the figures of a board that reads well on every screen.
 * For boards of 30 and 60 cards, added and grouped in seeded random orders through the real
 * paths (intents over socket.io), in Debian's Chromium:
 * - the smallest card text as drawn on the projector at 1920x1080 (its font size times the
 *   board's scale), and whether the board fits the screen or scrolls;
 * - the pairs of cards that overlap on the moderator's canvas (1440x900, fitted), on the
 *   projector and in the exported SVG (must be 0);
 * and the JavaScript a participant's phone loads before its board is usable (gzip -9).
 */
import { overlappingPairs } from '@kaptar/board';
import type { Browser, Page } from 'playwright-core';
import { CLIENT_DIST, DESKTOP, launchChromium } from '../support/browser.js';
import { connectControl } from '../support/control-client.js';
import { randomWorkshop } from '../support/random-board.js';
import { createSession, joinSession, startServer, type TestServer } from '../support/server.js';
import { bundleSizes, JS_GZIP_BUDGET } from './client-bundle.js';

const SIZES = [30, 60];
const SEEDS = [1, 2, 3, 4, 5];
const MODERATOR = { viewport: { width: 1440, height: 900 }, locale: 'hu-HU' } as const;

const boxesOf = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((elements) =>
    elements.map((element) => {
      const { x, y, width, height } = element.getBoundingClientRect();
      return { x, y, width, height };
    }),
  );

interface Row {
  cards: number;
  seed: number;
  smallestText: number;
  scrolls: boolean;
  canvasOverlaps: number;
  projectorOverlaps: number;
  svgOverlaps: number;
}

async function measure(server: TestServer, browser: Browser, cards: number, seed: number): Promise<Row> {
  const session = await createSession(server, `Mérés ${cards}/${seed}`);
  const boardId = session.boards[0]?.id as string;
  const moderator = await connectControl(server.url, session.moderatorToken);
  const anna = await joinSession(server, session.joinCode, 'Kovács Anna', 'Alsóváros');
  const author = await connectControl(server.url, anna.participantToken);
  try {
    await randomWorkshop({ author, moderator, boardId, cards, seed });
  } finally {
    author.close();
    moderator.close();
  }
  const open = async (options: object, path: string) => {
    const page = await (await browser.newContext(options)).newPage();
    await page.goto(`${server.url}${path}`);
    return page;
  };
  const canvas = await open(MODERATOR, `/s/${session.sessionId}#key=${session.moderatorToken}`);
  await canvas
    .getByTestId('canvas')
    .getByTestId('card')
    .nth(cards - 1)
    .waitFor();
  const canvasOverlaps = overlappingPairs(
    await boxesOf(canvas, '[data-testid="canvas"] [data-testid="card"]'),
  );
  await canvas.context().close();

  const projector = await open(DESKTOP, `/s/${session.sessionId}#key=${session.viewerToken}`);
  await projector
    .getByTestId('card')
    .nth(cards - 1)
    .waitFor();
  const projectorOverlaps = overlappingPairs(
    await boxesOf(projector, '[data-testid="projector-board"] [data-testid="card"]'),
  );
  const { smallestText, scrolls } = await projector.getByTestId('projector-board').evaluate((board) => {
    const sizes = [...board.querySelectorAll<HTMLElement>('[data-testid="card-text"]')].map(
      (text) =>
        Number.parseFloat(getComputedStyle(text).fontSize) *
        (text.getBoundingClientRect().height / text.offsetHeight),
    );
    return { smallestText: Math.min(...sizes), scrolls: board.scrollHeight > board.clientHeight };
  });
  await projector.context().close();

  const svg = await (
    await fetch(`${server.url}/api/boards/${boardId}/export?format=svg`, {
      headers: { authorization: `Bearer ${session.moderatorToken}` },
    })
  ).text();
  const svgBoxes = [
    ...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" rx="10"/g),
  ].map((m) => ({ x: Number(m[1]), y: Number(m[2]), width: Number(m[3]), height: Number(m[4]) }));
  if (svgBoxes.length !== cards) throw new Error(`the SVG drew ${svgBoxes.length} of ${cards} cards`);
  return {
    cards,
    seed,
    smallestText,
    scrolls,
    canvasOverlaps,
    projectorOverlaps,
    svgOverlaps: overlappingPairs(svgBoxes),
  };
}

const server = await startServer({ clientDir: CLIENT_DIST });
const browser = await launchChromium();
const rows: Row[] = [];
try {
  for (const cards of SIZES) for (const seed of SEEDS) rows.push(await measure(server, browser, cards, seed));
} finally {
  await browser.close();
  await server.stop();
}

console.log(
  '| cards | seeds | smallest projector card text (px) | projector scrolls | overlapping pairs: canvas / projector / SVG |',
);
console.log('|---|---|---|---|---|');
for (const cards of SIZES) {
  const of = rows.filter((row) => row.cards === cards);
  const sum = (pick: (row: Row) => number) => of.reduce((total, row) => total + pick(row), 0);
  console.log(
    `| ${cards} | ${of.length} | ${Math.min(...of.map((row) => row.smallestText)).toFixed(1)} | ${of.filter((row) => row.scrolls).length} of ${of.length} | ${sum((r) => r.canvasOverlaps)} / ${sum((r) => r.projectorOverlaps)} / ${sum((r) => r.svgOverlaps)} |`,
  );
}
const { phoneJs } = bundleSizes();
console.log(
  `\nJS a phone loads before its board is usable: ${(phoneJs.gzip / 1000).toFixed(1)} kB gzip -9 (${(phoneJs.gzip / 1024).toFixed(1)} KiB; budget ${JS_GZIP_BUDGET / 1000} kB), ${(phoneJs.raw / 1024).toFixed(1)} KiB raw`,
);
const failed = rows.some(
  (row) => row.canvasOverlaps + row.projectorOverlaps + row.svgOverlaps > 0 || row.smallestText < 18,
);
process.exit(failed || phoneJs.gzip > JS_GZIP_BUDGET ? 1 : 0);
