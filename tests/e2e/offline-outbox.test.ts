import { listCards, listGroups } from '@kaptar/board';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { PHONE, screenshotPath, useBrowser } from '../support/browser.js';
import { type ControlClient, connectControl } from '../support/control-client.js';
import { createSession } from '../support/server.js';
import { type BoardClient, connectSynced } from '../support/yjs-client.js';

const ui = useBrowser();
const open: Array<BoardClient | ControlClient> = [];
afterAll(() => {
  for (const client of open) 'destroy' in client ? client.destroy() : client.close();
});

const linkOf = (page: Page) => page.getByTestId('connection-state').getAttribute('data-link');
const card = (page: Page, text: string) =>
  page.getByTestId('card').filter({ has: page.getByTestId('card-text').getByText(text, { exact: true }) });

async function joinOnPhone(code: string): Promise<Page> {
  const phone = await ui.open(PHONE, `/join/${code}`);
  await phone.getByLabel('A neved').fill('Varga Ilona');
  await phone.getByLabel('A településed').fill('Felsőtelep');
  await phone.getByRole('button', { name: 'Belépek' }).click();
  await expect.poll(() => linkOf(phone)).toBe('connected');
  return phone;
}

async function addOnPhone(phone: Page, text: string): Promise<void> {
  await phone.getByRole('button', { name: 'Probléma hozzáadása' }).click();
  await phone.getByLabel('Új probléma').fill(text);
  await phone.getByRole('button', { name: 'Mentés', exact: true }).click();
}

describe('a phone offline: the outbox', () => {
  it('keeps 30 changes made offline (add, edit, group) and lands each exactly once, in order, over two reconnects; a refused one is shown to its author', async () => {
    const session = await createSession(ui.server, 'Kiesett a térerő');
    const boardId = session.boards[0]?.id as string;
    const reader = await connectSynced(ui.server.wsUrl, boardId, session.moderatorToken);
    const moderator = await connectControl(ui.server.url, session.moderatorToken);
    open.push(reader, moderator);
    const phone = await joinOnPhone(session.joinCode);
    const context = phone.context();

    // Offline: ten cards, each edited, all put into one new group: 30 intents in the outbox.
    await context.setOffline(true);
    await expect.poll(() => linkOf(phone)).toBe('offline');
    const texts = Array.from({ length: 10 }, (_, i) => `Gond ${i + 1}`);
    for (const text of texts) await addOnPhone(phone, text);
    for (const text of texts) {
      // By id: while it is edited, the card's text is in a text field, not in the card.
      const id = await card(phone, text).getAttribute('data-card-id');
      const item = phone.locator(`[data-card-id="${id}"]`);
      await item.getByRole('button', { name: 'Szerkesztés' }).click();
      await item.getByLabel('A kártya szövege').fill(`${text} (javítva)`);
      await item.getByRole('button', { name: 'Mentés', exact: true }).click();
    }
    const first = card(phone, 'Gond 1 (javítva)');
    await first.getByLabel('Csoport').selectOption({ label: '+ Új csoport' });
    await first.getByLabel('Az új csoport neve').fill('Gondok');
    await first.getByRole('button', { name: 'Létrehozás' }).click();
    for (const text of texts.slice(1)) {
      await card(phone, `${text} (javítva)`).getByLabel('Csoport').selectOption({ label: 'Gondok' });
    }
    await expect.poll(() => phone.getByTestId('outbox-waiting').innerText()).toBe('30 változás vár küldésre');
    await expect.poll(() => phone.getByTestId('group').getByTestId('card').count()).toBe(10);
    await phone.screenshot({ path: screenshotPath('outbox-offline-390x844'), fullPage: true });
    expect(listCards(reader.doc)).toEqual([]);

    // Back, briefly gone again (with one more card), back again.
    await context.setOffline(false);
    await expect.poll(() => linkOf(phone), { timeout: 15_000 }).toBe('connected');
    await context.setOffline(true);
    await addOnPhone(phone, 'Gond 11');
    await context.setOffline(false);
    await expect.poll(() => linkOf(phone), { timeout: 15_000 }).toBe('connected');
    await expect.poll(() => listCards(reader.doc).length, { timeout: 15_000 }).toBe(11);
    await expect.poll(() => phone.getByTestId('outbox-waiting').count(), { timeout: 10_000 }).toBe(0);

    // Exactly once, in order: every edit landed on its card, every card in the one group.
    const cards = listCards(reader.doc);
    expect(cards.map((c) => c.text)).toEqual([...texts.map((text) => `${text} (javítva)`), 'Gond 11']);
    const [group, ...others] = listGroups(reader.doc);
    expect(others).toEqual([]);
    expect(cards.filter((c) => c.groupId === group?.id)).toHaveLength(10);
    expect(new Set(cards.map((c) => c.site))).toEqual(new Set(['Felsőtelep']));

    // Offline again, a card is written; meanwhile the moderator closes the board for new cards.
    await context.setOffline(true);
    await expect.poll(() => linkOf(phone)).toBe('offline');
    await addOnPhone(phone, 'Késői gond');
    const late = phone.locator(
      `[data-card-id="${await card(phone, 'Késői gond').getAttribute('data-card-id')}"]`,
    );
    await late.getByRole('button', { name: 'Szerkesztés' }).click();
    await late.getByLabel('A kártya szövege').fill('Késői gond, átírva');
    await late.getByRole('button', { name: 'Mentés', exact: true }).click();
    const closed = await moderator.ask('board:settings', { boardId, settings: { phase: 'discuss' } });
    expect(closed.ok).toBe(true);
    await context.setOffline(false);
    const refused = phone.getByTestId('outbox-refused');
    await expect
      .poll(() => refused.innerText(), { timeout: 15_000 })
      .toContain('Ebben a szakaszban ezt most nem lehet.');
    // The edit of the refused card is refused with it.
    await expect.poll(() => refused.getByRole('listitem').count()).toBe(2);
    expect(await refused.innerText()).toContain('Új kártya: „Késői gond”');
    expect(await refused.innerText()).toContain('Kártya átírása: „Késői gond, átírva”');
    await phone.screenshot({ path: screenshotPath('outbox-refused-390x844'), fullPage: true });
    // At 200 % zoom (195 px wide) the refusal and its buttons still fit, nothing cut sideways.
    await phone.setViewportSize({ width: 195, height: 422 });
    await phone.screenshot({ path: screenshotPath('outbox-refused-195x422'), fullPage: true });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(195);
    await phone.setViewportSize({ width: 390, height: 844 });
    // The moderator's laptop: the switches (grouping lock) and, per resident, undo and remove.
    const desk = await ui.open(
      { viewport: { width: 1440, height: 900 }, locale: 'hu-HU' },
      `/s/${session.sessionId}#key=${session.moderatorToken}`,
    );
    // The sidebar is tabs: the people in one, the switches in another.
    await desk.getByRole('tab', { name: 'Résztvevők' }).click();
    await expect.poll(() => desk.getByRole('button', { name: 'Változtatásai visszavonása' }).count()).toBe(1);
    await desk.getByRole('tab', { name: 'Beállítások' }).click();
    // The moderator's panel is loaded on demand, after the board is there.
    await desk.getByLabel('Csoportosítani csak a moderátor tud').waitFor();
    await desk.screenshot({ path: screenshotPath('moderator-tools-1440x900') });
    expect(listCards(reader.doc)).toHaveLength(11);
    // The author decides: the card discarded, its edit goes with it, and both are gone from the phone.
    await refused.getByRole('button', { name: 'Elvetés' }).first().click();
    await expect.poll(() => refused.count()).toBe(0);
    expect(await card(phone, 'Késői gond, átírva').count()).toBe(0);
  });
});
