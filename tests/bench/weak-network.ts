/**
 * How Kaptár does on a weak mobile link: time from opening the join link to a
 * usable board under Chromium's network emulation (400 kbit/s down and up,
 * 400 ms latency), and the client's size on the wire. Prints a table.
 *
 *   pnpm bench:network            (needs `pnpm build` first)
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { CLIENT_DIST, launchChromium, PHONE } from '../support/browser.js';
import { createSession, startServer } from '../support/server.js';

const KBIT = 1000 / 8;
const LINK = { latency: 400, downloadThroughput: 400 * KBIT, uploadThroughput: 400 * KBIT, offline: false };
const RUNS = Number(process.env.RUNS ?? 3);

function compressedSizes(): Array<[string, number, number, number]> {
  const assets = path.join(CLIENT_DIST, 'assets');
  return fs
    .readdirSync(assets)
    .filter((file) => /\.(js|css)$/.test(file))
    .map((file) => {
      const bytes = fs.readFileSync(path.join(assets, file));
      const gzip = zlib.gzipSync(bytes, { level: 9 }).length;
      return [file, bytes.length, gzip, zlib.brotliCompressSync(bytes).length] as [
        string,
        number,
        number,
        number,
      ];
    });
}

const server = await startServer({ clientDir: CLIENT_DIST });
const browser = await launchChromium();
const results: Array<{ joinPage: number; board: number }> = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const { joinCode } = await createSession(server, 'Mérés');
    // A fresh context each run: nothing cached, as on a phone opening the link the first time.
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', LINK);

    const opened = performance.now();
    await page.goto(`${server.url}/join/${joinCode}`);
    await page.getByLabel('A neved').waitFor();
    const joinPage = performance.now() - opened;

    await page.getByLabel('A neved').fill('Mérő Elek');
    await page.getByLabel('A településed').fill('Alsóváros');
    const submitted = performance.now();
    await page.getByRole('button', { name: 'Belépek' }).click();
    await page
      .locator('[data-testid="connection-state"][data-link="connected"]')
      .waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Probléma hozzáadása' }).waitFor();
    const board = performance.now() - submitted;
    results.push({ joinPage, board });
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(
  `\nWeak link: ${LINK.latency} ms latency, 400 kbit/s each way; ${RUNS} runs, fresh browser context each`,
);
console.table({
  'join link -> join form usable': {
    median: seconds(median(results.map((r) => r.joinPage))),
    worst: seconds(Math.max(...results.map((r) => r.joinPage))),
  },
  '"Join" tapped -> board connected and usable': {
    median: seconds(median(results.map((r) => r.board))),
    worst: seconds(Math.max(...results.map((r) => r.board))),
  },
  'total, without the typing': {
    median: seconds(median(results.map((r) => r.joinPage + r.board))),
    worst: seconds(Math.max(...results.map((r) => r.joinPage + r.board))),
  },
});
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log('Client assets (served brotli-compressed; gzip -9 for the 120 KB budget):');
console.table(
  Object.fromEntries(
    compressedSizes().map(([file, raw, gzip, brotli]) => [
      file,
      { raw: kib(raw), gzip: kib(gzip), brotli: kib(brotli) },
    ]),
  ),
);
