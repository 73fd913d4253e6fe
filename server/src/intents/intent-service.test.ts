import { type IntentAuthor, newId } from '@kaptar/board';
import { INTENT_RATE, type Intent, type IntentResult } from '@kaptar/protocol';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { RoomHost } from '../rooms/room-host.js';
import { StorageFailure } from '../storage/errors.js';
import { StorageHealth } from '../storage/health.js';
import { SessionQuota } from '../storage/session-quota.js';
import type { Store } from '../storage/store.js';
import { storedTexts, storeWithBoard, TEST_BOARD_ID } from '../storage/store-with-board.js';
import { IntentService } from './intent-service.js';

const anna: IntentAuthor = { actor: { participantId: 'anna', role: 'participant' }, site: 'Alsóváros' };
const bela: IntentAuthor = { actor: { participantId: 'bela', role: 'participant' }, site: 'Felsőtelep' };
const log = Fastify({ logger: false }).log;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const add = (text: string, cardId = newId()): Intent => ({
  id: newId(),
  type: 'card:add',
  cardId,
  kind: 'problem',
  text,
  x: 0,
  y: 0,
});

/** A service over a host over the store, as the server wires them; closed after the test. */
function serviceOn(store: Store, sessionStorageBytes = Number.POSITIVE_INFINITY) {
  const health = new StorageHealth(log, store);
  const host = new RoomHost(store, log, health);
  const service = new IntentService(host, store, health, new SessionQuota(store, sessionStorageBytes), log);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    health.stop();
    await host.closeAll();
  };
  cleanups.push(close);
  return { service, health, host, close };
}

async function opened() {
  const { store } = await storeWithBoard();
  cleanups.push(() => store.close());
  return { store, ...serviceOn(store) };
}

const codes = (results: IntentResult[]) => results.map((result) => (result.ok ? 'ok' : result.code));

/** The session of the test board (storeWithBoard). */
const SESSION = 'session1';

describe('IntentService', () => {
  it('answers once the change and the record of its intent are stored', async () => {
    const { store, service } = await opened();
    const sent = add('Nincs buszjárat');
    const [result] = await service.run(SESSION, anna, TEST_BOARD_ID, [sent]);
    expect(result).toMatchObject({ id: sent.id, ok: true });
    // Nothing is awaited after the answer: both are in the store already.
    expect(await storedTexts(store)).toEqual(['Nincs buszjárat']);
    const record = await store.findIntent(TEST_BOARD_ID, sent.id);
    expect(record?.participantId).toBe('anna');
    expect(JSON.parse(record?.result ?? 'null')).toEqual(result);
  });

  it('answers a replay from the store after the board was loaded afresh, and only to its sender', async () => {
    const { store, service, close } = await opened();
    const sent = add('Egyszer');
    const [first] = await service.run(SESSION, anna, TEST_BOARD_ID, [sent]);
    await close();

    const again = serviceOn(store).service;
    expect(await again.run(SESSION, anna, TEST_BOARD_ID, [sent])).toEqual([first]);
    expect(await again.run(SESSION, bela, TEST_BOARD_ID, [sent])).toMatchObject([
      { ok: false, code: 'id-taken', final: true },
    ]);
    expect(await storedTexts(store)).toEqual(['Egyszer']);
  });

  it('refuses new intents with session-full once the session holds its quota, and still answers replays', async () => {
    const { store, service, close } = await opened();
    const sent = add('Az első');
    const [first] = await service.run(SESSION, anna, TEST_BOARD_ID, [sent]);
    await close();
    const stored = await store.sessionStoredBytes(SESSION);
    expect(stored).toBeGreaterThan(0);

    const full = serviceOn(store, stored).service;
    const [refused] = await full.run(SESSION, anna, TEST_BOARD_ID, [add('Egy újabb')]);
    expect(refused).toMatchObject({ ok: false, code: 'session-full', final: true });
    expect(refused?.ok === false && refused.error).toMatch(/MB of storage a session may use/);
    expect(await full.run(SESSION, anna, TEST_BOARD_ID, [sent])).toEqual([first]);
    expect(await storedTexts(store)).toEqual(['Az első']);
    expect(await store.sessionStoredBytes(SESSION)).toBe(stored);
  });

  it('runs the batches of one board one at a time: two devices adding one card id get one card', async () => {
    const { store, service } = await opened();
    const cardId = newId();
    const [fromAnna, fromBela] = await Promise.all([
      service.run(SESSION, anna, TEST_BOARD_ID, [add('Anna', cardId)]),
      service.run(SESSION, bela, TEST_BOARD_ID, [add('Béla', cardId)]),
    ]);
    expect([...codes(fromAnna ?? []), ...codes(fromBela ?? [])]).toEqual(['ok', 'id-taken']);
    expect(await storedTexts(store)).toEqual(['Anna']);
  });

  it('meters each participant on the board; a replay is not metered', async () => {
    const { service } = await opened();
    const burst = Array.from({ length: INTENT_RATE.burst }, (_, i) => add(`Kártya ${i}`));
    const first = burst[0] as Intent;
    const results: IntentResult[] = [];
    for (let at = 0; at < burst.length; at += 50) {
      results.push(...(await service.run(SESSION, anna, TEST_BOARD_ID, burst.slice(at, at + 50))));
    }
    expect(codes(results).every((code) => code === 'ok')).toBe(true);
    const over = await service.run(SESSION, anna, TEST_BOARD_ID, [first, add('Egy túl sok')]);
    expect(over[0]).toEqual(results[0]);
    expect(over[1]).toMatchObject({ ok: false, code: 'rate-limited', final: false });
    // Béla has a budget of his own.
    expect(codes(await service.run(SESSION, bela, TEST_BOARD_ID, [add('Béla')]))).toEqual(['ok']);
  });

  it('holds a change the disk refused, answers that it passes, and answers its replay once stored', async () => {
    const { store, service, health } = await opened();
    const append = store.appendBoardUpdates.bind(store);
    let refusals = 1;
    store.appendBoardUpdates = (updates) => {
      if (refusals-- > 0) return Promise.reject(new StorageFailure('database or disk is full'));
      return append(updates);
    };
    const held = add('Megtartva');
    expect(await service.run(SESSION, anna, TEST_BOARD_ID, [held])).toMatchObject([
      { id: held.id, ok: false, code: 'storage-unavailable', final: false },
    ]);
    expect(health.failing).not.toBeNull();
    // While the disk fails, nothing more is applied: refused at once, and sent again later.
    const refused = add('Közben');
    expect(await service.run(SESSION, anna, TEST_BOARD_ID, [refused])).toMatchObject([
      { code: 'storage-unavailable', final: false },
    ]);

    // The held change is written by the next retry; its replay now gets the stored answer.
    const deadline = Date.now() + 5000;
    while ((await store.findIntent(TEST_BOARD_ID, held.id)) === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(health.failing).toBeNull();
    expect(await storedTexts(store)).toEqual(['Megtartva']);
    const [replayed] = await service.run(SESSION, anna, TEST_BOARD_ID, [held]);
    expect(replayed).toMatchObject({ id: held.id, ok: true });
    expect(codes(await service.run(SESSION, anna, TEST_BOARD_ID, [refused]))).toEqual(['ok']);
    expect(await storedTexts(store)).toEqual(['Közben', 'Megtartva']);
  });

  it('stores nothing more of a room whose board a newer writer claimed: its intents are answered as unsaved, and go through a fresh room', async () => {
    const { store, service } = await opened();
    expect(codes(await service.run(SESSION, anna, TEST_BOARD_ID, [add('Előtte')]))).toEqual(['ok']);
    // Another writer (a process that took the board over) claims it.
    await store.claimBoard(TEST_BOARD_ID);
    const late = add('Elvett táblán');
    expect(await service.run(SESSION, anna, TEST_BOARD_ID, [late])).toMatchObject([
      { id: late.id, ok: false, code: 'storage-unavailable', final: false },
    ]);
    expect(await storedTexts(store)).toEqual(['Előtte']);
    expect(await store.findIntent(TEST_BOARD_ID, late.id)).toBeUndefined();
    // The phone sends it again: a room read afresh (and claimed anew) applies and stores it, once.
    expect(codes(await service.run(SESSION, anna, TEST_BOARD_ID, [late]))).toEqual(['ok']);
    expect(await storedTexts(store)).toEqual(['Elvett táblán', 'Előtte']);
  });
});
