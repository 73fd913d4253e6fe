/**
 * The moderator's own browser on a workshop day: the projector link opened in a second tab (to drag
 * it onto the projector screen) and the join link opened to check it each bring an identity of
 * their own; none replaces the moderator's, across reloads, and each tab finds its way back.
 */
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { DESKTOP, screenshotPath, useBrowser } from '../support/browser.js';

const ui = useBrowser();
const MODERATOR_LAPTOP = { ...DESKTOP, viewport: { width: 1440, height: 900 } };

describe('one browser, three roles in one workshop', () => {
  it('keeps the moderator a moderator after opening the projector and the join link beside it', async () => {
    const moderator = await ui.open(MODERATOR_LAPTOP, '/');
    await moderator.getByLabel('A műhely címe').fill('Önsegítő csoportok');
    await moderator.getByRole('button', { name: 'Műhely létrehozása' }).click();
    await moderator.getByTestId('moderator-panel').waitFor();
    const code = (await moderator.getByTestId('join-code').innerText()).replace(/\s/g, '');

    // "Open the projector" opens its own window, read-only, in the same browser.
    const [projector] = await Promise.all([
      moderator.context().waitForEvent('page'),
      moderator.getByTestId('open-projector').click(),
    ]);
    await projector.getByTestId('projector').waitFor();
    expect(await projector.getByTestId('moderator-panel').count()).toBe(0);

    // The join link, checked in a third tab: a participant of its own.
    const check = await moderator.context().newPage();
    await check.goto(`${ui.server.url}/join/${code}`);
    await check.getByLabel('A neved').fill('Próba Péter');
    await check.getByLabel('A településed').fill('Alsóváros');
    await check.getByRole('button', { name: 'Belépek' }).click();
    await check.getByRole('button', { name: 'Probléma hozzáadása' }).waitFor();
    expect(await check.getByTestId('moderator-panel').count()).toBe(0);

    // After a reload each tab is still who it was: the moderator above all.
    for (const page of [moderator, projector, check]) await page.reload();
    await moderator.getByTestId('moderator-panel').waitFor();
    await projector.getByTestId('projector').waitFor();
    expect(await projector.getByTestId('moderator-panel').count()).toBe(0);
    await check.getByRole('button', { name: 'Probléma hozzáadása' }).waitFor();
    expect(await check.getByTestId('moderator-panel').count()).toBe(0);
    await moderator.screenshot({ path: screenshotPath('identity-moderator-1440x900') });
    await check.screenshot({ path: screenshotPath('identity-participant-tab-1440x900') });

    // The participant tab knows the way back to moderating.
    const back = check.getByTestId('back-to-moderator');
    expect(await back.innerText()).toBe('Vissza a moderátori nézethez');
    await back.click();
    await check.getByTestId('moderator-panel').waitFor();
    expect(await seriousViolations(check)).toEqual([]);

    // A fresh page of the workshop opened from the home page is the moderator's.
    const home = await moderator.context().newPage();
    await home.goto(`${ui.server.url}/`);
    await home.getByRole('link', { name: 'Önsegítő csoportok' }).click();
    await home.getByTestId('moderator-panel').waitFor();
  });
});
