import { listCards } from '@kaptar/board';
import type { Intent } from '@kaptar/protocol';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { storageEngines } from '../support/engines.js';
import { addCardIntent } from '../support/intents.js';
import { connectPhone, type Phone } from '../support/phone.js';
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
const phones: Phone[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const phone of phones.splice(0)) phone.close();
  await server?.kill('SIGTERM');
});

/** How often each text is on the replica. */
function counts(client: BoardClient): Map<string, number> {
  const seen = new Map<string, number>();
  for (const card of listCards(client.doc)) seen.set(card.text, (seen.get(card.text) ?? 0) + 1);
  return seen;
}

for (const engine of storageEngines()) {
  describe.skipIf(engine.skip !== null)(`a crash in the middle of a workshop (${engine.name})`, () => {
    afterAll(() => engine.done());
    it('kill -9 while 50 participants send cards: every acknowledged card survives once, resent intents are not doubled', async () => {
      server = await startServerProcess({ databaseUrl: await engine.database() });
      const running = server;
      const session = await createSession(running, 'Áramszünet');
      const boardId = session.boards[0]?.id as string;
      const people = await Promise.all(
        Array.from({ length: PARTICIPANTS }, (_, i) =>
          joinSession(running, session.joinCode, `Lakó ${i}`, 'Alsóváros'),
        ),
      );
      for (const person of people) {
        clients.push(await connectSynced(running.wsUrl, boardId, person.participantToken));
        phones.push(connectPhone(running.url, person.participantToken, boardId));
      }
      await waitFor(() => phones.every((phone) => phone.socket.connected), 'every phone online');

      // Every participant makes a card every 60 ms, into the outbox of their phone, which sends it
      // over its own control connection; a third of the way through, the server is killed outright.
      const made: Intent[][] = phones.map(() => []);
      const texts = new Map<string, string>();
      const writing = phones.map(async (phone, i) => {
        for (let n = 0; n < CARDS_EACH; n++) {
          const intent = addCardIntent(`Lakó ${i} / ${n}`);
          texts.set(intent.id, intent.text);
          made[i]?.push(intent);
          phone.add(intent);
          await new Promise((resolve) => setTimeout(resolve, 60));
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await running.kill('SIGKILL');
      // What the server acknowledged before it died: the promise that must hold.
      const acknowledged = phones.flatMap((phone) =>
        [...phone.answers.values()]
          .filter((answer) => answer.ok)
          .map((answer) => texts.get(answer.id) as string),
      );
      // The phones go on making cards offline; they stay offline until the check below is done.
      for (const phone of phones) phone.offline();
      await waitFor(
        () => clients.every((client) => !client.provider.wsconnected),
        'every replica to notice',
        10_000,
      );
      await Promise.all(writing);
      await running.restart();

      // Before any phone sends again: every acknowledged card is on the server, once.
      const total = PARTICIPANTS * CARDS_EACH;
      const afterCrash = await connectSynced(running.wsUrl, boardId, session.moderatorToken);
      clients.push(afterCrash);
      const onDisk = counts(afterCrash);
      const lost = acknowledged.filter((text) => !onDisk.has(text));
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(acknowledged.length).toBeLessThan(total);
      expect(lost).toEqual([]);
      expect([...onDisk.values()].every((n) => n === 1)).toBe(true);

      // The phones come back and send what has no answer yet (some of it was applied, unacknowledged).
      for (const phone of phones) phone.online();
      await Promise.all(phones.map((phone) => phone.settled(30_000)));
      for (const phone of phones) {
        expect([...phone.answers.values()].filter((answer) => !answer.ok)).toEqual([]);
      }
      const reader = connectBoard(running.wsUrl, boardId, session.moderatorToken);
      clients.push(reader);
      await waitFor(() => listCards(reader.doc).length >= total, 'every card on the server', 20_000);
      await waitFor(
        () =>
          clients.every((client) => client.provider.wsconnected && listCards(client.doc).length === total),
        'every card on every replica',
        20_000,
      );

      const resent = phones.reduce((sum, phone) => sum + phone.resent, 0);
      // Every intent sent once more with its id, as an outbox that lost its answers would: the same
      // answers, and not one card more.
      const firstAnswers = phones.map((phone) => new Map(phone.answers));
      for (const [i, phone] of phones.entries()) phone.add(...(made[i] ?? []));
      await Promise.all(phones.map((phone) => phone.settled(30_000)));
      for (const [i, phone] of phones.entries()) expect(new Map(phone.answers)).toEqual(firstAnswers[i]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const final = counts(reader);
      expect(final.size).toBe(total);
      expect([...final.values()].every((n) => n === 1)).toBe(true);
      expect(listCards(reader.doc)).toHaveLength(total);

      record({
        scenario: `kill -9 during edits (${engine.name})`,
        faults: 1,
        survived: true,
        cardsLost: lost.length + (total - final.size),
        duplicates: listCards(reader.doc).length - final.size,
        note: `${PARTICIPANTS} participants, ${total} cards; at the kill ${acknowledged.length} acknowledged, ${onDisk.size} on disk; ${resent} intents resent`,
      });
    });
  });
}
