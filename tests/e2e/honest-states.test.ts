/**
 * Screens that say what is true: the join page checks the code before it asks for a name (a
 * wrong code, typed from the projector by a 70-year-old, says so at the top and offers another
 * one, never a form that can only fail), and a board on a slow link says it is loading until the
 * real board is there, instead of an empty first phase.
 */
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { PHONE, screenshotPath, useBrowser } from '../support/browser.js';
import { connectControl } from '../support/control-client.js';
import { addCards } from '../support/intents.js';
import { createSession, joinSession } from '../support/server.js';

const ui = useBrowser();
const SMALL_PHONE = { ...PHONE, viewport: { width: 360, height: 740 } };
/** A 390 px phone at 200 % zoom: 195 CSS pixels wide. */
const ZOOMED_PHONE = { ...PHONE, viewport: { width: 195, height: 422 }, deviceScaleFactor: 4 };

describe('honest states', () => {
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

  it('on a slow link, a phone says the board is loading until the real one is there', async () => {
    const session = await createSession(ui.server, 'Lassú vonal');
    const boardId = session.boards[0]?.id as string;
    // The real board: in discussion, with a card, locked.
    const moderator = await connectControl(ui.server.url, session.moderatorToken);
    await addCards(moderator, boardId, ['Nincs orvos a faluban']);
    for (const phase of ['group', 'vote', 'discuss']) {
      expect(await moderator.ask('board:settings', { boardId, settings: { phase } })).toMatchObject({
        ok: true,
      });
    }
    const joined = await joinSession(ui.server, session.joinCode, 'Lassú Lili', 'Alsóváros');
    const page = await ui.open(PHONE, '/');
    // The board's sync answers arrive 2 s late, as on a weak village link.
    await page.routeWebSocket(/\/yjs\//, (socket) => {
      const server = socket.connectToServer();
      server.onMessage((message) => setTimeout(() => socket.send(message), 2000));
    });
    await page.evaluate(
      ([sessionId, identity]) => localStorage.setItem(`kaptar:identity:${sessionId}:participant`, identity),
      [
        session.sessionId,
        JSON.stringify({ sessionId: session.sessionId, role: 'participant', token: joined.participantToken }),
      ] as const,
    );
    await page.goto(`${ui.server.url}/s/${session.sessionId}/b/${boardId}`);
    await page.getByText('A tábla betöltése…').waitFor();
    expect(await page.getByText('Még nincs ilyen kártya. Írd le az elsőt!').count()).toBe(0);
    expect(await page.getByText('1. Gyűjtés').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('board-loading-390x844') });
    await page.getByText('Nincs orvos a faluban').waitFor();
    expect(await page.getByText('A tábla betöltése…').count()).toBe(0);
    moderator.close();
  });
});
