/**
 * The projector leads the room: it follows the board the moderator opens, shows the card the
 * moderator puts on the screen large enough to read from the back of a hall, and "Mindenkit ide"
 * brings a phone that is on another board to the moderator's, saying so.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { DESKTOP, PHONE, screenshotPath, useBrowser } from '../support/browser.js';
import { connectControl } from '../support/control-client.js';
import { addCards } from '../support/intents.js';
import { createSession } from '../support/server.js';

const ui = useBrowser();
const MODERATOR_LAPTOP = { ...DESKTOP, viewport: { width: 1440, height: 900 } };

const boardPath = (page: Page) => new URL(page.url()).pathname;
/** The drawn size of a text, in CSS pixels of its page. */
const fontSize = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((node) => Number.parseFloat(getComputedStyle(node).fontSize));

describe('the presenter in Chromium', () => {
  it('the projector follows the moderator, shows the focused card large, and phones are brought to the board', async () => {
    const session = await createSession(ui.server, 'Kivetítős műhely');
    const first = session.boards[0]?.id as string;
    const control = await connectControl(ui.server.url, session.moderatorToken);
    const created = await control.ask('board:create', { title: 'Erőforrások', template: 'blank' });
    const second = String(created.boardId);
    const [cardId] = await addCards(control, second, [
      'A faluház délutánonként üres: ott lehetne a baba-mama klub',
    ]);
    await addCards(control, first, ['Nincs buszjárat hétvégén']);

    const moderator = await ui.open(
      MODERATOR_LAPTOP,
      `/s/${session.sessionId}#key=${session.moderatorToken}`,
    );
    await moderator.getByTestId('moderator-panel').waitFor();
    const projector = await ui.open(DESKTOP, `/s/${session.sessionId}#key=${session.viewerToken}`);
    await projector.getByTestId('projector').waitFor();
    expect(boardPath(projector)).toContain(`/b/${first}`);

    const phone = await ui.open(PHONE, `/join/${session.joinCode}`);
    await phone.getByLabel('A neved').fill('Kovács Mari');
    await phone.getByLabel('A településed').fill('Alsóváros');
    await phone.getByRole('button', { name: 'Belépek' }).click();
    await phone.getByTestId('card-text').first().waitFor();
    expect(boardPath(phone)).toContain(`/b/${first}`);

    // The moderator opens the second board: the projector goes along; the phone stays.
    await moderator.getByTestId('board-tabs').getByRole('link', { name: 'Erőforrások' }).click();
    await projector.waitForURL((url) => url.pathname.endsWith(`/b/${second}`));
    await projector.getByTestId('projector').waitFor();
    expect(boardPath(phone)).toContain(`/b/${first}`);

    // "Mindenkit ide": the phone comes over and says why.
    await moderator.getByTestId('bring-everyone').click();
    await phone.waitForURL((url) => url.pathname.endsWith(`/b/${second}`));
    const brought = phone.getByTestId('brought-here');
    await brought.waitFor();
    expect(await brought.innerText()).toContain('A moderátor ide hívott mindenkit: Erőforrások');
    await phone.screenshot({ path: screenshotPath('presenter-brought-here-390') });
    expect(await seriousViolations(phone)).toEqual([]);

    // The card on the screen: large on the projector, and nothing of it on the phone yet.
    const focusButton = moderator.locator(`[data-card-id="${cardId}"]`).getByTestId('focus-button');
    await focusButton.click();
    await expect.poll(() => focusButton.getAttribute('aria-pressed')).toBe('true');
    const focused = projector.getByTestId('presenter-focus');
    await focused.waitFor();
    expect(await projector.getByTestId('focus-text').innerText()).toBe(
      'A faluház délutánonként üres: ott lehetne a baba-mama klub',
    );
    expect(await fontSize(projector, 'focus-text')).toBeGreaterThanOrEqual(40);
    await projector.screenshot({ path: screenshotPath('presenter-card-1920x1080') });
    expect(await seriousViolations(projector)).toEqual([]);
    expect(await phone.getByTestId('presenter-focus').count()).toBe(0);

    // "Telefonokon is": the phone shows it as a sheet it may close.
    await moderator.getByTestId('focus-on-phones').check();
    const sheet = phone.getByTestId('presenter-focus');
    await sheet.waitFor();
    await moderator.screenshot({ path: screenshotPath('presenter-moderator-1440x900') });
    expect(await seriousViolations(moderator)).toEqual([]);
    for (const width of [390, 360, 195]) {
      await phone.setViewportSize({ width, height: width === 195 ? 422 : 800 });
      await phone.screenshot({ path: screenshotPath(`presenter-phone-sheet-${width}`) });
    }
    expect(await seriousViolations(phone)).toEqual([]);
    await sheet.getByRole('button', { name: 'Bezárás' }).click();
    await expect.poll(() => phone.getByTestId('presenter-focus').count()).toBe(0);

    // A group on the screen instead: its title and every card of it.
    const [a, b] = await addCards(control, second, ['Van egy üres bolthelyiség', 'A pap segítene']);
    await control.ask('intents', {
      boardId: second,
      intents: [
        { id: 'g-intent', type: 'group:create', groupId: 'helyek', cardIds: [a, b], title: 'Helyek' },
      ],
    });
    // From the moderator's list view: the group's own "Kivetítőre".
    await moderator.getByRole('button', { name: 'Lista' }).click();
    await moderator.getByTestId('group').getByTestId('focus-button').first().click();
    await expect.poll(() => projector.getByTestId('focus-text').innerText()).toBe('Helyek');
    expect(await focused.innerText()).toContain('A pap segítene');
    await projector.screenshot({ path: screenshotPath('presenter-group-1920x1080') });
    await moderator.screenshot({ path: screenshotPath('presenter-moderator-list-1440x900') });

    // Off the screen: the board shows again.
    await moderator.getByTestId('focus-clear').click();
    await expect.poll(() => projector.getByTestId('presenter-focus').count()).toBe(0);

    // Brought once per press: the phone may walk back to the other board and stays there.
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.getByTestId('board-tabs').getByRole('link', { name: 'Tábla 1' }).click();
    await phone.waitForURL((url) => url.pathname.endsWith(`/b/${first}`));
    await phone.getByTestId('card-text').first().waitFor();
    await phone.waitForTimeout(1500);
    expect(boardPath(phone)).toContain(`/b/${first}`);
    expect(await phone.getByTestId('brought-here').count()).toBe(0);
    control.close();
  });
});
