import { listCards, voteTotals } from '@kaptar/board';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../support/cleanup.js';
import { connectControl } from '../support/control-client.js';
import { addCardIntent } from '../support/intents.js';
import { connectPhone, type Phone } from '../support/phone.js';
import { createSession, joinSession, startServer, type TestServer, waitFor } from '../support/server.js';
import { startProxy } from '../support/tcp-proxy.js';
import { type BoardClient, connectSynced } from '../support/yjs-client.js';
import { record } from './figures.js';

const { cleanup } = cleanupAfterEach();

/** Cards of every client, as sorted texts: converged when all lists are equal. */
const texts = (client: BoardClient) =>
  listCards(client.doc)
    .map((card) => card.text)
    .sort();

/** People of one settlement: each with a phone (outbox + control connection) and a stock replica, both over `link`. */
async function village(
  server: TestServer,
  count: number,
  site: string,
  link: { url: string; wsUrl: string },
  joinCode: string,
  boardId: string,
) {
  const people: Array<{
    person: Awaited<ReturnType<typeof joinSession>>;
    client: BoardClient;
    phone: Phone;
  }> = [];
  for (let i = 0; i < count; i++) {
    const person = await joinSession(server, joinCode, `${site} ${i}`, site);
    const client = await connectSynced(link.wsUrl, boardId, person.participantToken);
    const phone = connectPhone(link.url, person.participantToken, boardId);
    cleanup.push(
      () => client.destroy(),
      () => phone.close(),
    );
    people.push({ person, client, phone });
  }
  return people;
}

const everyoneOnline = (phones: Phone[]) => phones.every((phone) => phone.socket.connected);

/** Every phone's outbox is empty and every answer is "applied". */
async function allApplied(phones: Phone[], timeoutMs: number): Promise<void> {
  await Promise.all(phones.map((phone) => phone.settled(timeoutMs)));
  for (const phone of phones) expect([...phone.answers.values()].filter((answer) => !answer.ok)).toEqual([]);
}

describe('weak links between settlements', () => {
  it('a settlement cut off while the others edit and vote: everything converges, nothing lost', async () => {
    const server = await startServer();
    cleanup.push(() => server.stop());
    const proxy = await startProxy(server.port);
    cleanup.push(() => proxy.close());
    const session = await createSession(server);
    const boardId = session.boards[0]?.id as string;
    const here = await village(server, 4, 'Alsóváros', server, session.joinCode, boardId);
    const remote = await village(server, 4, 'Felsőtelep', proxy, session.joinCode, boardId);
    const moderator = await connectControl(server.url, session.moderatorToken);
    cleanup.push(() => moderator.close());

    await waitFor(() => everyoneOnline([...here, ...remote].map(({ phone }) => phone)), 'every phone online');
    // The link drops while the settlement's last cards are on their way: sent, and perhaps applied,
    // with the answer lost. Their phones will send them again.
    for (const [i, { phone }] of remote.entries()) phone.add(addCardIntent(`a vágás pillanatában / ${i}`));
    proxy.cut();
    await waitFor(() => remote.every(({ client }) => !client.provider.wsconnected), 'the settlement offline');
    // A long cut, compressed: many rounds of cards on both sides, the cut-off ones into their outboxes.
    const everyone = [...here, ...remote];
    for (let round = 0; round < 10; round++) {
      for (const [i, { phone }] of everyone.entries()) phone.add(addCardIntent(`kör ${round} / ${i}`));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await allApplied(
      here.map(({ phone }) => phone),
      10_000,
    );
    expect(remote.every(({ phone }) => phone.pending().length >= 10)).toBe(true);
    // The connected side votes meanwhile; cards may still be added.
    await moderator.ask('board:settings', { boardId, settings: { phase: 'vote', cardsDuringVote: true } });
    const voter = await connectControl(server.url, here[0]?.person.participantToken as string);
    cleanup.push(() => voter.close());
    const someCard = listCards(here[0]?.client.doc as BoardClient['doc'])[0];
    expect(await voter.ask('vote', { boardId, cardId: someCard?.id, delta: 1 })).toMatchObject({ ok: true });

    proxy.restore();
    await allApplied(
      remote.map(({ phone }) => phone),
      20_000,
    );
    const clients = everyone.map(({ client }) => client);
    const total = 10 * everyone.length + remote.length;
    await waitFor(
      () => clients.every((client) => texts(client).length === total),
      'all cards everywhere',
      20_000,
    );
    const reference = texts(clients[0] as BoardClient);
    for (const client of clients) expect(texts(client)).toEqual(reference);
    expect(new Set(reference).size).toBe(total);
    await waitFor(() => clients.every((client) => voteTotals(client.doc).size === 1), 'the vote everywhere');
    record({
      scenario: 'settlement cut off',
      faults: 1,
      survived: true,
      cardsLost: total - new Set(reference).size,
      duplicates: reference.length - new Set(reference).size,
      note: `${remote.length} of ${everyone.length} phones cut, ${total} cards, ${remote.reduce((sum, { phone }) => sum + phone.resent, 0)} intents resent`,
    });
  });

  it('slow, flapping links: every client ends with what the server has', async () => {
    const server = await startServer();
    cleanup.push(() => server.stop());
    const flaky = await startProxy(server.port, { delayMs: 80, dropPerSecond: 0.5 });
    cleanup.push(() => flaky.close());
    const session = await createSession(server);
    const boardId = session.boards[0]?.id as string;
    const people = await village(server, 5, 'Szélső', flaky, session.joinCode, boardId);
    for (let round = 0; round < 8; round++) {
      for (const [i, { phone }] of people.entries()) phone.add(addCardIntent(`hullám ${round} / ${i}`));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const phones = people.map(({ phone }) => phone);
    await allApplied(phones, 30_000);
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
    expect(new Set(final).size).toBe(total);
    const resent = phones.reduce((sum, phone) => sum + phone.resent, 0);
    record({
      scenario: 'slow, flapping link',
      faults: 1,
      survived: true,
      cardsLost: total - new Set(final).size,
      duplicates: final.length - new Set(final).size,
      note: `80 ms delay, 0.5 drops/s per connection; ${resent} intents resent`,
    });
  });
});
