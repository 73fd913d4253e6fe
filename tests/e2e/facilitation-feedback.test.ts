import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { DESKTOP, PHONE, screenshotPath, useBrowser } from '../support/browser.js';
import { connectControl } from '../support/control-client.js';
import { addCardIntent, applyIntents, intent } from '../support/intents.js';
import { createSession } from '../support/server.js';

const ui = useBrowser();
const MODERATOR = { viewport: { width: 1440, height: 900 }, locale: 'hu-HU' } as const;

async function join(code: string, name: string, width = 390): Promise<Page> {
  const phone = await ui.open({ ...PHONE, viewport: { width, height: 844 } }, `/join/${code}`);
  await phone.getByLabel('A neved').fill(name);
  await phone.getByLabel('A településed').fill('Alsóváros');
  await phone.getByRole('button', { name: 'Belépek' }).click();
  await expect.poll(() => phone.getByTestId('connection-state').getAttribute('data-link')).toBe('connected');
  return phone;
}

const cardOn = (page: Page, text: string) => page.getByTestId('card').filter({ hasText: text });
const timerOf = (page: Page) => page.getByTestId('timer');

/**
 * A workshop made as the app makes it (HTTP, then the moderator's intents over the control
 * plane): three cards, two of them grouped, a budget of one vote, hidden votes, the vote phase.
 */
async function votingWorkshop() {
  const session = await createSession(ui.server, 'Visszajelzés');
  const boardId = session.boards[0]?.id as string;
  const control = await connectControl(ui.server.url, session.moderatorToken);
  const [bus, train, shop] = ['Nincs buszjárat este', 'Ritka a vonat', 'Bezárt a bolt'].map((text) =>
    addCardIntent(text),
  ) as [ReturnType<typeof addCardIntent>, ReturnType<typeof addCardIntent>, ReturnType<typeof addCardIntent>];
  await applyIntents(control, boardId, [
    bus,
    train,
    shop,
    intent('group:create', {
      groupId: 'transport',
      cardIds: [bus.cardId, train.cardId],
      title: 'Közlekedés',
    }),
  ]);
  await control.ask('board:settings', {
    boardId,
    settings: { voteBudget: 1, votesHidden: true, phase: 'vote' },
  });
  const moderator = await ui.open(MODERATOR, `/s/${session.sessionId}#key=${session.moderatorToken}`);
  await moderator.getByTestId('moderator-panel').waitFor();
  return { session, boardId, control, moderator };
}

describe('facilitation feedback in Chromium', () => {
  it('counts votes as phones vote, says why "+" is out, reveals with one press, sums each group', async () => {
    const { session, control, moderator } = await votingWorkshop();
    const anna = await join(session.joinCode, 'Kovács Anna');
    const bela = await join(session.joinCode, 'Tóth Béla', 360);
    const progress = moderator.getByTestId('vote-progress');
    await expect.poll(() => progress.innerText()).toBe('0 / 2 szavazott');

    await cardOn(anna, 'Nincs buszjárat').getByRole('button', { name: 'Szavazok erre' }).click();
    await expect.poll(() => progress.innerText()).toBe('1 / 2 szavazott');
    // Anna's one vote is used: every "+" says so in words, not just by looking pale.
    await expect
      .poll(() => cardOn(anna, 'Bezárt a bolt').getByTestId('no-vote-reason').innerText())
      .toBe('Elfogyott a szavazatod (1 / 1)');
    expect(
      await cardOn(anna, 'Bezárt a bolt').getByRole('button', { name: 'Szavazok erre' }).isDisabled(),
    ).toBe(true);
    expect(await cardOn(anna, 'Nincs buszjárat').getByTestId('my-votes').innerText()).toBe(
      'Szavazatod erre: 1',
    );
    expect(await bela.getByTestId('no-vote-reason').count()).toBe(0);
    await cardOn(bela, 'Ritka a vonat').getByRole('button', { name: 'Szavazok erre' }).click();
    await expect.poll(() => progress.innerText()).toBe('2 / 2 szavazott');
    // Hidden: nobody sees a total yet, the moderator neither.
    expect(await moderator.getByTestId('vote-total').count()).toBe(0);
    expect(await anna.getByTestId('group-total').count()).toBe(0);
    await moderator.screenshot({ path: screenshotPath('feedback-vote-hidden-moderator-1440x900') });
    await anna.screenshot({ path: screenshotPath('feedback-out-of-votes-phone-390'), fullPage: true });
    await bela.screenshot({ path: screenshotPath('feedback-voting-phone-360'), fullPage: true });
    expect(await seriousViolations(moderator)).toEqual([]);
    expect(await seriousViolations(anna)).toEqual([]);

    // One press, no confirmation: "Felfedés…" while the server works, then the totals everywhere.
    const reveal = moderator.getByTestId('reveal-votes');
    expect(await reveal.innerText()).toBe('Felfedés');
    await reveal.click();
    await expect.poll(() => moderator.getByTestId('reveal-votes').count()).toBe(0);
    // Still shown once revealed: how many have voted, now without a reveal button.
    expect(await progress.innerText()).toBe('2 / 2 szavazott');
    await expect
      .poll(() => cardOn(bela, 'Nincs buszjárat').getByTestId('vote-total').innerText())
      .toBe('1 szavazat');
    // The group's sum on the phones' list: one vote on each of its two cards.
    await expect.poll(() => anna.getByTestId('group-total').innerText()).toBe('Összesen 2 szavazat');
    await anna.screenshot({
      path: screenshotPath('feedback-revealed-group-total-phone-390'),
      fullPage: true,
    });
    await moderator.screenshot({ path: screenshotPath('feedback-revealed-moderator-1440x900') });
    control.close();
  });

  it('pauses and lengthens the timer on every screen, rings on each device unless muted there', async () => {
    const { session, boardId, control, moderator } = await votingWorkshop();
    const anna = await join(session.joinCode, 'Kovács Anna');
    await moderator.getByRole('button', { name: '5 perc', exact: true }).click();
    await expect.poll(() => timerOf(anna).getAttribute('data-state')).toBe('running');
    await moderator.getByRole('button', { name: 'Megállítás' }).click();
    await expect.poll(() => timerOf(anna).getAttribute('data-state')).toBe('paused');
    const held = await timerOf(anna).innerText();
    expect(held).toMatch(/^Megállítva: (5:00|4:5\d)$/);
    await anna.waitForTimeout(2200);
    expect(await timerOf(anna).innerText()).toBe(held);
    await moderator.getByRole('button', { name: '+1 perc' }).click();
    await expect.poll(() => timerOf(anna).innerText()).toMatch(/^Megállítva: (6:00|5:5\d)$/);
    await anna.screenshot({ path: screenshotPath('feedback-timer-paused-phone-390'), fullPage: true });
    await moderator.screenshot({ path: screenshotPath('feedback-timer-paused-moderator-1440x900') });
    await moderator.getByRole('button', { name: 'Folytatás' }).click();
    await expect.poll(() => timerOf(anna).getAttribute('data-state')).toBe('running');

    // The end: each phone buzzes (counted through navigator.vibrate) unless muted on that phone.
    const bela = await join(session.joinCode, 'Tóth Béla');
    for (const page of [anna, bela]) {
      await page.evaluate(() => {
        const buzzed = { count: 0 };
        (window as unknown as { buzzed: typeof buzzed }).buzzed = buzzed;
        navigator.vibrate = () => {
          buzzed.count += 1;
          return true;
        };
      });
    }
    await timerOf(bela).waitFor();
    await bela.getByLabel('Hang és rezgés a végén').uncheck();
    // Three seconds, sent as the moderator's device sends it (the buttons offer whole minutes).
    expect(await control.ask('board:timer', { boardId, durationMs: 3000 })).toEqual({ ok: true });
    await expect.poll(() => timerOf(anna).innerText(), { timeout: 8000 }).toBe('Lejárt az idő');
    await expect.poll(() => timerOf(bela).innerText(), { timeout: 8000 }).toBe('Lejárt az idő');
    const buzzes = (page: Page) =>
      page.evaluate(() => (window as unknown as { buzzed: { count: number } }).buzzed.count);
    expect(await buzzes(anna)).toBe(1);
    expect(await buzzes(bela)).toBe(0);
    // Béla's choice stays on his phone.
    await bela.reload();
    await timerOf(bela).waitFor();
    expect(await bela.getByLabel('Hang és rezgés a végén').isChecked()).toBe(false);
    await anna.screenshot({ path: screenshotPath('feedback-timer-over-phone-390'), fullPage: true });
    // The moderator clears "time is up" at once.
    await moderator.getByRole('button', { name: 'Időzítő leállítása' }).click();
    await expect.poll(() => timerOf(anna).count()).toBe(0);
    control.close();
  });

  it('moderator tools are tabs: settlements second, arrow keys move, each panel shows alone', async () => {
    const { session, control, moderator } = await votingWorkshop();
    const tabs = moderator.getByRole('tablist', { name: 'Moderátori eszközök' }).getByRole('tab');
    await tabs.first().waitFor();
    expect(await tabs.allInnerTexts()).toEqual([
      'Beállítások',
      'Települések',
      'Résztvevők',
      'Megosztás',
      'Pillanatképek',
      'Zárás',
    ]);
    const settings = moderator.getByRole('tab', { name: 'Beállítások' });
    expect(await settings.getAttribute('aria-selected')).toBe('true');
    expect(await moderator.getByLabel('Tábla zárolása').isVisible()).toBe(true);
    await settings.focus();
    await moderator.keyboard.press('ArrowRight');
    const sites = moderator.getByRole('tab', { name: 'Települések' });
    expect(await sites.getAttribute('aria-selected')).toBe('true');
    expect(await moderator.evaluate(() => document.activeElement?.textContent)).toBe('Települések');
    expect(await moderator.getByRole('tabpanel', { name: 'Települések' }).isVisible()).toBe(true);
    expect(await moderator.getByLabel('Tábla zárolása').isVisible()).toBe(false);
    await moderator.screenshot({ path: screenshotPath('feedback-tabs-sites-moderator-1440x900') });
    await moderator.keyboard.press('End');
    expect(await moderator.getByRole('tab', { name: 'Zárás' }).getAttribute('aria-selected')).toBe('true');
    await moderator.keyboard.press('ArrowRight');
    expect(await settings.getAttribute('aria-selected')).toBe('true');
    // Left from the first wraps to the last: three steps back is the share tab.
    for (let step = 0; step < 3; step += 1) await moderator.keyboard.press('ArrowLeft');
    expect(await moderator.getByRole('tab', { name: 'Megosztás' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    expect(await moderator.getByTestId('join-code').isVisible()).toBe(true);
    expect(await seriousViolations(moderator)).toEqual([]);

    // A moderator on a phone at 200 % zoom (195 px): the tabs wrap, none is cut.
    const small = await ui.open(
      { ...PHONE, viewport: { width: 195, height: 422 }, deviceScaleFactor: 4 },
      `/s/${session.sessionId}#key=${session.moderatorToken}`,
    );
    await small.getByText('Résztvevők és meghívás').click();
    const smallTabs = small.getByRole('tab');
    await smallTabs.first().waitFor();
    for (const tab of await smallTabs.all()) {
      const box = await tab.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 195).toBe(true);
    }
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(195);
    await small.getByRole('tab', { name: 'Települések' }).click();
    await small
      .getByRole('tablist')
      .locator('..')
      .screenshot({ path: screenshotPath('feedback-tabs-phone-195') });
    expect(await seriousViolations(small)).toEqual([]);

    // The projector shows the timer as every screen does, and nothing to press.
    await control.ask('board:timer', { boardId: session.boards[0]?.id, durationMs: 10 * 60_000 });
    const projector = await ui.open(DESKTOP, `/s/${session.sessionId}#key=${session.viewerToken}`);
    await expect.poll(() => timerOf(projector).first().getAttribute('data-state')).toBe('running');
    // Once, large (the phase bar leaves it to the projector's own).
    expect(await timerOf(projector).count()).toBe(1);
    expect(await projector.getByRole('button', { name: 'Felfedés' }).count()).toBe(0);
    await projector.screenshot({ path: screenshotPath('feedback-timer-projector-1920x1080') });
    control.close();
  });
});
