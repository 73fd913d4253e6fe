/**
 * The end of a workshop in Chromium: the printable report, read back from its PDF, lists the
 * founded group (its members by settlement, both tasks with owners and dates) and every card of
 * every board, grouped or not, voted or not; the outcome downloads from the report page; the
 * group's follow-up page opens on a phone with no account and says so once its link is renewed.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { newId } from '@kaptar/board';
import { followUpPath } from '@kaptar/protocol';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { PHONE, screenshotPath, useBrowser } from '../support/browser.js';
import { type ControlClient, connectControl } from '../support/control-client.js';
import { foundEveningBus, okAck, threeResidents } from '../support/founded-group.js';
import { addCardIntent, applyIntents, intent } from '../support/intents.js';

const ui = useBrowser();
const clients: ControlClient[] = [];
afterAll(() => {
  for (const client of clients) client.close();
});
const MODERATOR = { viewport: { width: 1440, height: 900 }, locale: 'hu-HU' } as const;

async function control(token: string) {
  const client = await connectControl(ui.server.url, token);
  clients.push(client);
  return client;
}

/** Adds one card as `who` (or, for the moderator, as the resident named) and returns its id. */
async function card(
  who: ControlClient,
  boardId: string,
  text: string,
  kind: 'problem' | 'resource' | 'note',
  { area, onBehalfOf }: { area?: string; onBehalfOf?: string } = {},
) {
  const add = addCardIntent(text, kind, area ? { area } : {});
  const ack = await okAck(who, 'intents', { boardId, intents: [add], ...(onBehalfOf ? { onBehalfOf } : {}) });
  expect(ack.results).toMatchObject([{ ok: true }]);
  return add.cardId;
}

/**
 * Two residents on phones (Anna, Béla) and one without a phone (Cili, entered by the moderator);
 * a problems-and-resources board with a group, loose cards and a vote, and an action plan; one
 * initiative with its members, contact, meeting and two tasks.
 */
async function seeded() {
  const residents = await threeResidents(ui.server, control);
  const { session, moderator, annaPhone, belaPhone, cili } = residents;
  const boardId = session.boards[0]?.id as string;

  const bus = await card(annaPhone, boardId, 'Nincs buszjárat este', 'problem');
  const rare = await card(belaPhone, boardId, 'Ritkán jár a busz', 'problem');
  const doctor = await card(annaPhone, boardId, 'Nincs orvos helyben', 'problem');
  const alone = await card(moderator, boardId, 'Sok idős ember él egyedül', 'problem', { onBehalfOf: cili });
  const van = await card(belaPhone, boardId, 'Az egyháznak van egy kisbusza', 'resource');
  await card(annaPhone, boardId, 'A kultúrház kedd este szabad', 'resource');
  await applyIntents(annaPhone, boardId, [
    intent('group:create', { groupId: newId(), cardIds: [bus, rare], title: 'Közlekedés' }),
  ]);
  await okAck(moderator, 'board:settings', {
    boardId,
    settings: { phase: 'vote', voteBudget: 3, votesHidden: false },
  });
  await okAck(annaPhone, 'vote', { boardId, cardId: bus, delta: 1 });
  await okAck(belaPhone, 'vote', { boardId, cardId: bus, delta: 1 });
  await okAck(moderator, 'vote', { boardId, cardId: doctor, delta: 1, onBehalfOf: cili });
  await okAck(moderator, 'board:settings', { boardId, settings: { phase: 'discuss' } });

  const plan = String(
    (await okAck(moderator, 'board:create', { title: 'Cselekvési terv', template: 'action-plan' })).boardId,
  );
  await card(belaPhone, plan, 'Aláírásgyűjtés a buszjáratért', 'note', { area: 'what' });

  const initiativeId = newId();
  const change = await foundEveningBus(
    residents,
    {
      goal: 'Legyen esti járat a városba',
      changes: [{ boardId, cardId: bus }],
      buildsOn: [{ boardId, cardId: van }],
    },
    initiativeId,
  );
  await change(moderator, { op: 'task:edit', taskId: 't1', done: true });
  const everyCard = [
    'Nincs buszjárat este',
    'Ritkán jár a busz',
    'Nincs orvos helyben',
    'Sok idős ember él egyedül',
    'Az egyháznak van egy kisbusza',
    'A kultúrház kedd este szabad',
    'Aláírásgyűjtés a buszjáratért',
  ];
  expect(alone).toBeTruthy();
  return { session, moderator, annaPhone, initiativeId, everyCard };
}

/** No sideways scrolling: every line fits the screen's width. */
const fitsWidth = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

describe('the end of a workshop: the report and a founded group’s follow-up page', () => {
  it('prints the initiative and every card, downloads the outcome, and shows the follow-up page on phones', async () => {
    const { session, moderator, annaPhone, initiativeId, everyCard } = await seeded();

    const laptop = await ui.open(MODERATOR, `/s/${session.sessionId}#key=${session.moderatorToken}`);
    await expect.poll(() => laptop.getByTestId('card').count()).toBeGreaterThan(0);
    await laptop.goto(`${ui.server.url}/s/${session.sessionId}/report`);
    const report = laptop.getByTestId('report');
    await report.locator('img').nth(1).waitFor();
    expect(await seriousViolations(laptop)).toEqual([]);
    await laptop.screenshot({ path: screenshotPath('report-outcome-1440'), fullPage: true });

    const pdfPath = screenshotPath('report-outcome').replace(/\.png$/, '.pdf');
    await laptop.pdf({ path: pdfPath, format: 'A4', printBackground: true });
    const pdf = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    // The initiative first, as a funder reads it.
    expect(pdf).toMatch(/Megalakult kezdeményezések[\s\S]*Esti kisbusz[\s\S]*Tábla:/);
    expect(pdf).toMatch(/Típus\s+Érdekképviseleti csoportok/);
    expect(pdf).toMatch(/Kapcsolattartó\s+Szabó Béla \(Felsőszer\)/);
    expect(pdf).toMatch(/Következő találkozó\s+2026\. december 9\., szerda 17:00, Kultúrház/);
    expect(pdf).toMatch(/Alsóváros: Kovács Anna, Nagy Cili\s+\(a moderátor rögzítette\)/);
    expect(pdf).toMatch(/Felsőszer: Szabó Béla/);
    expect(pdf).toMatch(
      /✓ Kész\s+Levél a polgármesternek\s+Vállalta: Nagy Cili \(Alsóváros\)\s+\(a moderátor rögzítette\)\s+·\s+Határidő: 2026\. december 15\./,
    );
    expect(pdf).toMatch(
      /Még nincs kész\s+Menetrend összeírása\s+Vállalta: Kovács Anna \(Alsóváros\)\s+·\s+Határidő: 2026\. december 20\./,
    );
    // The linked cards, as text, with the board they are on.
    expect(pdf).toMatch(/Probléma: Nincs buszjárat este \(2 szavazat, tábla: Tábla 1\)/);
    // Every card of every board, as text: grouped, loose, voted or not, entered for Cili.
    for (const text of everyCard) expect(pdf, text).toContain(text);
    expect(pdf).toMatch(/Közlekedés\s+Probléma: Nincs buszjárat este \(Alsóváros, 2 szavazat\)/);
    expect(pdf).toMatch(/Probléma: Sok idős ember él egyedül \(Alsóváros, 0 szavazat\)/);
    expect(pdf).toMatch(/Probléma: Nincs orvos helyben \(Alsóváros, 1 szavazat\)/);
    expect(pdf).toMatch(/Mit\?\s+Ötlet: Aláírásgyűjtés a buszjáratért \(Felsőszer\)/);
    // Cili counts in Alsóváros like anyone: 2 participants there, 1 of them without a phone.
    expect(pdf).toMatch(/Alsóváros\s+2\s+1\s+4/);
    expect(pdf).toMatch(/Felsőszer\s+1\s+0\s+3/);
    expect(pdf).toMatch(/Pillanatképek[\s\S]*: Gyűjtés → Szavazás[\s\S]*: Szavazás → Megbeszélés/);

    // The outcome as Markdown, saved from the report page.
    const [markdown] = await Promise.all([
      laptop.waitForEvent('download'),
      laptop.getByRole('button', { name: 'Markdown' }).click(),
    ]);
    expect(markdown.suggestedFilename()).toMatch(/^alsovarosi-muhely-kezdemenyezesek-\d{4}-\d\d-\d\d\.md$/);
    expect(await readFile((await markdown.path()) ?? '', 'utf8')).toContain('## Esti kisbusz');
    const [tasks] = await Promise.all([
      laptop.waitForEvent('download'),
      laptop.getByRole('button', { name: 'CSV: feladatok' }).click(),
    ]);
    expect((await readFile((await tasks.path()) ?? '', 'utf8')).split('\r\n')[1]).toBe(
      'Esti kisbusz;Levél a polgármesternek;Nagy Cili;Alsóváros;2026-12-15;igen;igen',
    );

    // The follow-up page, on phones of every size, with no account.
    const token = String((await okAck(annaPhone, 'initiative:link', { initiativeId })).token);
    const sizes = [
      { name: '390', viewport: { width: 390, height: 844 } },
      { name: '360', viewport: { width: 360, height: 740 } },
      // A 390 px phone at 200 % zoom.
      { name: '195', viewport: { width: 195, height: 422 } },
    ];
    for (const { name, viewport } of sizes) {
      const phone = await ui.open({ ...PHONE, viewport }, followUpPath(token));
      await expect.poll(() => phone.getByRole('heading', { level: 1 }).innerText()).toBe('Esti kisbusz');
      const page = await phone.getByTestId('follow-up').innerText();
      expect(page).toMatch(/Nagy Cili\s*\(a moderátor rögzítette\)/);
      expect(page).toContain('2026. december 9., szerda 17:00, Kultúrház');
      expect(page).toContain('Levél a polgármesternek');
      expect(page).toContain('Nincs buszjárat este');
      expect(await fitsWidth(phone), name).toBe(true);
      if (name === '390') expect(await seriousViolations(phone)).toEqual([]);
      await phone.screenshot({ path: screenshotPath(`follow-up-${name}`), fullPage: true });
    }

    // Renewed by the moderator, the old link says it no longer works.
    await okAck(moderator, 'initiative:link', { initiativeId, renew: true });
    const old = await ui.open(PHONE, followUpPath(token));
    await expect
      .poll(() => old.getByRole('heading', { level: 1 }).innerText())
      .toBe('Ez a link már nem érvényes');
    expect(await seriousViolations(old)).toEqual([]);
    await old.screenshot({ path: screenshotPath('follow-up-gone-390'), fullPage: true });
  });
});
