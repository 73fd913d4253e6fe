/**
 * What the room wrote on the action plan becomes a task without typing it again: a resident on a
 * 390 px phone turns a card of the action-plan board into a task of the initiative she is in
 * ("Feladat lesz belőle"), is told where it went and opens it there; another phone sees the task
 * in that initiative; a card of 280 characters goes over cut to the task's limit, and the screen
 * says so; an initiative she is not in is not offered, and a resident in none is told to join one.
 */
import { MAX_CARD_TEXT, MAX_TASK_TEXT, newId } from '@kaptar/board';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { screenshotPath, useBrowser } from '../support/browser.js';
import { cleanupAfterEach } from '../support/cleanup.js';
import { type ControlClient, connectControl } from '../support/control-client.js';
import { addCardIntent } from '../support/intents.js';
import { createSession, joinSession } from '../support/server.js';

const ui = useBrowser();
const { track } = cleanupAfterEach();
const MODERATOR_LAPTOP = { viewport: { width: 1440, height: 900 }, locale: 'hu-HU' } as const;

const SHORT = 'Kisbusz a pénteki piacra';
// A card as long as a card may be: longer than a task may be.
const LONG =
  'Pénteken reggel kisbusszal visszük a piacra azokat, akik nem tudnak vezetni, és délben haza is hozzuk őket. '
    .repeat(3)
    .slice(0, MAX_CARD_TEXT);

async function ok(client: ControlClient, event: string, payload: object) {
  const ack = await client.ask(event, payload);
  if (!ack.ok) throw new Error(`${event} refused: ${JSON.stringify(ack)}`);
  return ack;
}

/** A resident who proposes an initiative from their own device (they are its first member). */
async function proposer(joinCode: string, name: string, initiative: string) {
  const joined = await joinSession(ui.server, joinCode, name, 'Felsőhegy');
  const control = track(await connectControl(ui.server.url, joined.participantToken));
  await ok(control, 'initiative', {
    change: {
      op: 'propose',
      initiativeId: newId(),
      name: initiative,
      type: 'other',
      goal: '',
      changes: [],
      buildsOn: [],
    },
  });
}

const card = (page: Page, text: string) => page.getByTestId('card').filter({ hasText: text });
const openBoard = (page: Page, title: string) =>
  page.getByTestId('board-tabs').getByRole('link', { name: title }).click();
const overflows = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

describe('a card becomes a task of an initiative', () => {
  it('on a phone, from the action plan into the initiative the resident is in; cut to the limit and said; not offered elsewhere', async () => {
    const session = await createSession(ui.server, 'Alsóvárosi műhely');
    const moderator = track(await connectControl(ui.server.url, session.moderatorToken));
    const plan = String(
      (await ok(moderator, 'board:create', { title: 'Cselekvési terv', template: 'action-plan' })).boardId,
    );
    const intents = [
      addCardIntent(SHORT, 'note', { area: 'what' }),
      addCardIntent(LONG, 'note', { area: 'what' }),
    ];
    await ok(moderator, 'intents', { boardId: plan, intents });
    await proposer(session.joinCode, 'Horváth Teri', 'Esti fuvar');
    await proposer(session.joinCode, 'Szabó Zoli', 'Közös kert');

    // Mari joins "Esti fuvar" with one tap; Béla joins the session and no initiative.
    const mari = await ui.join(session.joinCode, 'Kovács Mari', 'Alsóváros');
    const bela = await ui.join(session.joinCode, 'Nagy Béla', 'Alsóváros');
    await mari.getByTestId('show-initiatives').click();
    await mari.getByTestId('initiative-summary').filter({ hasText: 'Esti fuvar' }).click();
    await mari.getByTestId('join-initiative').click();
    await mari.getByTestId('you-are-in').waitFor();
    await mari.getByTestId('show-board').click();

    // On the action plan the card's first button turns it into a task.
    await openBoard(mari, 'Cselekvési terv');
    const short = card(mari, SHORT);
    await short.waitFor();
    expect(await short.getByRole('button').first().innerText()).toBe('Feladat lesz belőle');
    await short.getByTestId('card-to-task-open').click();
    const choice = short.getByTestId('card-to-task');
    await choice.getByTestId('task-target').first().waitFor();
    // Only the initiative she is in: the rules would refuse "Közös kert".
    expect(await choice.getByTestId('task-target').allInnerTexts()).toEqual(['Esti fuvar']);
    expect(await choice.getByTestId('task-cut').count()).toBe(0);
    await mari.screenshot({ path: screenshotPath('card-to-task-choose-390'), fullPage: true });
    expect(await seriousViolations(mari)).toEqual([]);
    await choice.getByTestId('task-target').click();
    await expect
      .poll(() => choice.getByTestId('task-added').innerText())
      .toBe('A feladat bekerült ide: Esti fuvar');
    await mari.screenshot({ path: screenshotPath('card-to-task-added-390'), fullPage: true });
    expect(await seriousViolations(mari)).toEqual([]);

    // The way there: the initiative's details, with the card's words as its task, nobody's yet.
    await choice.getByTestId('open-task-initiative').click();
    const details = mari.getByTestId('initiative-details');
    await details.waitFor();
    expect(await mari.getByTestId('initiative-title').innerText()).toBe('Esti fuvar');
    const task = details.getByTestId('task').filter({ hasText: SHORT });
    expect(await task.getByTestId('task-text-shown').innerText()).toBe(SHORT);
    expect(await task.getByTestId('task-owner').innerText()).toBe('Még senki nem vállalta.');

    // The long card: said to be cut before it is sent, cut to the limit with an ellipsis.
    await mari.getByTestId('show-board').click();
    const long = card(mari, LONG.slice(0, 40));
    await long.getByTestId('card-to-task-open').click();
    const cut = long.getByTestId('card-to-task');
    expect(await cut.getByTestId('task-cut').innerText()).toBe(
      `Egy feladat legfeljebb ${MAX_TASK_TEXT} karakter: a kártya szövegéből csak ennyi kerül át, a végét „…” jelzi.`,
    );
    // At 200 % zoom the choice still fits the screen.
    await mari.setViewportSize({ width: 195, height: 422 });
    await cut.scrollIntoViewIfNeeded();
    await mari.screenshot({ path: screenshotPath('card-to-task-cut-195') });
    expect(await overflows(mari)).toBe(false);
    await cut.getByTestId('task-target').click();
    await cut.getByTestId('task-added').waitFor();
    await mari.setViewportSize({ width: 390, height: 844 });

    // Béla's phone, in no initiative, sees both tasks in "Esti fuvar"; the long one cut.
    await bela.getByTestId('show-initiatives').click();
    await bela.getByTestId('initiative-summary').filter({ hasText: 'Esti fuvar' }).click();
    const shown = bela.getByTestId('initiative-details').getByTestId('task-text-shown');
    const expected = `${[...LONG]
      .slice(0, MAX_TASK_TEXT - 1)
      .join('')
      .trimEnd()}…`;
    await expect.poll(() => shown.allInnerTexts()).toEqual([SHORT, expected]);
    expect([...expected]).toHaveLength(MAX_TASK_TEXT);

    // Béla is offered no initiative to add a task to: he is told to join one, and how.
    await bela.getByTestId('show-board').click();
    await openBoard(bela, 'Cselekvési terv');
    await card(bela, SHORT).getByTestId('card-to-task-open').click();
    const none = card(bela, SHORT).getByTestId('card-to-task');
    await none.getByTestId('no-task-target').waitFor();
    expect(await none.getByTestId('task-target').count()).toBe(0);
    await none.getByRole('button', { name: 'A kezdeményezések' }).click();
    await bela.getByTestId('initiative-summary').first().waitFor();

    // The moderator's canvas: every initiative is offered (the moderator may add tasks to any).
    const laptop = await ui.open(MODERATOR_LAPTOP, `/s/${session.sessionId}#key=${session.moderatorToken}`);
    await laptop.getByTestId('moderator-panel').waitFor();
    await openBoard(laptop, 'Cselekvési terv');
    const onCanvas = card(laptop, SHORT);
    await onCanvas.getByTestId('card-to-task-open').click();
    await expect
      .poll(() => onCanvas.getByTestId('card-to-task').getByTestId('task-target').allInnerTexts())
      .toEqual(['Esti fuvar', 'Közös kert']);
    await laptop.screenshot({ path: screenshotPath('card-to-task-canvas-1440x900') });
    expect(await seriousViolations(laptop)).toEqual([]);

    // Closed for writing, no card offers it any more.
    expect(await mari.getByTestId('card-to-task-open').count()).toBe(2);
    await ok(moderator, 'session:close', { closed: true });
    await expect.poll(() => mari.getByTestId('card-to-task-open').count()).toBe(0);
  });
});
