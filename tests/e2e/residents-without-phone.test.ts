/**
 * A resident without a phone, in Chromium: the moderator adds Kiss Jánosné of Felsőtanya, types
 * her card and enters the two votes she placed with stickers on paper; a participant's phone
 * shows the card as hers, from Felsőtanya, marked as entered by the moderator.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { DESKTOP, screenshotPath, useBrowser } from '../support/browser.js';

const ui = useBrowser();

const MODERATOR = { ...DESKTOP, viewport: { width: 1440, height: 900 } } as const;
const card = (page: Page, text: string): Locator => page.getByTestId('card').filter({ hasText: text });

const join = (code: string, name: string, site: string) => ui.join(code, name, site);

async function addProblem(page: Page, text: string) {
  await page.getByRole('button', { name: 'Probléma hozzáadása' }).first().click();
  await page.getByLabel('Új probléma').fill(text);
  await page.getByRole('button', { name: 'Mentés', exact: true }).click();
}

describe('a resident without a phone', () => {
  it('is added by the moderator, who types her card and enters her paper votes; phones show the card as hers', async () => {
    const moderator = await ui.open(MODERATOR, '/');
    await moderator.getByLabel('A műhely címe').fill('Tanyák és falvak');
    await moderator.getByRole('button', { name: 'Műhely létrehozása' }).click();
    const code = (await moderator.getByTestId('join-code').innerText()).replace(/\s/g, '');
    const anna = await join(code, 'Kovács Anna', 'Alsóváros');
    await addProblem(anna, 'Nincs bolt a faluban');

    // The moderator adds her in the participant list: a name and a typed settlement (none listed).
    await moderator.getByRole('tab', { name: 'Résztvevők' }).click();
    const form = moderator.getByTestId('add-resident');
    await form.getByLabel('Neve').fill('Kiss Jánosné');
    await form.getByLabel('Települése').fill('Felsőtanya');
    await form.getByRole('button', { name: 'Hozzáadás' }).click();
    await expect
      .poll(() => form.getByRole('status').innerText())
      .toContain('Kiss Jánosné a résztvevők között van');
    const resident = moderator.getByTestId('participant').filter({ hasText: 'Kiss Jánosné' });
    await expect.poll(() => resident.getByTestId('no-device').innerText()).toBe('telefon nélkül');
    expect(await resident.getByTestId('site').innerText()).toBe('Felsőtanya');
    // She counts in the settlement figures, beside Anna's Alsóváros.
    await expect.poll(() => moderator.getByTestId('people-by-site').innerText()).toMatch(/Felsőtanya:\s*1/);

    // Entering for her: a bar says so on the board, until it is stopped.
    await resident.getByRole('button', { name: 'Rögzítés a nevében' }).click();
    const bar = moderator.getByTestId('on-behalf-bar');
    await expect.poll(() => bar.innerText()).toContain('Kiss Jánosné nevében rögzítek');
    expect(await bar.innerText()).toContain('Felsőtanya');
    await addProblem(moderator, 'Nem jut el az orvoshoz, aki nem vezet');
    const typed = card(moderator, 'Nem jut el az orvoshoz').getByTestId('card-author');
    await expect.poll(() => typed.innerText()).toContain('Kiss Jánosné');
    expect(await typed.innerText()).toContain('a moderátor rögzítette');
    expect(await seriousViolations(moderator)).toEqual([]);
    await moderator.screenshot({ path: screenshotPath('resident-1-moderator-on-behalf') });

    // Anna's phone: the card is Kiss Jánosné's, from Felsőtanya, entered by the moderator.
    const onPhone = card(anna, 'Nem jut el az orvoshoz');
    await expect.poll(() => onPhone.getByTestId('card-author').innerText()).toContain('Kiss Jánosné');
    expect(await onPhone.getByTestId('site').innerText()).toBe('Felsőtanya');
    expect(await onPhone.getByTestId('card-entered').innerText()).toContain('a moderátor rögzítette');

    // Her paper votes: in the vote the screen says whose ballot it shows, and why.
    await moderator.getByRole('button', { name: '3. Szavazás' }).click();
    const notice = moderator.getByTestId('ballot-notice');
    await expect
      .poll(() => notice.innerText())
      .toContain('Kiss Jánosné szavazólapját látod, hogy a papíron leadott szavazatait rögzíthesd.');
    expect(await notice.innerText()).toContain('Még 5 szavazata van');
    for (const text of ['Nem jut el az orvoshoz', 'Nincs bolt a faluban']) {
      await card(moderator, text).getByRole('button', { name: 'Szavazok erre' }).click();
      await expect
        .poll(() => card(moderator, text).getByTestId('my-votes').innerText())
        .toBe('Szavazata erre: 1');
    }
    await expect.poll(() => notice.innerText()).toContain('Még 3 szavazata van');
    // The totals are everyone's: Anna sees the two paper votes, and her own five are untouched.
    await expect.poll(() => card(anna, 'Nincs bolt').getByTestId('vote-total').innerText()).toContain('1');
    await expect.poll(() => anna.getByTestId('votes-left').innerText()).toBe('Még 5 szavazatod van');
    expect(await seriousViolations(moderator)).toEqual([]);
    await moderator.screenshot({ path: screenshotPath('resident-2-moderator-paper-votes') });

    // Stopped, the moderator is the moderator again: no bar, no vote buttons of their own.
    await bar.getByRole('button', { name: 'Befejezem' }).click();
    await expect.poll(() => bar.count()).toBe(0);
    expect(await moderator.getByRole('button', { name: 'Szavazok erre' }).count()).toBe(0);

    // The card on phones of every width: 390 px, 360 px, and 200 % zoom (195 px).
    await anna.screenshot({ path: screenshotPath('resident-3-phone-390'), fullPage: true });
    // The layout depends on CSS pixels only: Anna's phone at 360 px, and at 195 px as 200 % zoom shows it.
    for (const width of [360, 195]) {
      await anna.setViewportSize({ width, height: 800 });
      const shown = card(anna, 'Nem jut el az orvoshoz');
      await shown.scrollIntoViewIfNeeded();
      expect(await shown.getByTestId('card-entered').innerText()).toContain('a moderátor rögzítette');
      expect(await anna.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      expect(await seriousViolations(anna)).toEqual([]);
      await anna.screenshot({ path: screenshotPath(`resident-4-phone-${width}`) });
    }
  });
});
