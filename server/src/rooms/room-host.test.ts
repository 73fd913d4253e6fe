import { addCard, listCards } from '@kaptar/board';
import Fastify from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { StorageHealth } from '../storage/health.js';
import { storedTexts, storeWithBoard, TEST_BOARD_ID } from '../storage/store-with-board.js';
import { RoomHost } from './room-host.js';

const anna = { participantId: 'anna', role: 'participant' as const };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function hostWithBoard() {
  const { store } = await storeWithBoard();
  const log = Fastify({ logger: false }).log;
  const host = new RoomHost(store, log, new StorageHealth(log, store));
  cleanups.push(async () => {
    await host.closeAll();
    await store.close();
  });
  return { store, host };
}

const card = (text: string) => ({ kind: 'problem' as const, text, site: 'Alsóváros', x: 0, y: 0 });

describe('RoomHost.change', () => {
  it('resolves only once the change is in the store, so an acknowledgement means saved', async () => {
    const { store, host } = await hostWithBoard();
    await host.change(TEST_BOARD_ID, (room) => addCard(room.doc, anna, card('Nincs buszjárat')));
    expect(await storedTexts(store)).toEqual(['Nincs buszjárat']);
  });

  it('lets changes that arrive in the same turn of the event loop share one save', async () => {
    const { store, host } = await hostWithBoard();
    let transactions = 0;
    const append = store.appendBoardUpdates.bind(store);
    store.appendBoardUpdates = (updates) => {
      transactions += 1;
      return append(updates);
    };
    await host.change(TEST_BOARD_ID, (room) => addCard(room.doc, anna, card('Első')));
    transactions = 0;
    // Twenty votes read from twenty sockets in one turn of the event loop: separate callbacks.
    const texts = Array.from({ length: 20 }, (_, i) => `Kártya ${i}`);
    await Promise.all(
      texts.map(
        (text) =>
          new Promise((resolve) =>
            setTimeout(() =>
              resolve(host.change(TEST_BOARD_ID, (room) => addCard(room.doc, anna, card(text)))),
            ),
          ),
      ),
    );
    expect(await storedTexts(store)).toEqual(['Első', ...texts].sort());
    // One or two (timers due in the same millisecond may fall in two turns); one each would be 20.
    expect(transactions).toBeLessThan(5);
  });

  it('answers each change within two writes when every write takes several turns (a database server)', async () => {
    const { store, host } = await hostWithBoard();
    await host.change(TEST_BOARD_ID, (room) => addCard(room.doc, anna, card('Első')));
    let written = 0;
    const append = store.appendBoardUpdates.bind(store);
    const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
    store.appendBoardUpdates = async (updates) => {
      for (let i = 0; i < 3; i += 1) await turn();
      const seqs = await append(updates);
      written += 1;
      return seqs;
    };
    // A change every turn while writes take three: a write chained for every turn would answer
    // each change after more and more writes that carried newer changes first.
    const waited: number[] = [];
    const changes: Array<Promise<unknown>> = [];
    for (let i = 0; i < 40; i += 1) {
      const before = written;
      changes.push(
        host
          .change(TEST_BOARD_ID, (room) => addCard(room.doc, anna, card(`Kártya ${i}`)))
          .then(() => waited.push(written - before)),
      );
      await turn();
    }
    await Promise.all(changes);
    expect(Math.max(...waited)).toBeLessThanOrEqual(2);
    expect(await storedTexts(store)).toHaveLength(41);
  });

  it('keeps the answer to an applied intent until it is stored with its change, then the store has it', async () => {
    const { store, host } = await hostWithBoard();
    const author = { actor: anna, site: 'Alsóváros' };
    const intent = {
      type: 'card:add' as const,
      cardId: 'card1',
      kind: 'problem' as const,
      text: 'Szándék',
      x: 0,
      y: 0,
    };
    const effect = await host.withRoom(TEST_BOARD_ID, async (room) => {
      const applied = room.applyIntent('intent1', author, intent);
      // Not on disk yet (the writer runs on the next turn): the room answers a replay meanwhile.
      expect(room.unsavedIntent('intent1')).toMatchObject({ participantId: 'anna' });
      expect(await store.findIntent(TEST_BOARD_ID, 'intent1')).toBeUndefined();
      await host.saved();
      expect(room.unsavedIntent('intent1')).toBeUndefined();
      return applied;
    });
    const stored = await store.findIntent(TEST_BOARD_ID, 'intent1');
    expect(JSON.parse(stored?.result ?? 'null')).toEqual({ id: 'intent1', ok: true, effect });
    expect(await storedTexts(store)).toEqual(['Szándék']);
  });
});

describe('RoomHost unloading', () => {
  it('keeps a room whose changes the disk refused until they are saved: unloaded, they would be lost to the board', async () => {
    // The host's idle timer, the writer's turns and its retry delay run on a fake clock.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
    cleanups.push(async () => {
      vi.useRealTimers();
    });
    const { store, host } = await hostWithBoard();
    const append = store.appendBoardUpdates.bind(store);
    let refusing = true;
    store.appendBoardUpdates = (updates) =>
      refusing ? Promise.reject(new Error('SQLITE_FULL: database or disk is full')) : append(updates);
    const intent = {
      type: 'card:add' as const,
      cardId: 'held',
      kind: 'problem' as const,
      text: 'Megtartva',
      x: 0,
      y: 0,
    };
    const room = await host.withRoom(TEST_BOARD_ID, (loaded) => {
      loaded.applyIntent('intent1', { actor: anna, site: 'Alsóváros' }, intent);
      return loaded;
    });
    const saving = expect(host.saved()).rejects.toThrow();
    await vi.advanceTimersByTimeAsync(1);
    await saving;

    // Nobody is on the board, and its idle time passes while the disk still refuses.
    await vi.advanceTimersByTimeAsync(31_000);
    const again = await host.acquire(TEST_BOARD_ID);
    expect(again).toBe(room);
    expect(listCards(again.doc).map((card) => card.text)).toEqual(['Megtartva']);
    host.release(again);

    // The disk takes writes again: the held change is saved by the next retry.
    refusing = false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await storedTexts(store)).toEqual(['Megtartva']);
    expect((await store.findIntent(TEST_BOARD_ID, 'intent1'))?.participantId).toBe('anna');
  });

  it('counts a batch being written as unsaved until it is committed, so a snapshot taken meanwhile holds it', async () => {
    const { store, host } = await hostWithBoard();
    // An engine whose commit takes a while (PostgreSQL's round trips): the append waits for a gate.
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const append = store.appendBoardUpdates.bind(store);
    store.appendBoardUpdates = async (updates) => {
      await gate;
      return append(updates);
    };
    const saving = host.change(TEST_BOARD_ID, (room) => addCard(room.doc, anna, card('Úton a tárba')));
    const room = await host.acquire(TEST_BOARD_ID);
    await vi.waitFor(() => expect(room.hasUnsaved).toBe(true));
    await new Promise((resolve) => setImmediate(resolve));
    const restored = new Y.Doc();
    const { state } = await store.loadBoardDoc(TEST_BOARD_ID);
    for (const update of [state ?? new Uint8Array(), ...room.unsavedUpdates()])
      Y.applyUpdate(restored, update);
    expect(listCards(restored).map((c) => c.text)).toEqual(['Úton a tárba']);
    open();
    await saving;
    expect(room.unsavedUpdates()).toEqual([]);
    host.release(room);
  });
});
