/**
 * A founded group's follow-up page printed in Chromium, for the village notice board or a member
 * without a smartphone: one A4 sheet, read back from its PDF, with the group's name, its members
 * by settlement, its tasks with owners and dates, its meeting, and the live page's address as
 * text and as a QR code that a phone reads off the paper; in the session's language.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { type Language, newId } from '@kaptar/board';
import { followUpPath } from '@kaptar/protocol';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { PHONE, screenshotPath, useBrowser } from '../support/browser.js';
import { type ControlClient, connectControl } from '../support/control-client.js';
import { foundEveningBus, okAck, threeResidents } from '../support/founded-group.js';
import { decodeQr } from '../support/qr.js';

const ui = useBrowser();
const clients: ControlClient[] = [];
afterAll(() => {
  for (const client of clients) client.close();
});
/** An A4 page at 96 dpi, as the print view is looked at. */
const A4_VIEW = { viewport: { width: 794, height: 1123 }, locale: 'hu-HU' } as const;

async function control(token: string) {
  const client = await connectControl(ui.server.url, token);
  clients.push(client);
  return client;
}

/**
 * "Esti kisbusz", founded by Anna (Alsóváros) with Béla (Felsőszer, the contact) and Cili
 * (Alsóváros, no phone: entered by the moderator); a meeting and two tasks with owners and dates.
 * Returns the follow-up page's path.
 */
async function founded(lang: Language, moreTasks = 0) {
  const residents = await threeResidents(ui.server, control, lang);
  const { moderator, annaPhone, cili } = residents;
  const initiativeId = newId();
  const change = await foundEveningBus(residents, { goal: 'Legyen esti járat' }, initiativeId);
  for (let n = 1; n <= moreTasks; n++) {
    await change(moderator, {
      op: 'task:add',
      taskId: `m${n}`,
      text: `Teendő ${n}: ${'szervezés '.repeat(8)}`,
      due: '2027-01-10',
    });
    await change(moderator, { op: 'task:take', taskId: `m${n}` }, cili);
  }
  return followUpPath(String((await okAck(annaPhone, 'initiative:link', { initiativeId })).token));
}

/** Opens the page and waits until the sheet's QR code is drawn (it is fetched after the page). */
async function opened(path: string, device: Parameters<typeof ui.open>[0]) {
  const page = await ui.open(device, path);
  await page.getByTestId('sheet-link').getByTestId('join-qr').waitFor({ state: 'attached' });
  return page;
}

/** The page printed as Chromium's print dialog would, with the page's own @page size and margins. */
async function printed(page: Page, name: string) {
  const pdfPath = screenshotPath(name).replace(/\.png$/, '.pdf');
  await page.pdf({ path: pdfPath, preferCSSPageSize: true, printBackground: true });
  const info = execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' });
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  return { pdfPath, info, text };
}

const fitsWidth = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

describe('a founded group’s follow-up page, printed as one sheet', () => {
  it('prints the group, its members, tasks and meeting on one A4 page, with its own address as text and QR', async () => {
    const path = await founded('hu');
    const laptop = await opened(path, A4_VIEW);
    const href = await laptop.evaluate(() => location.href);
    const readable = href.replace(/^https?:\/\//, '');

    // On screen: the button, not the sheet's foot.
    const button = laptop.getByRole('button', { name: 'Nyomtatás' });
    expect(await button.isVisible()).toBe(true);
    expect(await laptop.getByTestId('sheet-link').isVisible()).toBe(false);
    expect(await seriousViolations(laptop)).toEqual([]);

    const { pdfPath, info, text } = await printed(laptop, 'follow-up-print');
    expect(info).toMatch(/^Pages:\s+1$/m);
    // A4, whatever paper the browser would otherwise pick.
    expect(info).toMatch(/^Page size:.*\(A4\)$/m);
    expect(text).toContain('Esti kisbusz');
    expect(text).toMatch(/Kapcsolattartó\s+Szabó Béla \(Felsőszer\)/);
    expect(text).toMatch(/Következő találkozó\s+2026\. december 9\., szerda 17:00, Kultúrház/);
    expect(text).toMatch(/Alsóváros: Kovács Anna, Nagy Cili\s+\(a moderátor rögzítette\)/);
    expect(text).toMatch(/Felsőszer: Szabó Béla/);
    expect(text).toMatch(
      /Levél a polgármesternek\s+Vállalta: Nagy Cili \(Alsóváros\)\s+\(a moderátor rögzítette\)\s+·\s+Határidő:\s+2026\. december 15\./,
    );
    expect(text).toMatch(
      /Menetrend összeírása\s+Vállalta: Kovács Anna \(Alsóváros\)\s+·\s+Határidő:\s+2026\. december 20\./,
    );
    expect(text).toMatch(/Telefonnal: olvassa be a kódot/);
    // The address as one may type it, however the line breaks it.
    expect(text.replace(/\s+/g, '')).toContain(readable);
    expect(text).toMatch(/Nyomtatva: \d{4}\. [a-zá-ű]+ \d{1,2}\. A legfrissebb/);
    // Nothing of the screen's: no button, no note about reading the page.
    expect(text).not.toContain('Nyomtatás');
    expect(text).not.toContain('csak olvasni lehet');

    // A phone reads the code off the paper (the PDF at 150 dpi) and off the print view.
    execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', pdfPath, pdfPath.replace(/\.pdf$/, '')]);
    expect(decodeQr(await readFile(pdfPath.replace(/\.pdf$/, '.png')))).toBe(href);
    await laptop.emulateMedia({ media: 'print' });
    expect(await button.isVisible()).toBe(false);
    expect(await laptop.getByTestId('sheet-link').isVisible()).toBe(true);
    expect(await seriousViolations(laptop)).toEqual([]);
    const view = await laptop.screenshot({ path: screenshotPath('follow-up-print-794'), fullPage: true });
    expect(decodeQr(view)).toBe(href);

    // On phones the button and what it is for, within the screen; at 200 % zoom too.
    for (const [name, viewport] of [
      ['390', { width: 390, height: 844 }],
      ['195', { width: 195, height: 422 }],
    ] as const) {
      const phone = await opened(path, { ...PHONE, viewport });
      expect(await phone.getByRole('button', { name: 'Nyomtatás' }).isVisible()).toBe(true);
      expect(await phone.getByTestId('follow-up').innerText()).toContain('Egy oldal a falu hirdetőtáblájára');
      expect(await fitsWidth(phone), name).toBe(true);
      if (name === '390') expect(await seriousViolations(phone)).toEqual([]);
      await phone.screenshot({ path: screenshotPath(`follow-up-print-button-${name}`), fullPage: true });
    }

    // The button opens the browser's print dialog (last: the page stays in it).
    const phone = await opened(path, PHONE);
    await phone.evaluate(() => {
      window.addEventListener('beforeprint', () => document.body.setAttribute('data-printing', ''));
    });
    await phone.getByRole('button', { name: 'Nyomtatás' }).click();
    await expect.poll(() => phone.locator('body[data-printing]').count()).toBe(1);
  });

  it('prints an English session’s sheet in English, on a Hungarian browser', async () => {
    const path = await founded('en');
    const page = await opened(path, A4_VIEW);
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(true);
    const { info, text } = await printed(page, 'follow-up-print-en');
    expect(info).toMatch(/^Pages:\s+1$/m);
    expect(text).toMatch(/With a phone: scan the code/);
    expect(text).toMatch(/Printed on [A-Z][a-z]+ \d{1,2}, \d{4}\./);
    expect(text).toMatch(/Menetrend összeírása\s+Taken on by Kovács Anna \(Alsóváros\)/);
    expect(text).not.toMatch(/Telefonnal|Nyomtatva|Vállalta/);
  });

  it('carries a long task list over to a second page without cutting a task in two', async () => {
    const page = await opened(await founded('hu', 14), A4_VIEW);
    const { pdfPath, info } = await printed(page, 'follow-up-print-long');
    const pages = Number(/^Pages:\s+(\d+)$/m.exec(info)?.[1]);
    expect(pages).toBeGreaterThan(1);
    const onPage = (n: number) =>
      execFileSync('pdftotext', ['-layout', '-f', String(n), '-l', String(n), pdfPath, '-'], {
        encoding: 'utf8',
      });
    const seen: number[] = [];
    for (let n = 1; n <= pages; n++) {
      const text = onPage(n);
      // Each task on this page with its owner and date: the line under it did not go to the next.
      for (const [, task] of text.matchAll(/Teendő (\d+):/g)) {
        seen.push(Number(task));
        expect(text, `task ${task} on page ${n}`).toMatch(
          new RegExp(
            `Teendő ${task}:[\\s\\S]*?Vállalta: Nagy Cili[\\s\\S]*?Határidő:\\s+2027\\. január 10\\.`,
          ),
        );
      }
    }
    expect(seen).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    // The address ends the sheet, whole, on its last page.
    expect(onPage(pages)).toMatch(/Telefonnal: olvassa be a kódot[\s\S]*Nyomtatva/);
  });
});
