import { addCard, listCards, voteTotals } from '@kaptar/board';
import { afterEach, describe, expect, it } from 'vitest';
import { newCard } from '../support/cards.js';
import { connectControl } from '../support/control-client.js';
import { createSession, joinSession, startServer, type TestServer, waitFor } from '../support/server.js';
import { startProxy } from '../support/tcp-proxy.js';
import { type BoardClient, connectSynced } from '../support/yjs-client.js';
import { record } from './figures.js';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Cards of every client, as sorted texts: converged when all lists are equal. */
const texts = (client: BoardClient) =>
  listCards(client.doc)
    .map((card) => card.text)
    .sort();

async function village(
  server: TestServer,
  count: number,
  site: string,
  wsUrl: string,
  joinCode: string,
  boardId: string,
) {
  const people = [];
  for (let i = 0; i < count; i++) {
    const person = await joinSession(server, joinCode, `${site} ${i}`, site);
    const client = await connectSynced(wsUrl, boardId, person.participantToken);
    cleanup.push(() => client.destroy());
    people.push({
      person,
      client,
      actor: { participantId: person.participantId, role: 'participant' as const },
    });
  }
  return people;
}

describe('weak links between settlements', () => {
  it('a settlement cut off while the others edit and vote: everything converges, nothing lost', async () => {
    const server = await startServer();
    cleanup.push(() => server.stop());
    const proxy = await startProxy(server.port);
    cleanup.push(() => proxy.close());
    const session = await createSession(server);
    const boardId = session.boards[0]?.id as string;
    const here = await village(server, 4, 'Alsóváros', server.wsUrl, session.joinCode, boardId);
    const remote = await village(server, 4, 'Felsőtelep', proxy.wsUrl, session.joinCode, boardId);
    const moderator = await connectControl(server.url, session.moderatorToken);
    cleanup.push(() => moderator.close());

    proxy.cut();
    await waitFor(() => remote.every(({ client }) => !client.provider.wsconnected), 'the settlement offline');
    // A long cut, compressed: many rounds of edits on both sides.
    for (let round = 0; round < 10; round++) {
      for (const [i, { client, actor }] of [...here, ...remote].entries()) {
        addCard(client.doc, actor, newCard(`kör ${round} / ${i}`));
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The connected side votes meanwhile.
    await moderator.ask('board:settings', { boardId, settings: { phase: 'vote', cardsDuringVote: true } });
    const voter = await connectControl(server.url, here[0]?.person.participantToken as string);
    cleanup.push(() => voter.close());
    const someCard = listCards(here[0]?.client.doc as BoardClient['doc'])[0];
    expect(await voter.ask('vote', { boardId, cardId: someCard?.id, delta: 1 })).toMatchObject({ ok: true });

    proxy.restore();
    const everyone = [...here, ...remote].map(({ client }) => client);
    const total = 10 * everyone.length;
    await waitFor(
      () => everyone.every((client) => texts(client).length === total),
      'all cards everywhere',
      20_000,
    );
    const reference = texts(everyone[0] as BoardClient);
    for (const client of everyone) expect(texts(client)).toEqual(reference);
    await waitFor(() => everyone.every((client) => voteTotals(client.doc).size === 1), 'the vote everywhere');
    record({
      scenario: 'settlement cut off',
      faults: 1,
      survived: true,
      cardsLost: total - new Set(reference).size,
      duplicates: reference.length - new Set(reference).size,
      note: `${remote.length} of ${everyone.length} phones cut, ${total} cards`,
    });
  });

  it('slow, flapping links: every client ends with what the server has', async () => {
    const server = await startServer();
    cleanup.push(() => server.stop());
    const flaky = await startProxy(server.port, { delayMs: 80, dropPerSecond: 0.5 });
    cleanup.push(() => flaky.close());
    const session = await createSession(server);
    const boardId = session.boards[0]?.id as string;
    const people = await village(server, 5, 'Szélső', flaky.wsUrl, session.joinCode, boardId);
    for (let round = 0; round < 8; round++) {
      for (const [i, { client, actor }] of people.entries())
        addCard(client.doc, actor, newCard(`hullám ${round} / ${i}`));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const observer = await connectSynced(server.wsUrl, boardId, session.moderatorToken);
    cleanup.push(() => observer.destroy());
    const total = 8 * people.length;
    await waitFor(() => texts(observer).length === total, 'every card on the server', 30_000);
    await waitFor(
      () => people.every(({ client }) => texts(client).length === total),
      'every card on every phone',
      30_000,
    );
    for (const { client } of people) expect(texts(client)).toEqual(texts(observer));
    const final = texts(observer);
    record({
      scenario: 'slow, flapping link',
      faults: 1,
      survived: true,
      cardsLost: total - new Set(final).size,
      duplicates: final.length - new Set(final).size,
      note: '80 ms delay, 0.5 drops/s per connection',
    });
  });
});
