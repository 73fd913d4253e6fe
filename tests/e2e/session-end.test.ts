/**
 * The end of the day in Chromium: the moderator closes the workshop from the "Zárás" tab, every
 * phone says so and refuses new cards with the reason, the moderator opens it again, and finally
 * deletes it: the phones are let go and the moderator is back on the home page.
 */
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { DESKTOP, screenshotPath, useBrowser } from '../support/browser.js';

const ui = useBrowser();
const MODERATOR = { ...DESKTOP, viewport: { width: 1440, height: 900 } } as const;

describe('the end of the day', () => {
  it('closes the workshop for writing, opens it again, and deletes it with everything in it', async () => {
    const moderator = await ui.open(MODERATOR, '/');
    await moderator.getByLabel('A műhely címe').fill('Zárónap');
    await moderator.getByRole('button', { name: 'Műhely létrehozása' }).click();
    const code = (await moderator.getByTestId('join-code').innerText()).replace(/\s/g, '');
    const anna = await ui.join(code, 'Kovács Anna', 'Alsóváros');

    await moderator.getByRole('tab', { name: 'Zárás' }).click();
    const end = moderator.getByTestId('session-end');
    await end.getByRole('button', { name: 'Műhely lezárása' }).click();
    await expect.poll(() => anna.getByTestId('closed-banner').isVisible()).toBe(true);
    expect(await anna.getByTestId('closed-banner').innerText()).toContain('lezárta a műhelyt');
    await expect.poll(() => end.getByRole('button', { name: 'Újranyitás' }).isVisible()).toBe(true);
    await moderator.screenshot({ path: screenshotPath('session-end-closed-moderator-1440x900') });
    await anna.screenshot({ path: screenshotPath('session-end-closed-phone-390') });
    expect(await seriousViolations(moderator)).toEqual([]);

    // Nothing is offered that would be refused: no new card.
    await expect.poll(() => anna.getByRole('button', { name: 'Probléma hozzáadása' }).count()).toBe(0);

    await end.getByRole('button', { name: 'Újranyitás' }).click();
    await expect.poll(() => anna.getByTestId('closed-banner').count()).toBe(0);

    // Deleting asks twice.
    await end.getByRole('button', { name: 'Műhely törlése…' }).click();
    expect(await end.getByRole('alert').innerText()).toContain('nem vonható vissza');
    await end.getByRole('button', { name: 'Igen, végleg törlöm' }).click();
    await expect.poll(() => new URL(moderator.url()).pathname).toBe('/');
    await expect
      .poll(() => anna.getByText('A moderátor törölte ezt a műhelyt.', { exact: false }).count())
      .toBeGreaterThan(0);
    const gone = await fetch(`${ui.server.url}/api/join/${code}`);
    expect(gone.status).toBe(404);
  });
});
