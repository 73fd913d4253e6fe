/**
 * The workshop's outcome, founded on phones: a resident proposes an initiative from a group of
 * problem cards with a resource it builds on, a resident of another settlement joins it with one
 * tap and agrees to be its contact, the moderator joins a resident without a phone and takes a
 * task on for them, the proposer takes the other and sets the next meeting; every screen shows
 * it, the projector large; the report, printed to PDF and read back with pdftotext, lists all of
 * it and every card, and its follow-up page opens from the link with no account.
 */
import { execFileSync } from 'node:child_process';
import { newId } from '@kaptar/board';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { DESKTOP, PHONE, screenshotPath, useBrowser } from '../support/browser.js';
import { cleanupAfterEach } from '../support/cleanup.js';
import { connectControl } from '../support/control-client.js';
import { addCards, applyIntents, intent } from '../support/intents.js';
import { createSession } from '../support/server.js';

const ui = useBrowser();
const { track } = cleanupAfterEach();
const MODERATOR_LAPTOP = { ...DESKTOP, viewport: { width: 1440, height: 900 } };
const SMALL_PHONE = { ...PHONE, viewport: { width: 360, height: 740 } };

const PROBLEMS = ['Nincs buszjárat hétvégén', 'Messze van az orvosi rendelő'];
const RESOURCE = 'A faluháznak van egy kisbusza';

/** A resident joins from the join page, as in the room. */
async function joinByPhone(device: object, joinCode: string, name: string, site: string): Promise<Page> {
  const phone = await ui.open(device, `/join/${joinCode}`);
  await phone.getByLabel('A neved').fill(name);
  await phone.getByLabel('A településed').fill(site);
  await phone.getByRole('button', { name: 'Belépek' }).click();
  await phone.getByTestId('card-text').first().waitFor();
  return phone;
}

const details = (page: Page) => page.getByTestId('initiative-details');
const task = (page: Page, text: string) => details(page).getByTestId('task').filter({ hasText: text });
/** Nothing reaches past the screen's right edge (a cut button at 200 % zoom cannot be pressed). */
const overflows = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

describe('initiatives in Chromium', () => {
  it('founded on phones from a group, joined across settlements and for a resident without a phone, shown on the projector, filed in the report', async () => {
    const session = await createSession(ui.server, 'Önsegítő csoportok – Alsóváros');
    const boardId = session.boards[0]?.id as string;
    const control = track(await connectControl(ui.server.url, session.moderatorToken));
    const problems = await addCards(control, boardId, PROBLEMS);
    await addCards(control, boardId, [RESOURCE], 'resource');
    await applyIntents(control, boardId, [
      intent('group:create', { groupId: newId(), cardIds: problems, title: 'Közlekedés' }),
    ]);

    const mari = await joinByPhone(PHONE, session.joinCode, 'Kovács Mari', 'Alsóváros');
    const teri = await joinByPhone(SMALL_PHONE, session.joinCode, 'Horváth Teri', 'Felsőhegy');
    const moderator = await ui.open(
      MODERATOR_LAPTOP,
      `/s/${session.sessionId}#key=${session.moderatorToken}`,
    );
    await moderator.getByTestId('moderator-panel').waitFor();
    const projector = await ui.open(DESKTOP, `/s/${session.sessionId}#key=${session.viewerToken}`);
    await projector.getByTestId('projector').waitFor();

    // Mari proposes from the group: its title is the name, its problems what it would change.
    await mari.getByTestId('group').getByTestId('initiative-from-group').click();
    const form = mari.getByTestId('initiative-form');
    await form.waitFor();
    expect(await form.getByTestId('initiative-name-field').inputValue()).toBe('Közlekedés');
    for (const problem of PROBLEMS) {
      expect(await form.getByTestId('pick-changes').getByLabel(problem).isChecked()).toBe(true);
    }
    expect(await form.getByTestId('pick-builds-on').getByLabel(RESOURCE).isChecked()).toBe(false);
    await form.getByTestId('pick-builds-on').getByLabel(RESOURCE).check();
    await form.getByLabel('Érdekképviseleti csoportok').check();
    await form.getByLabel('Mit szeretne elérni?').fill('Hétvégén is eljussunk az orvoshoz');
    await mari.screenshot({ path: screenshotPath('initiatives-propose-390'), fullPage: true });
    expect(await seriousViolations(mari)).toEqual([]);
    await form.getByTestId('submit-initiative').click();

    // The proposal opens: Mari is its first member.
    await details(mari).waitFor();
    expect(await mari.getByTestId('initiative-title').innerText()).toBe('Közlekedés');
    await mari.getByTestId('you-are-in').waitFor();
    expect(await details(mari).getByTestId('initiative-changes').innerText()).toContain(PROBLEMS[0]);
    expect(await details(mari).getByTestId('initiative-buildsOn').innerText()).toContain(RESOURCE);

    // Teri, of another settlement, finds it in the list and joins with one tap.
    await teri.getByTestId('show-initiatives').click();
    const summary = teri.getByTestId('initiative-summary');
    await expect.poll(() => summary.count()).toBe(1);
    expect(await summary.innerText()).toContain('Érdekképviseleti csoportok');
    expect(await summary.getByTestId('initiative-members').innerText()).toContain('Alsóváros: 1');
    await summary.click();
    await teri.getByRole('button', { name: 'Benne vagyok' }).click();
    await teri.getByTestId('you-are-in').waitFor();
    await teri.getByRole('button', { name: 'Vállalom a kapcsolattartást' }).click();
    await expect.poll(() => teri.getByTestId('initiative-contact').innerText()).toBe('Horváth Teri');
    await expect.poll(() => mari.getByTestId('initiative-contact').innerText()).toBe('Horváth Teri');
    await expect
      .poll(() => details(mari).getByTestId('members-of-site').allInnerTexts())
      .toEqual([expect.stringContaining('Kovács Mari'), expect.stringContaining('Horváth Teri')]);

    // Two tasks; Mari takes the first.
    for (const text of ['Menetrend összeírása', 'Levél a polgármesternek']) {
      await details(mari).getByTestId('task-text').fill(text);
      await details(mari).getByTestId('add-task').click();
      await task(mari, text).waitFor();
    }
    await task(mari, 'Menetrend összeírása').getByTestId('take-task').click();
    await expect
      .poll(() => task(teri, 'Menetrend összeírása').getByTestId('task-owner').innerText())
      .toBe('Vállalta: Kovács Mari');

    // The next meeting, set by its proposer.
    await details(mari).getByTestId('edit-meeting').click();
    await details(mari).getByLabel('Nap').fill('2026-12-12');
    await details(mari).getByLabel('Időpont (nem kötelező)').fill('17:00');
    await details(mari).getByLabel('Helyszín').fill('Faluház');
    await details(mari).getByRole('button', { name: 'Mentés' }).click();
    await expect
      .poll(() => teri.getByTestId('initiative-meeting').innerText())
      .toBe('2026. december 12., szombat 17:00, Faluház');
    // Teri is its contact: she may change it too.
    expect(await details(teri).getByTestId('edit-meeting').count()).toBe(1);

    // The moderator adds a resident without a phone, joins her and takes the letter on for her.
    const added = await control.ask('session:add-resident', { name: 'Kiss Jánosné', site: 'Felsőhegy' });
    expect(added).toMatchObject({ ok: true });
    await moderator.getByTestId('show-initiatives').click();
    await moderator.getByTestId('initiative-summary').click();
    await details(moderator).waitFor();
    // The moderator helps; residents join: no "Benne vagyok" for the moderator as themselves.
    expect(await details(moderator).getByTestId('join-initiative').count()).toBe(0);
    await actFor(moderator, 'Kiss Jánosné');
    await details(moderator).getByTestId('join-for-resident').click();
    await task(moderator, 'Levél a polgármesternek').getByTestId('take-task-for-resident').click();
    await expect
      .poll(() => task(mari, 'Levél a polgármesternek').getByTestId('task-owner').innerText())
      .toBe('Vállalta: Kiss Jánosné a moderátor rögzítette');
    await expect
      .poll(() => details(teri).getByTestId('members-of-site').allInnerTexts())
      .toEqual([
        expect.stringContaining('Kovács Mari'),
        expect.stringMatching(/Horváth Teri[\s\S]*Kiss Jánosné\s+a moderátor rögzítette/),
      ]);

    // Mari's own tasks, on top of the list.
    await mari.getByRole('button', { name: /Vissza a listához/ }).click();
    const mine = mari.getByTestId('my-tasks');
    await mine.waitFor();
    expect(await mine.getByTestId('task-text-shown').allInnerTexts()).toEqual(['Menetrend összeírása']);

    // The follow-up page's link and QR code for a member.
    await mari.getByTestId('initiative-summary').click();
    await details(mari).getByTestId('show-follow-up').click();
    const followUpUrl = await details(mari).getByTestId('follow-up-url').innerText();
    expect(followUpUrl).toMatch(/\/k\/[\w-]{20,}$/);
    await details(mari).getByTestId('follow-up').getByTestId('join-qr').waitFor();

    // On the projector, large, until the moderator takes it off.
    await moderator.getByRole('button', { name: /Vissza a listához/ }).click();
    await moderator.getByTestId('initiatives-on-screen').click();
    const projected = projector.getByTestId('projected-initiative');
    await projected.waitFor();
    expect(await projected.getByTestId('projected-name').innerText()).toBe('Közlekedés');
    expect(await projected.getByTestId('projected-members').innerText()).toBe(
      '3 tag · Alsóváros: 1 · Felsőhegy: 2',
    );
    expect(await projected.getByTestId('projected-contact').innerText()).toBe('Kapcsolattartó: Horváth Teri');
    expect(await projected.getByTestId('projected-meeting').innerText()).toContain('Faluház');
    expect(await projected.getByTestId('projected-tasks').innerText()).toContain(
      'Levél a polgármesternek – Kiss Jánosné',
    );
    const nameSize = await projected
      .getByTestId('projected-name')
      .evaluate((node) => Number.parseFloat(getComputedStyle(node).fontSize));
    expect(nameSize).toBeGreaterThanOrEqual(36);
    await projector.screenshot({ path: screenshotPath('initiatives-projector-1920x1080') });
    expect(await seriousViolations(projector)).toEqual([]);

    await moderator.screenshot({ path: screenshotPath('initiatives-moderator-list-1440x900') });
    expect(await seriousViolations(moderator)).toEqual([]);
    await moderator.getByTestId('initiative-summary').click();
    await moderator.screenshot({ path: screenshotPath('initiatives-moderator-details-1440x900') });
    expect(await seriousViolations(moderator)).toEqual([]);

    // Phones: the list and the details at 390, 360 and 195 px (200 % zoom), nothing cut off.
    for (const [page, width] of [
      [mari, 390],
      [teri, 360],
      [teri, 195],
    ] as const) {
      await page.setViewportSize({ width, height: width === 195 ? 422 : 800 });
      await page.getByRole('button', { name: /Vissza a listához/ }).click();
      await page.getByTestId('initiative-summary').waitFor();
      await page.screenshot({ path: screenshotPath(`initiatives-list-${width}`), fullPage: true });
      expect(await overflows(page)).toBe(false);
      await page.getByTestId('initiative-summary').click();
      await details(page).waitFor();
      await page.screenshot({ path: screenshotPath(`initiatives-details-${width}`), fullPage: true });
      expect(await overflows(page)).toBe(false);
    }
    expect(await seriousViolations(teri)).toEqual([]);

    // Off the projector: the board is back.
    await moderator.getByRole('button', { name: /Vissza a listához/ }).click();
    await moderator.getByTestId('initiatives-on-screen').click();
    await expect.poll(() => projector.getByTestId('projector-initiatives').count()).toBe(0);

    // The report the programme files, printed to PDF and read back: the founded group with its
    // members by settlement, contact, meeting and both tasks with their owners, and every card.
    const report = moderator;
    await report.goto(`${ui.server.url}/s/${session.sessionId}/report`);
    await report.getByTestId('report').locator('img').first().waitFor();
    const pdfPath = screenshotPath('initiatives-report').replace(/\.png$/, '.pdf');
    await report.pdf({ path: pdfPath, format: 'A4', printBackground: true });
    const pdf = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' }).replace(
      /\s+/g,
      ' ',
    );
    for (const text of [
      'Közlekedés',
      'Érdekképviseleti csoportok',
      'Hétvégén is eljussunk az orvoshoz',
      'Alsóváros: Kovács Mari',
      'Felsőhegy: Horváth Teri, Kiss Jánosné (a moderátor rögzítette)',
      'Horváth Teri (Felsőhegy)',
      '2026. december 12., szombat 17:00, Faluház',
      'Menetrend összeírása',
      'Vállalta: Kovács Mari (Alsóváros)',
      'Levél a polgármesternek',
      'Vállalta: Kiss Jánosné (Felsőhegy) (a moderátor rögzítette)',
      ...PROBLEMS,
      RESOURCE,
    ]) {
      expect(pdf).toContain(text);
    }

    // Its follow-up page, opened from the link with no account, after the day.
    const page = await ui.open(PHONE, new URL(followUpUrl).pathname);
    await expect.poll(() => page.locator('body').innerText()).toContain('Levél a polgármesternek');
    expect(await page.locator('body').innerText()).toContain('Kiss Jánosné');
  });
});

/** The moderator enters things for a resident without a phone (the participant list's acting-for mode). */
async function actFor(moderator: Page, name: string): Promise<void> {
  await moderator.getByRole('tab', { name: 'Résztvevők' }).click();
  await moderator.getByRole('listitem').filter({ hasText: name }).getByTestId('act-for').click();
  await moderator.getByTestId('on-behalf-bar').waitFor();
}
