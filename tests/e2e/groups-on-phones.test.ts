/**
 * Groups on phones, as a resident makes them: a new group is named as it is made (an unnamed one
 * gets a number of its own, so two never look alike), a group is renamed from its heading, and
 * a card put into a group stays in view with a word on where it went. And a button that waits
 * for the server says so instead of looking disabled.
 */
import { listGroups } from '@kaptar/board';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { PHONE, screenshotPath, useBrowser } from '../support/browser.js';
import { cleanupAfterEach } from '../support/cleanup.js';
import { connectControl } from '../support/control-client.js';
import { addCards } from '../support/intents.js';
import { createSession, joinSession } from '../support/server.js';
import { connectSynced } from '../support/yjs-client.js';

const ui = useBrowser();
const { track } = cleanupAfterEach();
const SMALL_PHONE = { ...PHONE, viewport: { width: 360, height: 740 } };
/** A 390 px phone at 200 % zoom: 195 CSS pixels wide. */
const ZOOMED_PHONE = { ...PHONE, viewport: { width: 195, height: 422 }, deviceScaleFactor: 4 };

const CARDS = [
  'Kátyús a főút',
  'Nincs járda az iskoláig',
  'Nincs buszjárat hétvégén',
  'Rossz a közvilágítás',
  'Nincs bolt a faluban',
  'Sáros a dűlőút, ha esik',
];

const card = (page: Page, text: string) =>
  page.getByTestId('card').filter({ has: page.getByTestId('card-text').getByText(text, { exact: true }) });
const groupNames = (page: Page) => page.getByTestId('group-name').allInnerTexts();
const moved = (page: Page) => page.getByTestId('moved-message').innerText();

/** Whether the whole card is on the screen (a smooth scroll may still be on its way). */
const inView = (page: Page, text: string) =>
  card(page, text).evaluate((node) => {
    const box = node.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  });

/** Resolves once the page has stopped scrolling (a smooth scroll drawn half-way is no picture). */
const scrollSettled = (page: Page) =>
  page.evaluate(async () => {
    let last = Number.NaN;
    while (last !== window.scrollY) {
      last = window.scrollY;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  });

/**
 * Nothing sticks out sideways (at 200 % zoom a cut button is a button nobody can press): the
 * page is no wider than the screen, else the elements that reach past its edge, to say which.
 */
const overflow = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.querySelectorAll('body *')]
      .filter((node) => node.getBoundingClientRect().right > width + 0.5)
      .map(
        (node) =>
          `${node.tagName.toLowerCase()}.${node.className} ${Math.round(node.getBoundingClientRect().right)}`,
      );
  });

/** A participant's phone on the workshop's first board, with the cards already written. */
async function workshop(title: string) {
  const session = await createSession(ui.server, title);
  const boardId = session.boards[0]?.id as string;
  const moderator = track(await connectControl(ui.server.url, session.moderatorToken));
  await addCards(moderator, boardId, CARDS);
  const reader = track(await connectSynced(ui.server.wsUrl, boardId, session.moderatorToken));
  const joined = await joinSession(ui.server, session.joinCode, 'Horváth Teri', 'Alsóváros');
  /** `prepare` runs before the board is opened (to hold back what its sockets receive). */
  const open = async (device: object, prepare?: (page: Page) => Promise<void>) => {
    const page = await ui.open(device, '/');
    await prepare?.(page);
    await page.evaluate(
      ([sessionId, identity]) => localStorage.setItem(`kaptar:identity:${sessionId}:participant`, identity),
      [
        session.sessionId,
        JSON.stringify({ sessionId: session.sessionId, role: 'participant', token: joined.participantToken }),
      ] as const,
    );
    await page.goto(`${ui.server.url}/s/${session.sessionId}/b/${boardId}`);
    await card(page, CARDS[0] as string).waitFor();
    return page;
  };
  return { session, boardId, moderator, reader, open };
}

describe('groups on phones', () => {
  it('names a group as it is made, numbers an unnamed one, renames it, and keeps a moved card in view', async () => {
    const { session, boardId, moderator, reader, open } = await workshop('Csoportok telefonon');
    const phone = await open(SMALL_PHONE);

    // The last card, at the bottom of the list, starts a group: the phone asks for its name,
    // offering the card's first words, ready to be typed over.
    const last = 'Sáros a dűlőút, ha esik';
    await card(phone, last).getByLabel('Csoport').selectOption({ label: '+ Új csoport' });
    const name = card(phone, last).getByLabel('Az új csoport neve');
    expect(await name.inputValue()).toBe('Sáros a dűlőút, ha');
    await expect.poll(() => name.evaluate((field) => field === document.activeElement)).toBe(true);
    await phone.screenshot({ path: screenshotPath('groups-naming-360x740') });
    expect(await seriousViolations(phone)).toEqual([]);
    await name.fill('Víz és utak');
    await card(phone, last).getByRole('button', { name: 'Létrehozás' }).click();

    // The card went to the top of the list, into its group: the phone follows it and says where.
    await expect.poll(() => groupNames(phone)).toEqual(['Víz és utak']);
    expect(await phone.getByTestId('group').filter({ hasText: 'Víz és utak' }).getByText(last).count()).toBe(
      1,
    );
    await expect.poll(() => moved(phone)).toBe('A kártya átkerült ide: Víz és utak');
    await expect.poll(() => inView(phone, last)).toBe(true);
    // The menu that was used went with the card's old place: the focus is on the card's menu again.
    expect(
      await card(phone, last)
        .getByLabel('Csoport')
        .evaluate((menu) => menu === document.activeElement),
    ).toBe(true);
    await scrollSettled(phone);
    await phone.screenshot({ path: screenshotPath('groups-moved-360x740') });

    // Two groups made without a name: each has a number of its own.
    for (const text of ['Nincs járda az iskoláig', 'Rossz a közvilágítás']) {
      await card(phone, text).getByLabel('Csoport').selectOption({ label: '+ Új csoport' });
      await card(phone, text).getByLabel('Az új csoport neve').fill('');
      await card(phone, text).getByRole('button', { name: 'Létrehozás' }).click();
    }
    await expect
      .poll(() => groupNames(phone))
      .toEqual(['Víz és utak', 'Névtelen csoport 2', 'Névtelen csoport 3']);
    const options = await card(phone, 'Kátyús a főút')
      .getByLabel('Csoport')
      .locator('option')
      .allInnerTexts();
    expect(options).toEqual([
      'Nincs csoportban',
      'Víz és utak',
      'Névtelen csoport 2',
      'Névtelen csoport 3',
      '+ Új csoport',
    ]);

    // Renamed from its heading; everyone's board has the new name.
    await phone.getByRole('button', { name: 'Átnevezés: Névtelen csoport 2' }).click();
    const title = phone.getByLabel('A csoport neve');
    expect(await title.evaluate((field) => field === document.activeElement)).toBe(true);
    await title.fill('Közlekedés');
    await phone.screenshot({ path: screenshotPath('groups-rename-360x740') });
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.getByRole('button', { name: 'Név mentése' }).click();
    await expect.poll(() => groupNames(phone)).toEqual(['Víz és utak', 'Közlekedés', 'Névtelen csoport 3']);
    await expect
      .poll(() =>
        listGroups(reader.doc)
          .map((group) => group.title)
          .sort(),
      )
      .toEqual(['', 'Közlekedés', 'Víz és utak']);
    expect(
      await phone
        .getByRole('button', { name: 'Átnevezés: Közlekedés' })
        .evaluate((button) => button === document.activeElement),
    ).toBe(true);

    // A loose card put into a named group from the menu: followed and said.
    await card(phone, 'Nincs bolt a faluban').getByLabel('Csoport').selectOption({ label: 'Közlekedés' });
    await expect.poll(() => moved(phone)).toBe('A kártya átkerült ide: Közlekedés');
    await expect.poll(() => inView(phone, 'Nincs bolt a faluban')).toBe(true);

    // At 390 px and at 200 % zoom (195 px) the naming and renaming fields and a long group name
    // fit, nothing cut; a naming given up leaves the card where it was.
    const long = 'Víz, utak és a patak hídja a temető felé';
    for (const [size, device] of [
      ['390x844', PHONE],
      ['195x422', ZOOMED_PHONE],
    ] as const) {
      const other = await open(device);
      const loose = card(other, 'Kátyús a főút');
      await loose.getByLabel('Csoport').selectOption({ label: '+ Új csoport' });
      await other.getByRole('button', { name: 'Átnevezés: Víz és utak' }).click();
      await other.getByLabel('A csoport neve').fill(long);
      expect(await overflow(other)).toEqual([]);
      await other.getByLabel('A csoport neve').scrollIntoViewIfNeeded();
      await other.screenshot({ path: screenshotPath(`groups-rename-${size}`) });
      await loose.getByLabel('Az új csoport neve').scrollIntoViewIfNeeded();
      await other.screenshot({ path: screenshotPath(`groups-naming-${size}`) });
      expect(await seriousViolations(other)).toEqual([]);
      await loose.getByRole('button', { name: 'Mégse' }).click();
      expect(await loose.getByLabel('Az új csoport neve').count()).toBe(0);
      expect(
        await loose
          .getByLabel('Csoport')
          .evaluate((menu: HTMLSelectElement) => menu.selectedOptions[0]?.text),
      ).toBe('Nincs csoportban');
      await other.getByRole('button', { name: 'Név mentése' }).click();
      await loose.getByLabel('Csoport').selectOption({ label: long });
      await expect.poll(() => moved(other)).toBe(`A kártya átkerült ide: ${long}`);
      await expect.poll(() => inView(other, 'Kátyús a főút')).toBe(true);
      expect(await overflow(other)).toEqual([]);
      await scrollSettled(other);
      await other.screenshot({ path: screenshotPath(`groups-moved-${size}`) });
      // Put back, so the next size starts from the same board.
      await loose.getByLabel('Csoport').selectOption({ label: 'Nincs csoportban' });
      await expect.poll(() => moved(other)).toBe('A kártya kikerült a csoportból.');
      await other.getByRole('button', { name: `Átnevezés: ${long}` }).click();
      await other.getByLabel('A csoport neve').fill('Víz és utak');
      await other.getByRole('button', { name: 'Név mentése' }).click();
      await expect.poll(() => groupNames(other)).toEqual(['Víz és utak', 'Közlekedés', 'Névtelen csoport 3']);
    }

    // The moderator's list view on a laptop: the same headings, names and renames.
    const desk = await ui.open(
      { viewport: { width: 1440, height: 900 }, locale: 'hu-HU' },
      `/s/${session.sessionId}#key=${session.moderatorToken}`,
    );
    await desk.getByRole('button', { name: 'Lista', exact: true }).click();
    await expect.poll(() => groupNames(desk)).toEqual(['Víz és utak', 'Közlekedés', 'Névtelen csoport 3']);
    expect(await desk.getByRole('button', { name: /^Átnevezés: / }).count()).toBe(3);
    await desk.screenshot({ path: screenshotPath('groups-list-1440x900') });
    expect(await seriousViolations(desk)).toEqual([]);

    // Grouping locked by the moderator: the rename says why it cannot, instead of failing silently.
    const locked = await moderator.ask('board:settings', { boardId, settings: { groupingLocked: true } });
    expect(locked.ok).toBe(true);
    await expect.poll(() => card(phone, 'Kátyús a főút').getByLabel('Csoport').count()).toBe(0);
    await phone.getByRole('button', { name: 'Átnevezés: Közlekedés' }).click();
    await expect
      .poll(() => phone.getByRole('alert').allInnerTexts())
      .toEqual(['A csoportokat most csak a moderátor rendezheti.']);
    expect(await phone.getByLabel('A csoport neve').count()).toBe(0);
  });

  it('a button waiting for the server looks busy, not disabled, and is not pressed twice', async () => {
    const session = await createSession(ui.server, 'Lassú belépés');
    const page = await ui.open(SMALL_PHONE, `/join/${session.joinCode}`);
    let joins = 0;
    await page.route('**/api/join', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      joins++;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await page.getByLabel('A neved').fill('Lassú Laci');
    await page.getByLabel('A településed').fill('Alsóváros');
    const button = page.getByRole('button', { name: 'Belépés…' });
    await page.getByRole('button', { name: 'Belépek' }).click();
    await expect.poll(() => button.getAttribute('aria-busy')).toBe('true');
    // Not disabled, and in full colour: not the faded look of a button that cannot be used.
    expect(await button.evaluate((node: HTMLButtonElement) => node.disabled)).toBe(false);
    expect(await button.evaluate((node) => getComputedStyle(node).opacity)).toBe('1');
    await page.screenshot({ path: screenshotPath('join-busy-360x740') });
    // A second tap and an Enter while it waits do not join twice (aria-disabled: pressed anyway).
    await button.click({ force: true });
    await page.getByLabel('A neved').press('Enter');
    await page.getByTestId('connection-state').waitFor();
    expect(joins).toBe(1);
  });

  it('a vote on its way shows on its button, which stays in full colour and is not sent twice', async () => {
    const { boardId, moderator, open } = await workshop('Lassú szavazás');
    for (const phase of ['group', 'vote']) {
      expect(await moderator.ask('board:settings', { boardId, settings: { phase } })).toMatchObject({
        ok: true,
      });
    }
    // What the server says over the control connection can be held back, as on a weak link.
    // socket.io starts on HTTP long-polling: the hold works once the phone has moved onto the
    // websocket (its upgrade packet, "5").
    let holding = false;
    let upgraded = false;
    const held: Array<() => void> = [];
    const phone = await open(SMALL_PHONE, (page) =>
      page.routeWebSocket(/\/socket\.io\//, (socket) => {
        const server = socket.connectToServer();
        socket.onMessage((message) => {
          if (message === '5') upgraded = true;
          server.send(message);
        });
        server.onMessage((message) =>
          holding ? held.push(() => socket.send(message)) : socket.send(message),
        );
      }),
    );
    await expect.poll(() => upgraded).toBe(true);
    const first = card(phone, CARDS[0] as string);
    const plus = first.getByRole('button', { name: 'Szavazok erre' });
    await expect.poll(() => plus.isEnabled()).toBe(true);
    holding = true;
    await plus.click();
    await expect.poll(() => plus.getAttribute('aria-busy')).toBe('true');
    expect(await plus.evaluate((node: HTMLButtonElement) => node.disabled)).toBe(false);
    expect(await plus.evaluate((node) => getComputedStyle(node).opacity)).toBe('1');
    await first.screenshot({ path: screenshotPath('vote-busy-360x740') });
    await plus.click({ force: true });
    holding = false;
    for (const send of held.splice(0)) send();
    await expect.poll(() => first.getByTestId('my-votes').innerText()).toBe('Szavazatod erre: 1');
    expect(await plus.getAttribute('aria-busy')).toBe(null);
    // The second press while the first was on its way was not a second vote.
    await phone.waitForTimeout(300);
    expect(await first.getByTestId('my-votes').innerText()).toBe('Szavazatod erre: 1');
  });
});
