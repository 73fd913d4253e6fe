import { CANVAS_STYLE, type CardKind, MAX_CARD_TEXT, newId } from '@kaptar/board';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { DESKTOP, screenshotPath, useBrowser } from '../support/browser.js';
import { type ControlClient, connectControl } from '../support/control-client.js';
import { sendIntents } from '../support/intents.js';
import { createSession, joinSession } from '../support/server.js';

const ui = useBrowser();
const clients: ControlClient[] = [];
afterAll(() => {
  for (const client of clients) client.close();
});

/** A phone that adds cards into the area of their kind, as intents. */
async function phoneOf(token: string, boardId: string) {
  const control = await connectControl(ui.server.url, token);
  clients.push(control);
  return async (kind: CardKind, text: string) => {
    const area = kind === 'problem' ? 'problems' : 'resources';
    const [result] = await sendIntents(control, boardId, [
      { id: newId(), type: 'card:add', cardId: newId(), kind, text, area },
    ]);
    expect(result?.ok).toBe(true);
  };
}

/** The canvas's slot for a card, in board units. */
const SLOT_HEIGHT = CANVAS_STYLE.card.chrome + CANVAS_STYLE.card.maxLines * CANVAS_STYLE.card.text.lineHeight;

const LONG =
  `Nincs orvos helyben, hetente egyszer jön, és olyankor hosszú a sor. ${'Aki dolgozik, nem ér oda. '.repeat(20)}`
    .slice(0, MAX_CARD_TEXT)
    .trim();
const CARDS: Array<[CardKind, string]> = [
  ['problem', 'Nincs buszjárat hétvégén'],
  ['problem', LONG],
  ['problem', 'A kocsmán kívül nincs hol találkozni'],
  ['resource', 'Van egy üres iskolaépület, a polgármester odaadná a nyári hónapokra is'],
  ['resource', 'Kertek'],
  ['resource', LONG.replace('Nincs orvos', 'Zsuzsa néni varr').slice(0, MAX_CARD_TEXT)],
];

const boxOf = async (locator: Locator) => {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not visible');
  return box;
};

describe('cards on the canvas', () => {
  it('fit their slots whatever their length; a cut text opens whole on a tap and still drags the card', async () => {
    const session = await createSession(ui.server, 'Hosszú kártyák');
    const boardId = session.boards[0]?.id as string;
    const anna = await joinSession(ui.server, session.joinCode);
    const add = await phoneOf(anna.participantToken, boardId);
    for (const [kind, text] of CARDS) await add(kind, text);

    const moderator = await ui.open(DESKTOP, `/s/${session.sessionId}#key=${session.moderatorToken}`);
    const cards = moderator.getByTestId('card');
    await expect.poll(() => cards.count()).toBe(CARDS.length);
    // At 100 %, one board unit is one pixel.
    await moderator.getByRole('button', { name: '100%' }).click();
    await expect.poll(() => moderator.getByTestId('zoom-level').innerText()).toBe('100%');

    // Every card fits its slot, so none covers another.
    const boxes = await Promise.all((await cards.all()).map(boxOf));
    for (const box of boxes) expect(box.height).toBeLessThanOrEqual(SLOT_HEIGHT + 1);
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const apart =
          a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart).toBe(true);
      }
    }
    await moderator.screenshot({ path: screenshotPath('canvas-long-cards-1920x1080') });

    // The long text is cut, and says so: it is a button that shows all of it.
    const long = cards.filter({ hasText: 'Nincs orvos' });
    const text = long.getByTestId('card-text');
    await expect.poll(() => text.getAttribute('aria-expanded')).toBe('false');
    const cut = await boxOf(text);
    const clip = text.locator('.clip');
    const isCut = () => clip.evaluate((node) => node.scrollHeight > node.clientHeight + 1);
    expect(await isCut()).toBe(true);
    await text.click();
    await expect.poll(() => text.getAttribute('aria-expanded')).toBe('true');
    expect(await isCut()).toBe(false);
    expect((await boxOf(text)).height).toBeGreaterThan(cut.height * 2);
    await moderator.screenshot({ path: screenshotPath('canvas-card-expanded-1920x1080') });
    await text.click();
    await expect.poll(() => text.getAttribute('aria-expanded')).toBe('false');

    // Pressing the text and moving drags the card (it is most of the card), and is no tap: let go
    // over the resources' area, the card moves there.
    const before = await boxOf(long);
    const resources = await boxOf(moderator.getByTestId('area').nth(1));
    await moderator.mouse.move(before.x + 60, before.y + 60);
    await moderator.mouse.down();
    await moderator.mouse.move(resources.x + resources.width - 30, resources.y + resources.height - 20, {
      steps: 10,
    });
    await moderator.mouse.up();
    const inResources = async () => {
      const now = await boxOf(long);
      const area = await boxOf(moderator.getByTestId('area').nth(1));
      return now.x >= area.x && now.x + now.width <= area.x + area.width;
    };
    await expect.poll(inResources).toBe(true);
    expect(await text.getAttribute('aria-expanded')).toBe('false');
  });

  it('cut again when the phase takes lines away for a row of vote buttons', async () => {
    const session = await createSession(ui.server, 'Szavazás előtt');
    const boardId = session.boards[0]?.id as string;
    const anna = await joinSession(ui.server, session.joinCode);
    const bela = await joinSession(ui.server, session.joinCode, 'Szabó Béla');
    const add = await phoneOf(anna.participantToken, boardId);
    // Texts of 3 to 6 lines: Béla sees 5 lines of Anna's cards while collecting (no buttons on
    // them), 3 while voting (a row of vote buttons).
    for (const length of [50, 65, 80, 95, 110]) {
      const text = 'Van egy üres iskolaépület, a polgármester odaadná nyárra. '
        .repeat(3)
        .slice(0, length)
        .trim();
      await add('resource', text);
    }
    const page = await ui.open(DESKTOP, `/s/${session.sessionId}#key=${bela.participantToken}`);
    await expect.poll(() => page.getByTestId('card').count()).toBe(5);

    /** Per card: whether its text is a "show all" button, and whether it is really cut. */
    const states = (on: Page) =>
      on.getByTestId('card-text').evaluateAll((texts) =>
        texts.map((text) => {
          const clip = text.querySelector('.clip') as HTMLElement;
          return { button: text.tagName === 'BUTTON', cut: clip.scrollHeight > clip.clientHeight + 1 };
        }),
      );
    const consistent = async () => (await states(page)).every((s) => s.button === s.cut);
    const buttons = async () => (await states(page)).filter((s) => s.button).length;
    await expect.poll(consistent).toBe(true);
    const whileCollecting = await buttons();

    const moderator = await connectControl(ui.server.url, session.moderatorToken);
    try {
      expect(await moderator.ask('board:settings', { boardId, settings: { phase: 'vote' } })).toMatchObject({
        ok: true,
      });
      await expect.poll(() => page.getByRole('button', { name: 'Szavazok erre' }).count()).toBe(5);
      await expect.poll(async () => (await consistent()) && (await buttons()) > whileCollecting).toBe(true);
    } finally {
      moderator.close();
    }
  });
});
