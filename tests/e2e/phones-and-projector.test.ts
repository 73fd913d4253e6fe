import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { DESKTOP, PHONE, screenshotPath, useBrowser } from '../support/browser.js';
import { decodeQr } from '../support/qr.js';

const ui = useBrowser();

const SMALL_PHONE = { ...PHONE, viewport: { width: 360, height: 740 } };

const linkOf = (page: Page) => page.getByTestId('connection-state').getAttribute('data-link');
const texts = (page: Page) => page.getByTestId('card-text').allInnerTexts();

/** A moderator's workshop with two listed settlements; returns the moderator's page and the code. */
async function workshop(title: string) {
  const moderator = await ui.open(DESKTOP, '/');
  await moderator.getByLabel('A műhely címe').fill(title);
  await moderator.getByRole('button', { name: 'Műhely létrehozása' }).click();
  const code = (await moderator.getByTestId('join-code').innerText()).replace(/\s/g, '');
  await moderator.getByRole('tab', { name: 'Települések' }).click();
  for (const site of ['Alsóváros', 'Felsőtelep']) {
    await moderator.getByLabel('Település neve').fill(site);
    await moderator.getByRole('button', { name: 'Hozzáadás', exact: true }).click();
    await expect.poll(() => moderator.getByRole('button', { name: `Törlés: ${site}` }).count()).toBe(1);
  }
  return { moderator, code };
}

async function joinFromPhone(code: string, name: string, site: string, options: object = PHONE) {
  const page = await ui.open(options, `/join/${code}`);
  await page.getByLabel('A neved').fill(name);
  await page.getByLabel(site, { exact: true }).check();
  await page.getByRole('button', { name: 'Belépek' }).click();
  await expect.poll(() => linkOf(page)).toBe('connected');
  return { page, context: page.context() };
}

describe('phones, projector and weak networks in Chromium', () => {
  it('a phone that loses signal keeps adding cards; they arrive exactly once when it is back', async () => {
    const { moderator, code } = await workshop('Offline próba');
    const { page: phone, context } = await joinFromPhone(code, 'Varga Ilona', 'Felsőtelep');

    await context.setOffline(true);
    await expect.poll(() => linkOf(phone)).toBe('offline');
    await expect.poll(() => phone.getByTestId('connection-state').innerText()).toContain('Nincs internet');
    for (const text of ['Nincs bolt a faluban', 'Sok a gyom a temetőben', 'Van három nyugdíjas asztalos']) {
      await phone.getByRole('button', { name: 'Probléma hozzáadása' }).click();
      await phone.getByLabel('Új probléma').fill(text);
      await phone.getByRole('button', { name: 'Mentés', exact: true }).click();
    }
    expect(await texts(phone)).toHaveLength(3);
    await phone.screenshot({ path: screenshotPath('phones-offline-390x844'), fullPage: true });
    expect(await texts(moderator)).toEqual([]);

    await context.setOffline(false);
    await expect.poll(() => linkOf(phone), { timeout: 15_000 }).toBe('connected');
    // The control connection comes back on its own schedule (socket.io's backoff, at most 2 s).
    await expect
      .poll(() => texts(moderator).then((all) => [...all].sort()), { timeout: 10_000 })
      .toEqual(['Nincs bolt a faluban', 'Sok a gyom a temetőben', 'Van három nyugdíjas asztalos']);
    // Exactly three, also after a while: nothing duplicated by the reconnect.
    await phone.waitForTimeout(500);
    expect(await texts(moderator)).toHaveLength(3);
  });

  it('a reload keeps the participant, their settlement and their votes', async () => {
    const { moderator, code } = await workshop('Újratöltés próba');
    const { page: phone } = await joinFromPhone(code, 'Kiss Ottó', 'Alsóváros');
    await phone.getByRole('button', { name: 'Erőforrás hozzáadása' }).click();
    await phone.getByLabel('Új erőforrás').fill('Üres a kultúrház');
    await phone.getByRole('button', { name: 'Mentés', exact: true }).click();
    await moderator.getByRole('button', { name: '3. Szavazás' }).click();
    await phone.getByRole('button', { name: 'Szavazok erre' }).click();
    await expect.poll(() => phone.getByTestId('my-votes').innerText()).toBe('Szavazatod erre: 1');

    await phone.reload();
    await expect.poll(() => linkOf(phone)).toBe('connected');
    await expect.poll(() => phone.getByTestId('my-votes').innerText()).toBe('Szavazatod erre: 1');
    expect(await phone.getByTestId('votes-left').innerText()).toBe('Még 4 szavazatod van');
    const listed = moderator.getByTestId('participant').filter({ hasText: 'Kiss Ottó' });
    await expect.poll(() => listed.count()).toBe(1);
    expect(await listed.getByTestId('site').innerText()).toBe('Alsóváros');
  });

  it('the projector shows the board, the code, a QR code of the join link and people per settlement', async () => {
    const { moderator, code } = await workshop('Kivetítő próba');
    await joinFromPhone(code, 'Molnár Éva', 'Alsóváros');
    await joinFromPhone(code, 'Fekete Gábor', 'Alsóváros');
    await joinFromPhone(code, 'Fehér Zsófia', 'Felsőtelep');
    const joinLink = await moderator.getByTestId('join-link').getAttribute('href');
    const projectorUrl = new URL((await moderator.getByTestId('projector-link').getAttribute('href')) ?? '');

    const projector = await ui.open(DESKTOP, projectorUrl.pathname + projectorUrl.hash);
    await expect
      .poll(() => projector.getByTestId('people-by-site').innerText())
      .toMatch(/Alsóváros\s*2\s*Felsőtelep\s*1/);
    expect((await projector.getByTestId('join-code').innerText()).replace(/\s/g, '')).toBe(code);
    const qr = await projector.getByTestId('join-qr').screenshot();
    expect(decodeQr(qr)).toBe(joinLink);
    await projector.screenshot({ path: screenshotPath('projector-1920x1080') });
    expect(await seriousViolations(projector)).toEqual([]);
  });

  it('has no serious accessibility problems, fits 360 px without sideways scrolling, and speaks both languages', async () => {
    const { moderator, code } = await workshop('Akadálymentesség');
    const { page: small } = await joinFromPhone(code, 'Szabó Rozália', 'Felsőtelep', SMALL_PHONE);
    await small.getByRole('button', { name: 'Probléma hozzáadása' }).click();
    await small.getByLabel('Új probléma').fill('A járda nagyon rossz állapotban van a buszmegállónál');
    await small.getByRole('button', { name: 'Mentés', exact: true }).click();
    await expect.poll(() => texts(moderator)).toHaveLength(1);

    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await small.screenshot({ path: screenshotPath('phone-360x740'), fullPage: true });
    expect(await seriousViolations(small)).toEqual([]);
    expect(await seriousViolations(moderator)).toEqual([]);
    await moderator.screenshot({ path: screenshotPath('moderator-1920x1080') });

    // English, from the switch, remembered across a reload.
    await small.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => small.getByRole('button', { name: 'Add a problem' }).count()).toBe(1);
    await small.reload();
    await expect.poll(() => small.getByRole('button', { name: 'Add a problem' }).count()).toBe(1);
    expect(await small.getByText('1 card', { exact: true }).count()).toBe(1);
    expect(await small.evaluate(() => document.documentElement.lang)).toBe('en');
    await small.screenshot({ path: screenshotPath('phone-360x740-en'), fullPage: true });

    // A browser that prefers English starts in English (the page mounts once its words arrive, a
    // chunk of their own, so nothing shows in Hungarian first).
    const english = await ui.open({ ...PHONE, locale: 'en-GB' }, '/');
    await expect.poll(() => english.getByRole('heading', { name: 'Join a workshop' }).count()).toBe(1);
    expect(await english.getByRole('heading', { name: 'Csatlakozás egy műhelyhez' }).count()).toBe(0);
  });

  it('works from the keyboard alone on a desktop: add, vote and group from the list view', async () => {
    const { moderator, code } = await workshop('Billentyűzet');
    const { page: phone } = await joinFromPhone(code, 'Balogh Imre', 'Alsóváros');
    await moderator.getByRole('button', { name: 'Lista' }).click();

    await moderator.getByRole('button', { name: 'Probléma hozzáadása' }).focus();
    await moderator.keyboard.press('Enter');
    await moderator.keyboard.type('Nincs játszótér');
    await moderator.keyboard.press('Control+Enter');
    await moderator.getByRole('button', { name: 'Probléma hozzáadása' }).focus();
    await moderator.keyboard.press('Enter');
    await moderator.keyboard.type('Nincs focipálya');
    await moderator.keyboard.press('Control+Enter');
    await expect.poll(() => texts(phone)).toHaveLength(2);

    // Group with the keyboard: the card's group menu.
    const first = moderator.getByTestId('card').filter({ hasText: 'Nincs játszótér' });
    await first.getByLabel('Csoport').focus();
    await first.getByLabel('Csoport').selectOption({ label: '+ Új csoport' });
    // The name field takes the focus with the card's words selected: typing replaces them, Enter makes the group.
    await expect
      .poll(() =>
        first.getByLabel('Az új csoport neve').evaluate((field) => field === document.activeElement),
      )
      .toBe(true);
    await moderator.keyboard.type('Sport');
    await moderator.keyboard.press('Enter');
    await expect.poll(() => moderator.getByTestId('group').count()).toBe(1);
    const second = moderator.getByTestId('card').filter({ hasText: 'Nincs focipálya' });
    await second.getByLabel('Csoport').selectOption({ label: 'Sport' });
    await expect.poll(() => phone.getByTestId('group').getByTestId('card').count()).toBe(2);

    // Votes from the keyboard (the phone's participant; moderators do not vote).
    await moderator.getByRole('button', { name: '3. Szavazás' }).press('Enter');
    const vote = phone
      .getByTestId('card')
      .filter({ hasText: 'Nincs focipálya' })
      .getByRole('button', { name: 'Szavazok erre' });
    await vote.focus();
    await phone.keyboard.press('Enter');
    await expect.poll(() => moderator.getByTestId('vote-total').getAttribute('title')).toBe('1 szavazat');
  });
});
