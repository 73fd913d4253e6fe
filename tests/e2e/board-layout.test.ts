import { overlappingPairs } from '@kaptar/board';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { DESKTOP, PHONE, screenshotPath, useBrowser } from '../support/browser.js';
import { type ControlClient, connectControl } from '../support/control-client.js';
import { randomWorkshop } from '../support/random-board.js';
import { createSession, joinSession } from '../support/server.js';

const ui = useBrowser();
const clients: ControlClient[] = [];
afterAll(() => {
  for (const client of clients) client.close();
});

const MODERATOR = { viewport: { width: 1440, height: 900 }, locale: 'hu-HU' } as const;
const PROJECTOR = DESKTOP;

const boxOf = async (locator: Locator) => {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not drawn');
  return box;
};

/** The drawn boxes of every element matching `selector`, in page pixels. */
const boxes = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((elements) =>
    elements.map((element) => {
      const { x, y, width, height } = element.getBoundingClientRect();
      return { x, y, width, height };
    }),
  );

/** The smallest card text as drawn: its font size times the scale of the board around it. */
const smallestProjectorText = (page: Page) =>
  page.getByTestId('card-text').evaluateAll((texts) => {
    const sizes = texts.map((text) => {
      const drawn = text.getBoundingClientRect().height / (text as HTMLElement).offsetHeight;
      return Number.parseFloat(getComputedStyle(text).fontSize) * drawn;
    });
    return Math.min(...sizes);
  });

/** A new workshop, its moderator's and a resident's control connections (closed after the file). */
async function workshop(title: string) {
  const session = await createSession(ui.server, title);
  const moderatorControl = await connectControl(ui.server.url, session.moderatorToken);
  clients.push(moderatorControl);
  const anna = await joinSession(ui.server, session.joinCode, 'Kovács Anna', 'Alsóváros');
  const annaControl = await connectControl(ui.server.url, anna.participantToken);
  clients.push(annaControl);
  return { session, boardId: session.boards[0]?.id as string, moderatorControl, annaControl, anna };
}

/** The projector link, opened on the big screen. */
const projectorOf = (session: { sessionId: string; viewerToken: string }) =>
  ui.open(PROJECTOR, `/s/${session.sessionId}#key=${session.viewerToken}`);

describe('a board laid out so that no card hides another', () => {
  it('on the canvas, the projector and the picture, after cards are added and grouped in random orders', async () => {
    const { session, boardId, moderatorControl, annaControl } = await workshop('Alsóvárosi műhely');
    await randomWorkshop({ author: annaControl, moderator: moderatorControl, boardId, cards: 30, seed: 11 });

    const moderator = await ui.open(MODERATOR, `/s/${session.sessionId}#key=${session.moderatorToken}`);
    await expect.poll(() => moderator.getByTestId('card').count()).toBe(30);
    // The page is as tall as the window: the board scrolls inside it, the page does not.
    expect(await moderator.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(900);
    expect(overlappingPairs(await boxes(moderator, '[data-testid="canvas"] [data-testid="card"]'))).toBe(0);
    await moderator.screenshot({ path: screenshotPath('layout-moderator-fit-1440x900') });
    // Zoomed in, the cards are larger and still apart; fitting brings the whole board back.
    await moderator.getByRole('button', { name: 'Nagyítás', exact: true }).click();
    await moderator.getByRole('button', { name: 'Nagyítás', exact: true }).click();
    expect(overlappingPairs(await boxes(moderator, '[data-testid="canvas"] [data-testid="card"]'))).toBe(0);
    await moderator.screenshot({ path: screenshotPath('layout-moderator-zoomed-1440x900') });
    await moderator.getByRole('button', { name: 'Illesztés' }).click();
    const canvas = await moderator.getByTestId('canvas').boundingBox();
    const cards = await boxes(moderator, '[data-testid="canvas"] [data-testid="card"]');
    for (const card of cards) {
      expect(card.x + card.width).toBeLessThanOrEqual((canvas?.x ?? 0) + (canvas?.width ?? 0) + 1);
      expect(card.y + card.height).toBeLessThanOrEqual((canvas?.y ?? 0) + (canvas?.height ?? 0) + 1);
    }
    expect(await seriousViolations(moderator)).toEqual([]);

    const projector = await projectorOf(session);
    await expect.poll(() => projector.getByTestId('card').count()).toBe(30);
    expect(overlappingPairs(await boxes(projector, '[data-testid="card"]'))).toBe(0);
    expect(await smallestProjectorText(projector)).toBeGreaterThanOrEqual(18);
    await projector.screenshot({ path: screenshotPath('layout-projector-30-1920x1080') });
    // The join panel shrinks and hides, and comes back on demand: the board takes the room.
    await projector.getByTestId('shrink-join').click();
    await projector.screenshot({ path: screenshotPath('layout-projector-small-join-1920x1080') });
    await projector.getByTestId('hide-join').click();
    await expect.poll(() => projector.getByTestId('join-code').count()).toBe(0);
    expect(overlappingPairs(await boxes(projector, '[data-testid="card"]'))).toBe(0);
    await projector.screenshot({ path: screenshotPath('layout-projector-no-join-1920x1080') });
    await projector.getByTestId('show-join').click();
    await expect.poll(() => projector.getByTestId('join-code').count()).toBe(1);
    expect(await seriousViolations(projector)).toEqual([]);

    const svg = await (
      await fetch(`${ui.server.url}/api/boards/${boardId}/export?format=svg`, {
        headers: { authorization: `Bearer ${session.moderatorToken}` },
      })
    ).text();
    const rects = [
      ...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" rx="10"/g),
    ];
    expect(rects).toHaveLength(30);
    const drawn = rects.map((m) => ({
      x: Number(m[1]),
      y: Number(m[2]),
      width: Number(m[3]),
      height: Number(m[4]),
    }));
    expect(overlappingPairs(drawn)).toBe(0);
  });

  it('at 100 % a card is dragged onto one off-screen: held at the edge, the board scrolls under it', async () => {
    const { session, boardId, moderatorControl, annaControl } = await workshop('Hosszú tábla');
    // Problems only, and no groups: a long column, its last card far below the window.
    const ids = await randomWorkshop({
      author: annaControl,
      moderator: moderatorControl,
      boardId,
      cards: 24,
      seed: 5,
      kinds: ['problem'],
      grouping: false,
    });
    const moderator = await ui.open(MODERATOR, `/s/${session.sessionId}#key=${session.moderatorToken}`);
    await expect.poll(() => moderator.getByTestId('card').count()).toBe(24);
    await moderator.getByRole('button', { name: '100%' }).click();
    const canvas = await boxOf(moderator.getByTestId('canvas'));
    const slotOf = (id: string) => moderator.locator(`[data-drag-id="${id}"]`);
    const first = await boxOf(slotOf(ids[0] as string));
    const last = slotOf(ids.at(-1) as string);
    expect((await boxOf(last)).y).toBeGreaterThan(canvas.y + canvas.height);

    await moderator.mouse.move(first.x + 60, first.y + 60);
    await moderator.mouse.down();
    await moderator.mouse.move(first.x + 60, canvas.y + canvas.height - 6, { steps: 8 });
    await expect
      .poll(
        async () => {
          const box = await boxOf(last);
          return box.y + box.height < canvas.y + canvas.height - 60;
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    // Out of the edge, the board stops; then onto the card where it now is.
    await moderator.mouse.move(first.x + 60, canvas.y + canvas.height / 2, { steps: 2 });
    const onto = await boxOf(last);
    await moderator.mouse.move(onto.x + onto.width / 2, onto.y + onto.height / 2, { steps: 4 });
    await moderator.mouse.up();
    // Dropped on it: the two make a group.
    await expect.poll(() => moderator.getByTestId('group').count()).toBe(1);
    await expect.poll(() => moderator.getByTestId('group').locator('[data-drag-id]').count()).toBe(2);
  });

  it('with the votes revealed, the projector ranks the cards and sums each group', async () => {
    const { session, boardId, moderatorControl, annaControl } = await workshop('Szavazás');
    const ids = await randomWorkshop({
      author: annaControl,
      moderator: moderatorControl,
      boardId,
      cards: 8,
      seed: 3,
    });
    const settings = (values: object) =>
      moderatorControl.ask('board:settings', { boardId, settings: values });
    expect(await settings({ phase: 'vote', votesHidden: true, voteBudget: 10 })).toMatchObject({ ok: true });
    for (const [votes, cardId] of [3, 2, 1].map((n, i) => [n, ids[i] as string] as const)) {
      for (let n = 0; n < votes; n++) {
        const ack = await annaControl.ask('vote', { boardId, cardId, delta: 1 });
        expect(ack, JSON.stringify(ack)).toMatchObject({ ok: true });
      }
    }
    const projector = await projectorOf(session);
    await projector.getByTestId('show-results').click();
    await expect.poll(() => projector.getByTestId('projector-results').innerText()).toContain('rejtve');
    expect(await settings({ votesHidden: false })).toMatchObject({ ok: true });
    await expect.poll(() => projector.getByTestId('result-row').count()).toBe(3);
    expect(
      (await projector.getByTestId('result-row').allInnerTexts()).map(
        (row) => row.match(/(\d+) szavazat/)?.[1],
      ),
    ).toEqual(['3', '2', '1']);
    await projector.screenshot({ path: screenshotPath('layout-projector-results-1920x1080') });
    expect(await seriousViolations(projector)).toEqual([]);
  });

  it("reaches phones: a template's areas are big buttons with their prompts, and cards are listed by area", async () => {
    const session = await createSession(ui.server, 'Négy típus');
    const moderatorControl = await connectControl(ui.server.url, session.moderatorToken);
    clients.push(moderatorControl);
    const board = await moderatorControl.ask('board:create', { title: 'Négy típus', template: 'four-types' });
    expect(board).toMatchObject({ ok: true });
    const boardId = (board as unknown as { boardId: string }).boardId;
    const anna = await joinSession(ui.server, session.joinCode, 'Kovács Anna', 'Alsóváros');
    // The moderator brings everyone to the new board: phones open it wherever they are.
    expect(await moderatorControl.ask('session:bring', { boardId })).toMatchObject({ ok: true });
    for (const [name, width] of [
      ['360', 360],
      ['390', 390],
      ['195', 195],
    ] as const) {
      const phone = await ui.open(
        { ...PHONE, viewport: { width, height: 800 } },
        `/s/${session.sessionId}#key=${anna.participantToken}`,
      );
      const add = phone.getByTestId('add-card').getByRole('button');
      await expect.poll(() => add.count()).toBe(4);
      expect(await add.first().innerText()).toContain('Személyes változást segítő csoportok');
      expect(await add.first().innerText()).toContain('Egymást támogatjuk');
      await phone.screenshot({ path: screenshotPath(`layout-phone-four-types-${name}`), fullPage: true });
      // Nothing wider than the screen, also at 200 % zoom.
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      if (name === '390') {
        await add.nth(1).click();
        await phone.getByLabel('Új kártya ide: Érdekképviseleti csoportok').fill('Falugyűlés a buszért');
        await phone.getByRole('button', { name: 'Mentés' }).click();
        await expect
          .poll(() => phone.locator('[data-choice="advocacy"] [data-testid="card-text"]').allInnerTexts())
          .toEqual(['Falugyűlés a buszért']);
        expect(await seriousViolations(phone)).toEqual([]);
        // Written under the wrong button: moved from its menu, followed there and said so.
        await phone.getByLabel('Terület').selectOption({ label: 'Új életmódot kereső csoportok' });
        await expect
          .poll(() => phone.locator('[data-choice="new-ways"] [data-testid="card-text"]').allInnerTexts())
          .toEqual(['Falugyűlés a buszért']);
        await expect
          .poll(() => phone.getByTestId('moved-message').innerText())
          .toBe('A kártya átkerült ide: Új életmódot kereső csoportok');
      }
      if (name === '390')
        await phone.screenshot({ path: screenshotPath('layout-phone-four-types-added-390'), fullPage: true });
    }
  });
});
