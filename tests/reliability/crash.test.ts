import { addCard, listCards } from '@kaptar/board';
import { afterAll, describe, expect, it } from 'vitest';
import { newCard } from '../support/cards.js';
import { type ServerProcess, startServerProcess } from '../support/process-server.js';
import { createSession, joinSession, waitFor } from '../support/server.js';
import { type BoardClient, connectBoard, connectSynced } from '../support/yjs-client.js';
import { record } from './figures.js';

const PARTICIPANTS = 50;
const CARDS_EACH = 10;
// Each y-websocket provider in Node listens for the process's exit: 50 of them here, on purpose.
process.setMaxListeners(PARTICIPANTS + 10);

let server: ServerProcess | undefined;
const clients: BoardClient[] = [];
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.kill('SIGTERM');
});

describe('a crash in the middle of a workshop', () => {
  it('kill -9 while 50 participants add cards: after restart every card is everywhere, none lost or doubled', async () => {
    server = await startServerProcess();
    const running = server;
    const session = await createSession(running, 'Áramszünet');
    const boardId = session.boards[0]?.id as string;
    const people = await Promise.all(
      Array.from({ length: PARTICIPANTS }, (_, i) =>
        joinSession(running, session.joinCode, `Lakó ${i}`, 'Alsóváros'),
      ),
    );
    for (const person of people)
      clients.push(await connectSynced(running.wsUrl, boardId, person.participantToken));

    // Every participant adds a card every 60 ms; halfway through, the server is killed outright.
    const writing = clients.map(async (client, i) => {
      const actor = { participantId: people[i]?.participantId as string, role: 'participant' as const };
      for (let n = 0; n < CARDS_EACH; n++) {
        addCard(client.doc, actor, newCard(`Lakó ${i} / ${n}`));
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await running.kill('SIGKILL');
    await waitFor(
      () => clients.every((client) => !client.provider.wsconnected),
      'every client to notice',
      10_000,
    );
    await Promise.all(writing);
    await running.restart();

    const total = PARTICIPANTS * CARDS_EACH;
    await waitFor(
      () => clients.every((client) => client.provider.wsconnected && client.provider.synced),
      'every client to reconnect',
      20_000,
    );
    const reader = connectBoard(running.wsUrl, boardId, session.moderatorToken);
    clients.push(reader);
    await waitFor(() => listCards(reader.doc).length >= total, 'every card on the server', 20_000);
    await waitFor(
      () => clients.every((client) => listCards(client.doc).length === total),
      'every card everywhere',
      20_000,
    );

    const texts = listCards(reader.doc).map((card) => card.text);
    expect(texts).toHaveLength(total);
    expect(new Set(texts).size).toBe(total);
    record({
      scenario: 'kill -9 during edits',
      faults: 1,
      survived: true,
      cardsLost: total - new Set(texts).size,
      duplicates: texts.length - new Set(texts).size,
      note: `${PARTICIPANTS} participants, ${total} cards`,
    });
  });
});
