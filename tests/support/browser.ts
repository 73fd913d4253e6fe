/** Debian's Chromium driven by playwright-core (no browser download: see ../shared/TOOLCHAIN.md). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startServer, type TestServer } from './server.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLIENT_DIST = path.join(root, 'client/dist');
export const TEST_OUTPUT = path.join(root, 'test-output');

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: run scripts/ensure-system-deps.sh (apt-get install chromium)`,
    );
  }
  if (!fs.existsSync(path.join(CLIENT_DIST, 'index.html'))) {
    throw new Error('client/dist is missing: run `pnpm build` before the browser tests');
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export function screenshotPath(name: string): string {
  const dir = path.join(TEST_OUTPUT, 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}

/** A phone as in the workshop: small touch screen, Hungarian browser. */
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'hu-HU',
} as const;

export const DESKTOP = { viewport: { width: 1920, height: 1080 }, locale: 'hu-HU' } as const;

export interface BrowserHarness {
  readonly server: TestServer;
  /** A fresh browser context (a person's device) opened at `path` on the server. */
  open(options: BrowserContextOptions, path: string): Promise<Page>;
  /** A resident joins from the join page on a device of their own, as in the room, and is connected. */
  join(code: string, name: string, site: string, device?: BrowserContextOptions): Promise<Page>;
}

/**
 * A real server serving the built app, and Debian's Chromium, for one test file.
 * Page errors fail the test; anything the Content-Security-Policy blocks is recorded
 * on `window.cspViolations`, so tests can check the app runs under it.
 */
export function useBrowser(): BrowserHarness {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    server = await startServer({ clientDir: CLIENT_DIST });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });
  const running = () => {
    if (!server || !browser) throw new Error('the server and browser start in beforeAll');
    return { server, browser };
  };
  return {
    get server() {
      return running().server;
    },
    async open(options, path) {
      const context = await running().browser.newContext(options);
      contexts.push(context);
      await context.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { cspViolations: string[] }).cspViolations = seen;
        document.addEventListener('securitypolicyviolation', (event) => {
          seen.push(`${event.violatedDirective} ${event.blockedURI}`);
        });
      });
      const page = await context.newPage();
      page.on('pageerror', (error) => {
        throw error;
      });
      await page.goto(running().server.url + path);
      return page;
    },
    async join(code, name, site, device = PHONE) {
      const phone = await this.open(device, `/join/${code}`);
      await phone.getByLabel('A neved').fill(name);
      await phone.getByLabel('A településed').fill(site);
      await phone.getByRole('button', { name: 'Belépek' }).click();
      await expect
        .poll(() => phone.getByTestId('connection-state').getAttribute('data-link'))
        .toBe('connected');
      return phone;
    },
  };
}

/** What the Content-Security-Policy blocked on this page (recorded by `useBrowser`). */
export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}
