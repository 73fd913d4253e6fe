/**
 * The join page checks the code before it asks for a name: a wrong code (typed from the projector
 * by a 70-year-old) says so at the top and offers another one, never a form that can only fail.
 */
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { PHONE, screenshotPath, useBrowser } from '../support/browser.js';
import { createSession } from '../support/server.js';

const ui = useBrowser();
const SMALL_PHONE = { ...PHONE, viewport: { width: 360, height: 740 } };
/** A 390 px phone at 200 % zoom: 195 CSS pixels wide. */
const ZOOMED_PHONE = { ...PHONE, viewport: { width: 195, height: 422 }, deviceScaleFactor: 4 };

describe('the join page', () => {
  it('says a wrong code is wrong before asking for a name, and leads to another code', async () => {
    const session = await createSession(ui.server, 'Kódpróba');
    const wrong = session.joinCode === '000000' ? '000001' : '000000';
    for (const [size, phone] of [
      ['360x740', SMALL_PHONE],
      ['195x422', ZOOMED_PHONE],
    ] as const) {
      const page = await ui.open(phone, `/join/${wrong}`);
      await expect
        .poll(() => page.getByRole('alert').innerText())
        .toBe(`Nincs műhely ezzel a kóddal: ${wrong}. Ellenőrizd a kódot.`);
      expect(await page.getByLabel('A neved').count()).toBe(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.screenshot({ path: screenshotPath(`join-wrong-code-${size}`), fullPage: true });
      expect(await seriousViolations(page)).toEqual([]);

      // Another code, from the home page, and this time the form.
      await page.getByTestId('join-other-code').click();
      await page.getByLabel('A műhely hatjegyű kódja').fill(session.joinCode);
      await page.getByRole('button', { name: 'Tovább' }).click();
      await page.getByLabel('A neved').waitFor();
      expect(await page.getByText('Műhely: Kódpróba').count()).toBe(1);
    }
  });
});
