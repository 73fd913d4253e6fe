import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { DESKTOP, PHONE, screenshotPath, useBrowser } from '../support/browser.js';

const ui = useBrowser();

/** The moderator's laptop, with a Hungarian browser. */
const LAPTOP = { ...DESKTOP, viewport: { width: 1440, height: 900 } };

/** Today as the server names files: its local day (the test's server runs on this machine). */
function today(): string {
  const now = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
}

/** Creates a workshop from the home page in `language` ('Magyar' or 'Angol', as the Hungarian page says). */
async function createWorkshop(title: string, language: 'Magyar' | 'Angol'): Promise<Page> {
  const moderator = await ui.open(LAPTOP, '/');
  await moderator.getByLabel('A műhely címe').fill(title);
  await moderator.getByRole('radio', { name: language }).check();
  await moderator.getByRole('button', { name: 'Műhely létrehozása' }).click();
  await expect.poll(() => moderator.getByTestId('join-code').count()).toBe(1);
  return moderator;
}

/** A resident joins from a phone and writes one problem card. */
async function problemFromPhone(moderator: Page, text: string) {
  const code = (await moderator.getByTestId('join-code').innerText()).replace(/\s/g, '');
  const phone = await ui.open(PHONE, `/join/${code}`);
  await phone.getByLabel('A neved').fill('Kovács Anna');
  await phone.getByLabel('A településed').fill('Alsóváros');
  await phone.getByRole('button', { name: 'Belépek' }).click();
  // The problems area of the board's template (or, without areas, the problem button).
  await phone.getByRole('button', { name: 'Probléma hozzáadása' }).click();
  await phone.getByLabel(/^Új kártya ide: Problémák|^Új probléma$/).fill(text);
  await phone.getByRole('button', { name: 'Mentés', exact: true }).click();
  await expect.poll(() => moderator.getByTestId('card-text').allInnerTexts()).toEqual([text]);
}

/** Moves the board to the group phase, and opens the snapshots (a tab of the sidebar, where it has tabs). */
async function toGroupPhase(moderator: Page) {
  await moderator.getByRole('button', { name: '2. Csoportosítás' }).click();
  await expect.poll(() => moderator.getByTestId('phase-bar').getAttribute('data-phase')).toBe('group');
  const tab = moderator.getByRole('tab', { name: 'Pillanatképek' });
  if ((await tab.count()) > 0) await tab.click();
}

/** Downloads the snapshot's CSV: its file name and its bytes. */
async function downloadCsv(moderator: Page, snapshotName: string) {
  const snapshot = moderator.getByTestId('snapshot').filter({ hasText: snapshotName });
  const [download] = await Promise.all([
    moderator.waitForEvent('download'),
    snapshot.getByRole('button', { name: 'CSV' }).click(),
  ]);
  return { name: download.suggestedFilename(), bytes: await readFile((await download.path()) ?? '') };
}

describe('the session language in Chromium: every file of a workshop in the language its moderator chose', () => {
  it('offers the choice on the home page, the browser’s language first, readable at phone sizes', async () => {
    const home = await ui.open(LAPTOP, '/');
    expect(await home.getByRole('radio', { name: 'Magyar' }).isChecked()).toBe(true);
    expect(await seriousViolations(home)).toEqual([]);
    await home.screenshot({ path: screenshotPath('session-language-home-1440'), fullPage: true });
    const english = await ui.open({ ...LAPTOP, locale: 'en-GB' }, '/');
    expect(await english.getByRole('radio', { name: 'English' }).isChecked()).toBe(true);

    for (const width of [360, 390, 195]) {
      const phone = await ui.open({ ...PHONE, viewport: { width, height: 844 } }, '/');
      await phone.screenshot({ path: screenshotPath(`session-language-home-${width}`), fullPage: true });
      // Nothing sideways: the choice wraps.
      const wide = await phone.evaluate(
        (limit) =>
          [...document.querySelectorAll('main *')]
            .filter((element) => element.getBoundingClientRect().right > limit + 1)
            .map((element) => `${element.tagName}.${element.className}`),
        width,
      );
      expect(wide).toEqual([]);
      expect(await phone.evaluate(() => document.querySelector('main')?.scrollWidth)).toBeLessThanOrEqual(
        width,
      );
      expect(await seriousViolations(phone)).toEqual([]);
    }
  });

  it('a Hungarian workshop: Hungarian snapshot names, and a CSV Hungarian Excel opens as columns', async () => {
    const moderator = await createWorkshop('Alsóváros műhely', 'Magyar');
    await problemFromPhone(moderator, 'Nincs buszjárat; este sem');
    await toGroupPhase(moderator);

    await expect
      .poll(() => moderator.getByTestId('snapshot').allInnerTexts())
      .toEqual([expect.stringContaining('Gyűjtés → Csoportosítás')]);
    await moderator.screenshot({ path: screenshotPath('session-language-snapshots-hu-1440') });
    const csv = await downloadCsv(moderator, 'Gyűjtés → Csoportosítás');
    expect(csv.name).toBe(`alsovaros-muhely-gyujtes-csoportositas-${today()}.csv`);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, row] = csv.bytes.subarray(3).toString('utf8').split('\r\n');
    expect(header).toBe('típus;szöveg;csoport;szavazat;település;szerző;idő;terület;rögzítette');
    expect(row).toMatch(/^Probléma;"Nincs buszjárat; este sem";;0;Alsóváros;Kovács Anna;\d{4}-/);
  });

  it('an English workshop on the same Hungarian laptop: English files, the interface stays Hungarian', async () => {
    const moderator = await createWorkshop('Riverside workshop', 'Angol');
    await problemFromPhone(moderator, 'No bus, in the evening');
    await toGroupPhase(moderator);

    await expect
      .poll(() => moderator.getByTestId('snapshot').allInnerTexts())
      .toEqual([expect.stringContaining('Collect → Group')]);
    const csv = await downloadCsv(moderator, 'Collect → Group');
    expect(csv.name).toBe(`riverside-workshop-collect-group-${today()}.csv`);
    const [header, row] = csv.bytes.subarray(3).toString('utf8').split('\r\n');
    expect(header).toBe('kind,text,group,votes,settlement,author,time,area,entered by');
    expect(row).toMatch(/^Problem,"No bus, in the evening",,0,Alsóváros,Kovács Anna,\d{4}-/);

    // The report is the session's too: English headings, English picture, on a Hungarian laptop.
    const sessionId = new URL(moderator.url()).pathname.split('/')[2] ?? '';
    await moderator.goto(`${ui.server.url}/s/${sessionId}/report`);
    await expect
      .poll(() => moderator.getByRole('heading', { level: 1 }).innerText())
      .toBe('Workshop report: Riverside workshop');
    expect(await moderator.getByTestId('report').getAttribute('lang')).toBe('en');
    expect(await moderator.getByText('Collect → Group').count()).toBe(1);
    await expect
      .poll(() => moderator.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
    expect(await seriousViolations(moderator)).toEqual([]);
    await moderator.screenshot({ path: screenshotPath('session-language-report-en-1440'), fullPage: true });
    // The device's own language is untouched: back home, the page is still Hungarian.
    await moderator.goto(`${ui.server.url}/`);
    await expect.poll(() => moderator.getByRole('button', { name: 'Műhely létrehozása' }).count()).toBe(1);
  });
});
