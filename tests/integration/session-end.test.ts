/**
 * The end of a session while its phones are still sending: a close stops what was queued before
 * it (nothing is applied once the close is answered), and a delete hurts no other session (the
 * store keeps saving everyone else's changes, health stays good).
 */
import { listCards } from '@kaptar/board';
import type { IntentResult } from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import type { ControlClient } from '../support/control-client.js';
import { useServer } from '../support/harness.js';
import { addCardIntent, addCards } from '../support/intents.js';
import { createSession, joinSession } from '../support/server.js';

const kaptar = useServer();

/** A session whose six phones each queue four batches of 25 cards at once; the answers. */
async function busySession(title: string) {
  const session = await createSession(kaptar.server, title);
  const boardId = session.boards[0]?.id as string;
  const phones: ControlClient[] = [];
  for (let i = 0; i < 6; i += 1) {
    const phone = await joinSession(kaptar.server, session.joinCode, `Lakó ${i}`, 'Alsóváros');
    phones.push(await kaptar.control(phone.participantToken));
  }
  const flood = () =>
    phones.flatMap((phone) =>
      [0, 1, 2, 3].map(() =>
        phone
          .ask('intents', {
            boardId,
            intents: Array.from({ length: 25 }, (_, i) => addCardIntent(`Kártya ${i}`)),
          })
          .catch(() => ({ ok: false, code: 'disconnected' })),
      ),
    );
  return { session, boardId, flood };
}

const cardsOn = (boardId: string) =>
  kaptar.server.app.rooms.withRoom(boardId, (room) => listCards(room.doc).length);

describe('the end of a session while phones are sending', () => {
  it('a close refuses what was queued before it: nothing is applied once the close is answered', async () => {
    const { session, boardId, flood } = await busySession('Zárás');
    const moderator = await kaptar.control(session.moderatorToken);
    const answers = flood();
    expect(await moderator.ask('session:close', { closed: true })).toEqual({ ok: true });
    const atClose = await cardsOn(boardId);
    const settled = await Promise.all(answers);
    expect(await cardsOn(boardId)).toBe(atClose);
    const results = settled.flatMap((ack) =>
      ack.ok && 'results' in ack ? (ack.results as IntentResult[]) : [],
    );
    const refusedAsClosed = results.filter((result) => !result.ok && result.code === 'session-closed');
    const applied = results.filter((result) => result.ok).length;
    // Every card is either on the board or refused as closed, never lost in between.
    expect(applied + refusedAsClosed.length).toBe(results.length);
    expect(applied).toBe(atClose);
  });

  it('a delete while batches are queued leaves every other session saving, and health good', async () => {
    const bystander = await createSession(kaptar.server, 'Másik műhely');
    const bystanderBoard = bystander.boards[0]?.id as string;
    const bystanderModerator = await kaptar.control(bystander.moderatorToken);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const { session, flood } = await busySession(`Törlendő ${attempt}`);
      const answers = flood();
      await new Promise((resolve) => setTimeout(resolve, attempt * 2));
      const deleted = await fetch(`${kaptar.server.url}/api/sessions/${session.sessionId}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${session.moderatorToken}` },
      });
      expect(deleted.status).toBe(204);
      await Promise.all(answers);
      expect((await fetch(`${kaptar.server.url}/api/health`)).status).toBe(200);
      expect(await addCards(bystanderModerator, bystanderBoard, [`Még mentjük ${attempt}`])).toHaveLength(1);
    }
  });
});
