/**
 * Floods that stay within the protocol: a phone sending intents as fast as it can, and a reader
 * asking for the whole board again and again. Both are metered where they cost the server; the
 * other people on the board and in another session keep their normal round trips.
 */
import { MAX_CARDS_PER_PARTICIPANT } from '@kaptar/board';
import { type IntentResult, MAX_INTENTS_PER_BATCH, ROOM_CLOSE, SYNC_BYTES_PER_LINK } from '@kaptar/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { useServer } from '../support/harness.js';
import { addCardIntent, addCards, sendIntents } from '../support/intents.js';
import { joinSession, waitFor } from '../support/server.js';
import { recordDoor } from './support/figures.js';
import { openRawRoom, openSyncedRawRoom } from './support/raw-room.js';
import { p95, sessionProbe, summary } from './support/round-trip.js';
import { openWorkshop, type Workshop, type WorkshopPeople, workshopPeople } from './support/workshop.js';
import { syncStep1 } from './support/y-frames.js';

const kaptar = useServer();
const ROUND_TRIP_LIMIT_MS = 100;
const BOARD_CARDS = 1_500;

/** Session A's board with 1,500 cards of 15 residents (100 each, their quota); Anna and Béla have none yet. */
let people: WorkshopPeople;
let stateBytes: number;
beforeAll(async () => {
  people = await workshopPeople(kaptar, ['Anna', 'Béla']);
  const boardId = people.session.boards[0]?.id as string;
  const writers = BOARD_CARDS / MAX_CARDS_PER_PARTICIPANT;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      const join = await joinSession(kaptar.server, people.session.joinCode, `Lakó ${writer}`, 'Alsóváros');
      const control = await kaptar.control(join.participantToken);
      for (let batch = 0; batch < MAX_CARDS_PER_PARTICIPANT / MAX_INTENTS_PER_BATCH; batch++) {
        const texts = Array.from(
          { length: MAX_INTENTS_PER_BATCH },
          (_, i) => `Lakó ${writer} gondja: ${batch}/${i}, ami hosszabb is lehet egy kicsit`,
        );
        await addCards(control, boardId, texts);
      }
    }),
  );
  stateBytes = (await kaptar.server.app.rooms.withRoom(boardId, (room) => Y.encodeStateAsUpdate(room.doc)))
    .byteLength;
}, 60_000);

const codes = (results: IntentResult[]) => results.map((result) => (result.ok ? 'ok' : result.code));
const count = (list: string[], code: string) => list.filter((item) => item === code).length;

describe('floods within the rules', () => {
  it('1,000 intents at once from one phone: rate-limited beyond the budget, quota-exceeded at 100 cards; the others keep their latency', async () => {
    const board = await openWorkshop(kaptar, people);
    const [anna, bela] = board.phones as [Workshop['phones'][0], Workshop['phones'][0]];
    const probe = await sessionProbe(kaptar);
    const neighbour: number[] = [];
    // Built before the clock starts: the flooder's own work is not the server's.
    const batches = Array.from({ length: 1_000 / MAX_INTENTS_PER_BATCH }, (_, i) =>
      Array.from({ length: MAX_INTENTS_PER_BATCH }, (_, j) => addCardIntent(`Özön ${i}/${j}`)),
    );
    const { result, trips, peakRssMiB } = await probe.during(async () => {
      const flood = Promise.all(batches.map((intents) => sendIntents(anna.control, board.boardId, intents)));
      // Béla, on the same board, keeps moving his own card while the flood is queued.
      const [belaCard] = await addCards(bela.control, board.boardId, ['Béla kártyája']);
      let flooding = true;
      void flood.finally(() => {
        flooding = false;
      });
      for (let i = 0; flooding || i < 10; i++) {
        const started = performance.now();
        const [moved] = await sendIntents(bela.control, board.boardId, [
          { id: addCardIntent('').id, type: 'card:move', cardId: belaCard as string, x: i, y: i },
        ]);
        neighbour.push(performance.now() - started);
        expect(moved?.ok).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return (await flood).flat();
    }, 1000);
    console.info(
      `intent flood: ${summary(trips)}; Béla on the same board p95 ${Math.round(p95(neighbour))} ms`,
    );

    recordDoor(
      {
        door: 'intent flood',
        attack: '1,000 card intents at once from one phone',
        bound:
          '240 intents a minute per person and board (bursts of 100), 100 cards each; batches queued 4 at a time',
      },
      { trips, peakRssMiB },
    );
    const answered = codes(result);
    expect(answered).toHaveLength(1_000);
    expect(count(answered, 'ok')).toBe(MAX_CARDS_PER_PARTICIPANT);
    expect(count(answered, 'ok') + count(answered, 'rate-limited') + count(answered, 'quota-exceeded')).toBe(
      1_000,
    );
    expect(count(answered, 'rate-limited')).toBeGreaterThan(800);
    expect(result.find((r) => !r.ok && r.code === 'rate-limited')).toMatchObject({ final: false });
    // Once the budget refills, the card quota answers: final, shown to the author.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const [over] = await sendIntents(anna.control, board.boardId, [addCardIntent('Százegyedik')]);
    expect(over).toMatchObject({ ok: false, code: 'quota-exceeded', final: true });

    expect(p95(neighbour)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
    expect(p95(trips.intent)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
    expect(p95(trips.health)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
    const seen = await board.everyoneAgrees();
    expect(seen.cards.filter((card) => card.authorId === anna.join.participantId)).toHaveLength(100);
  });

  it('300 sync requests on a 1,500-card board: answered within the budget, then closed with 4429; the attacker gets a bounded number of bytes', async () => {
    const board = await openWorkshop(kaptar, people);
    const probe = await sessionProbe(kaptar);
    const [anna] = board.phones as [Workshop['phones'][0]];
    const { result, trips, peakRssMiB } = await probe.during(async () => {
      const attacker = await openRawRoom(kaptar.server.wsUrl, board.boardId, anna.join.participantToken);
      const request = syncStep1();
      for (let i = 0; i < 300; i++) attacker.send(request);
      const closed = await attacker.closed;
      return {
        closed,
        bytes: attacker.receivedBytes(),
        answers: attacker.kinds().filter((kind) => kind === 'sync-step2').length,
      };
    }, 1000);
    console.info(
      `sync amplification: ${summary(trips)}; board state ${stateBytes} B, attacker received ${result.bytes} B in ${result.answers} answers (${(result.bytes / stateBytes).toFixed(2)}x the state)`,
    );
    recordDoor(
      {
        door: 'sync requests',
        attack: '300 sync requests on one connection, 1,500-card board',
        bound: 'bursts of 4, then 6 a minute per connection (close 4429)',
      },
      { trips, peakRssMiB },
    );
    expect(result.closed.code).toBe(ROOM_CLOSE.rateLimited);
    expect(result.answers).toBeLessThanOrEqual(4);
    expect(result.bytes).toBeLessThan(5 * stateBytes);
    expect(p95(trips.intent)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
    expect(p95(trips.health)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
  });

  it('30 connections of one link asking for a 1,500-card board again and again: they stop at the link’s byte budget, another link still syncs', async () => {
    const board = await openWorkshop(kaptar, people);
    const probe = await sessionProbe(kaptar);
    const [anna, bela] = board.phones as [Workshop['phones'][0], Workshop['phones'][0]];
    const { result, trips, peakRssMiB } = await probe.during(async () => {
      // Anna's phone holds 2 of her link's 32 connections already.
      const rooms = await Promise.all(
        Array.from({ length: 30 }, () =>
          openRawRoom(kaptar.server.wsUrl, board.boardId, anna.join.participantToken),
        ),
      );
      for (const room of rooms) for (let i = 0; i < 4; i++) room.send(syncStep1());
      const closes = await Promise.all(rooms.map((room) => room.closeWithin(3000)));
      for (const room of rooms) room.close();
      return {
        bytes: rooms.reduce((sum, room) => sum + room.receivedBytes(), 0),
        overBudget: closes.filter((close) => close?.reason === 'too many bytes pulled by this link').length,
      };
    }, 1000);
    console.info(
      `sync pulls of one link: ${summary(trips)}; ${result.bytes} B pulled (${(result.bytes / stateBytes).toFixed(1)} board states), ${result.overBudget} connections closed over the budget`,
    );
    recordDoor(
      {
        door: 'sync bytes per link',
        attack: '30 connections of one phone, 4 full syncs each, 1,500-card board',
        bound: '16 MiB at once, then 8 MiB a minute of sync answers per link (close 4429)',
      },
      { trips, peakRssMiB },
    );
    expect(result.overBudget).toBeGreaterThan(0);
    // The burst, what refilled meanwhile (8 MiB a minute), and the answer that was being sent.
    expect(result.bytes).toBeLessThan(
      SYNC_BYTES_PER_LINK.burst + SYNC_BYTES_PER_LINK.perMinute / 10 + stateBytes,
    );
    expect(p95(trips.intent)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
    expect(p95(trips.health)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
    // Béla's link has its own budget: a fresh reader of his gets the whole board.
    const fresh = await openSyncedRawRoom(kaptar.server.wsUrl, board.boardId, bela.join.participantToken);
    expect(fresh.replica().getMap('cards').size).toBeGreaterThanOrEqual(BOARD_CARDS);
    fresh.close();
  });

  it('a malformed sync request or a replica of another epoch is refused on that connection only', async () => {
    const board = await openWorkshop(kaptar, people);
    const [anna, bela] = board.phones as [Workshop['phones'][0], Workshop['phones'][0]];
    const truncated = await openRawRoom(kaptar.server.wsUrl, board.boardId, anna.join.participantToken);
    truncated.send(new Uint8Array([0, 0, 5, 0x80]));
    expect((await truncated.closed).code).toBe(ROOM_CLOSE.malformed);
    const unknownType = await openRawRoom(kaptar.server.wsUrl, board.boardId, anna.join.participantToken);
    unknownType.send(new Uint8Array([7, 1, 2]));
    expect((await unknownType.closed).code).toBe(ROOM_CLOSE.malformed);
    const stale = await openRawRoom(kaptar.server.wsUrl, board.boardId, anna.join.participantToken, {
      epoch: 'not-this-one',
    });
    expect((await stale.closed).code).toBe(ROOM_CLOSE.staleReplica);
    expect(stale.receivedBytes()).toBe(0);

    const before = board.moderator.reader.doc.getMap('cards').size;
    await addCards(bela.control, board.boardId, ['Még mindig megy']);
    await waitFor(
      () => board.moderator.reader.doc.getMap('cards').size === before + 1,
      'the next card on the moderator',
    );
    expect(bela.reader.provider.wsconnected).toBe(true);
  });
});
