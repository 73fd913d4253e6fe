import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, screenshotPath, useBrowser } from '../support/browser.js';

const ui = useBrowser();

const cardTexts = (page: Page) => page.getByTestId('card-text').allInnerTexts();

describe('walking skeleton in Chromium', () => {
  it('a moderator creates a session, a phone joins by code and adds a card, the desktop sees it live', async () => {
    // Moderator, desktop: create the session from the home page.
    const desktop = await ui.open(DESKTOP, '/');
    await desktop.getByLabel('A műhely címe').fill('Önsegítő csoportok – Alsóváros');
    await desktop.getByRole('button', { name: 'Műhely létrehozása' }).click();
    // The code to show the room is under the moderator's share tab.
    await desktop.getByRole('tab', { name: 'Megosztás' }).click();
    await desktop.getByTestId('join-code').waitFor();
    const joinCode = (await desktop.getByTestId('join-code').innerText()).replace(/\s/g, '');
    expect(joinCode).toMatch(/^\d{6}$/);
    expect(await desktop.getByTestId('join-link').innerText()).toContain(`/join/${joinCode}`);
    await expect
      .poll(() => desktop.getByTestId('connection-state').getAttribute('data-link'))
      .toBe('connected');

    // Participant, phone: type the code on the home page, then name and settlement.
    const phone = await ui.open(PHONE, '/');
    await phone.getByLabel('A műhely hatjegyű kódja').fill(joinCode);
    await phone.getByRole('button', { name: 'Tovább' }).click();
    await phone.getByLabel('A neved').fill('Kovács Erzsébet');
    await phone.getByLabel('A településed').fill('Felsőtelep');
    await phone.getByRole('button', { name: 'Belépek' }).click();
    await expect
      .poll(() => phone.getByTestId('connection-state').getAttribute('data-link'))
      .toBe('connected');

    // The phone adds a problem; the desktop sees it without reload.
    await phone.getByRole('button', { name: 'Probléma hozzáadása' }).click();
    await phone.getByLabel('Új probléma').fill('Este nincs buszjárat a városba');
    await phone.getByRole('button', { name: 'Mentés', exact: true }).click();
    await expect.poll(() => cardTexts(desktop)).toEqual(['Este nincs buszjárat a városba']);
    // Author and settlement (as a coloured label) travel with the card.
    const first = desktop.getByTestId('card').first();
    await expect.poll(() => first.innerText()).toContain('Kovács Erzsébet');
    expect(await first.getByTestId('site').innerText()).toBe('Felsőtelep');

    // And the other way: the moderator adds a resource; the phone sees it.
    await desktop.getByRole('button', { name: 'Erőforrás hozzáadása' }).click();
    await desktop.getByLabel('Új erőforrás').fill('Üresen áll a régi iskola');
    await desktop.getByRole('button', { name: 'Mentés', exact: true }).click();
    await expect.poll(() => cardTexts(phone)).toContain('Üresen áll a régi iskola');

    // The participant list is live: the phone's participant is online with their settlement.
    const listed = desktop.getByTestId('participant').filter({ hasText: 'Kovács Erzsébet' });
    await expect.poll(() => listed.getAttribute('data-online')).toBe('true');
    expect(await listed.innerText()).toContain('Felsőtelep');

    await phone.screenshot({ path: screenshotPath('skeleton-phone-390x844'), fullPage: true });
    await desktop.screenshot({ path: screenshotPath('skeleton-desktop-1920x1080') });

    // Card text is shown as text, never run as HTML.
    await phone.getByRole('button', { name: 'Probléma hozzáadása' }).click();
    const payload = '<img src=x onerror="window.__pwned=1">';
    await phone.getByLabel('Új probléma').fill(payload);
    await phone.getByRole('button', { name: 'Mentés', exact: true }).click();
    await expect.poll(() => cardTexts(desktop)).toContain(payload);
    expect(await desktop.locator('[data-testid="card"] img').count()).toBe(0);
    expect(await desktop.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

    // Names and settlements are shown as text too.
    const hostileName = '<img src=x onerror="window.__pwned=2">';
    const hostile = await ui.open(PHONE, `/join/${joinCode}`);
    await hostile.getByLabel('A neved').fill(hostileName);
    await hostile.getByLabel('A településed').fill('<b>Falu</b>');
    await hostile.getByRole('button', { name: 'Belépek' }).click();
    const listedHostile = desktop.getByTestId('participant').filter({ hasText: hostileName });
    await expect.poll(() => listedHostile.count()).toBe(1);
    expect(await listedHostile.innerText()).toContain('<b>Falu</b>');
    expect(
      await desktop.locator('[data-testid="participants"] img, [data-testid="participants"] b').count(),
    ).toBe(0);
    expect(await desktop.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

    // The app works under its Content-Security-Policy: nothing was blocked.
    for (const page of [desktop, phone]) {
      expect(
        await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
      ).toEqual([]);
    }
  });

  it('the author edits, moves and deletes their card; others cannot', async () => {
    const desktop = await ui.open(DESKTOP, '/');
    await desktop.getByLabel('A műhely címe').fill('Szerkesztés próba');
    await desktop.getByRole('button', { name: 'Műhely létrehozása' }).click();
    const joinCode = (await desktop.getByTestId('join-code').innerText()).replace(/\s/g, '');

    const phone = await ui.open(PHONE, `/join/${joinCode}`);
    await phone.getByLabel('A neved').fill('Nagy Péter');
    await phone.getByLabel('A településed').fill('Alsóváros');
    await phone.getByRole('button', { name: 'Belépek' }).click();
    await phone.getByRole('button', { name: 'Erőforrás hozzáadása' }).click();
    await phone.getByLabel('Új erőforrás').fill('Van traktorom');
    await phone.getByRole('button', { name: 'Mentés', exact: true }).click();

    // The moderator may change anyone's card (edit buttons shown); a second participant may not.
    const other = await ui.open(PHONE, `/join/${joinCode}`);
    await other.getByLabel('A neved').fill('Szabó Anna');
    await other.getByLabel('A településed').fill('Alsóváros');
    await other.getByRole('button', { name: 'Belépek' }).click();
    await expect.poll(() => cardTexts(other)).toEqual(['Van traktorom']);
    expect(await other.getByRole('button', { name: 'Szerkesztés' }).count()).toBe(0);

    // Edit on the phone.
    await phone.getByRole('button', { name: 'Szerkesztés' }).click();
    await phone.getByLabel('A kártya szövege').fill('Van traktorom és utánfutóm');
    await phone.getByRole('button', { name: 'Mentés', exact: true }).click();
    await expect.poll(() => cardTexts(desktop)).toEqual(['Van traktorom és utánfutóm']);

    // Move on the desktop canvas: the moderator drags the resource into the problems' area; the
    // phone's copy of the board follows, listing it there.
    const card = desktop.getByTestId('card').first();
    const before = await card.boundingBox();
    const problems = await desktop.getByTestId('area').first().boundingBox();
    if (!before || !problems) throw new Error('card not visible');
    await desktop.mouse.move(before.x + 60, before.y + 60);
    await desktop.mouse.down();
    await desktop.mouse.move(problems.x + problems.width / 2, problems.y + 30, {
      steps: 10,
    });
    await desktop.mouse.up();
    await expect
      .poll(async () => {
        const after = await card.boundingBox();
        return (
          after !== null && after.x >= problems.x && after.x + after.width <= problems.x + problems.width
        );
      })
      .toBe(true);
    await expect
      .poll(() => phone.locator('[data-choice="problems"] [data-testid="card-text"]').allInnerTexts())
      .toEqual(['Van traktorom és utánfutóm']);

    // Delete takes two taps on the phone.
    await phone.getByRole('button', { name: 'Törlés' }).click();
    await phone.getByRole('button', { name: 'Biztosan törlöd?' }).click();
    await expect.poll(() => cardTexts(desktop)).toEqual([]);
  });
});
