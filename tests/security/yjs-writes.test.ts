/**
 * Writes over the Yjs room, from a hand-made client: the room is read-only, so every update,
 * sync answer and awareness message is dropped after its header; nothing reaches the server's
 * document or anyone else's device, and the connection is closed once it has sent too much.
 */
import { getCard, listCards, readMeta, voteTotals } from '@kaptar/board';
import { MAX_YJS_MESSAGE_BYTES, ROOM_CLOSE } from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { useServer } from '../support/harness.js';
import { addCards } from '../support/intents.js';
import { waitFor } from '../support/server.js';
import { recordDoor } from './support/figures.js';
import { forgeChange, futureDeletion, manyGroupMaps } from './support/forge.js';
import { openRawRoom, openSyncedRawRoom } from './support/raw-room.js';
import { p95, sessionProbe, summary } from './support/round-trip.js';
import { rootSizes, workshop } from './support/workshop.js';
import { awarenessMessage, fakeAwarenessUpdate, syncStep2, syncUpdate } from './support/y-frames.js';

const kaptar = useServer();
const ROUND_TRIP_LIMIT_MS = 100;

/** Session A with a card of Anna's and one of Béla's; Anna's token is the attacker's. */
async function boardWithCards() {
  const board = await workshop(kaptar);
  const [anna, bela] = board.phones as [(typeof board.phones)[0], (typeof board.phones)[0]];
  const [annaCard] = await addCards(anna.control, board.boardId, ['Nincs orvos']);
  const [belaCard] = await addCards(bela.control, board.boardId, ['Van közösségi ház']);
  const before = await board.everyoneAgrees();
  return { ...board, anna, bela, annaCard: annaCard as string, belaCard: belaCard as string, before };
}

describe('a hand-made client writing the Yjs room', () => {
  it('one update of thousands of group maps: dropped under the size limit, closed with 1009 over it; nothing changes; session B stays fast', async () => {
    const board = await boardWithCards();
    const probe = await sessionProbe(kaptar);
    const roots = await board.serverRoots();
    // Built before the clock starts: the forger's own work is not the server's.
    const sizes = [4_000, 7_000, 50_000].map((count) => ({ count, update: manyGroupMaps(count) }));
    const [fits, seven, fifty] = sizes as [(typeof sizes)[0], (typeof sizes)[0], (typeof sizes)[0]];
    expect(fits.update.byteLength).toBeLessThan(MAX_YJS_MESSAGE_BYTES);
    // ~7,000 empty maps are already ~97 KB: they cannot be sent in one message at all.
    expect(seven.update.byteLength).toBeGreaterThan(MAX_YJS_MESSAGE_BYTES);

    const { result, trips, peakRssMiB } = await probe.during(async () => {
      const underLimit = await openRawRoom(
        kaptar.server.wsUrl,
        board.boardId,
        board.anna.join.participantToken,
      );
      underLimit.send(syncUpdate(fits.update));
      const stillOpen = await underLimit.closeWithin(300);
      // The same again as a sync answer: beyond the dropped-bytes budget, closed as a writer.
      underLimit.send(syncStep2(fits.update));
      const afterSecond = await underLimit.closeWithin(2000);
      const overLimit = [];
      for (const { update } of [seven, fifty]) {
        for (const frame of [syncUpdate(update), syncStep2(update)]) {
          const room = await openRawRoom(
            kaptar.server.wsUrl,
            board.boardId,
            board.anna.join.participantToken,
          );
          room.send(frame);
          overLimit.push((await room.closeWithin(2000))?.code);
        }
      }
      return { stillOpen, afterSecond: afterSecond?.code, overLimit };
    }, 1000);
    console.info(
      `group maps flood: ${summary(trips)}; sizes ${sizes.map((s) => `${s.count}: ${s.update.byteLength} B`).join(', ')}`,
    );

    recordDoor(
      {
        door: 'Yjs writes',
        attack: 'updates of 4,000 to 50,000 group maps sent to the read-only room',
        bound: 'dropped after the header; 64 KiB a message (1009), 64 KiB of writes a connection (4405)',
      },
      { trips, peakRssMiB },
    );
    expect(result.stillOpen).toBeNull();
    expect(result.afterSecond).toBe(ROOM_CLOSE.readOnly);
    expect(result.overLimit).toEqual([1009, 1009, 1009, 1009]);
    expect(await board.serverRoots()).toEqual(roots);
    expect(await board.serverContents()).toEqual(board.before);
    for (const device of [board.moderator.reader, ...board.phones.map((phone) => phone.reader)]) {
      expect(device.doc.getMap('groups').size).toBe(0);
    }
    expect(p95(trips.intent)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
    expect(p95(trips.health)).toBeLessThan(ROUND_TRIP_LIMIT_MS);

    // The honest phones carry on.
    await addCards(board.bela.control, board.boardId, ['Még írunk']);
    const after = await board.everyoneAgrees();
    expect(after.cards.map((card) => card.text)).toEqual(['Nincs orvos', 'Van közösségi ház', 'Még írunk']);
  });

  it('type confusion as Yjs updates (a number as a card, a string over a card, hidden x, y = 1e308, protected roots): dropped', async () => {
    const board = await boardWithCards();
    const base = new Y.Doc();
    Y.applyUpdate(base, await board.serverState());
    const cardMap = (doc: Y.Doc, id: string) => doc.getMap<Y.Map<unknown>>('cards').get(id);
    const forgeries: Array<(doc: Y.Doc) => void> = [
      (doc) => doc.getMap('cards').set('x', 1),
      (doc) => doc.getMap('cards').set(board.belaCard, 'átvettem'),
      (doc) => cardMap(doc, board.belaCard)?.set('x', 'hidden'),
      (doc) => cardMap(doc, board.belaCard)?.set('y', 1e308),
      (doc) => cardMap(doc, board.belaCard)?.set('text', 'Átírva'),
      (doc) => doc.getMap('cards').delete(board.belaCard),
      (doc) => doc.getMap('meta').set('locked', true),
      (doc) => doc.getMap('meta').set('voteBudget', 50),
      (doc) => doc.getMap('votes').set(board.annaCard, new Y.Map()),
      (doc) => doc.getMap('tallies').set(board.annaCard, 99),
      (doc) => doc.getArray('unknown-root').insert(0, ['junk']),
    ];
    const updates = forgeries.map((change) => forgeChange(base, change));
    const roots = await board.serverRoots();
    for (const frameOf of [syncUpdate, syncStep2]) {
      const attacker = await openRawRoom(
        kaptar.server.wsUrl,
        board.boardId,
        board.anna.join.participantToken,
      );
      for (const update of updates) attacker.send(frameOf(update));
      // Small writes are dropped silently (a stock provider sends a few): the connection stays.
      expect(await attacker.closeWithin(300)).toBeNull();
      attacker.close();
    }
    expect(await board.serverRoots()).toEqual(roots);
    expect(await board.serverContents()).toEqual(board.before);
    const seen = await board.everyoneAgrees();
    expect(seen.cards).toHaveLength(2);
    expect(seen.meta).toMatchObject({ locked: false, voteBudget: 5 });
    for (const device of [board.moderator.reader, ...board.phones.map((phone) => phone.reader)]) {
      expect(rootSizes(device.doc)).not.toHaveProperty('unknown-root');
      expect(device.doc.getMap('cards').get('x')).toBeUndefined();
      expect(getCard(device.doc, board.belaCard)).toMatchObject({
        text: 'Van közösségi ház',
        area: 'problems',
        x: 0,
        y: 0,
      });
    }
  });

  it('future deletions (a delete set for clocks the server has not written yet): dropped; the next cards, votes and phase of others survive', async () => {
    const board = await boardWithCards();
    const clientId = await board.serverClientId();
    const next = await kaptar.server.app.rooms.withRoom(board.boardId, (room) =>
      Y.getState(room.doc.store, clientId),
    );
    const deletion = futureDeletion(clientId, next, 10_000);
    const stateBefore = await board.serverState();
    const attacker = await openSyncedRawRoom(
      kaptar.server.wsUrl,
      board.boardId,
      board.anna.join.participantToken,
    );
    attacker.send(syncUpdate(deletion));
    attacker.send(syncStep2(deletion));
    expect(await attacker.closeWithin(200)).toBeNull();

    // Everything the server writes next lands in the range the attacker tried to delete.
    const [newCard] = await addCards(board.bela.control, board.boardId, ['Új kártya a törlés után']);
    expect(
      await board.moderator.control.ask('board:settings', {
        boardId: board.boardId,
        settings: { phase: 'vote' },
      }),
    ).toEqual({ ok: true });
    expect(
      await board.anna.control.ask('vote', { boardId: board.boardId, cardId: newCard, delta: 1 }),
    ).toMatchObject({ ok: true });
    const after = await board.everyoneAgrees();
    expect(after.meta.phase).toBe('vote');
    expect(after.cards.find((card) => card.id === newCard)).toMatchObject({
      text: 'Új kártya a törlés után',
      votes: 1,
    });
    // The attacker's own replica holds them too: the server never took its delete set.
    await waitFor(
      () => voteTotals(attacker.replica()).get(newCard as string) === 1,
      "the vote on the attacker's replica",
    );
    const replica = attacker.replica();
    expect(readMeta(replica).phase).toBe('vote');
    expect(listCards(replica)).toHaveLength(3);

    // The forgery has teeth: a replica that took the delete set loses exactly those changes.
    const victim = new Y.Doc();
    Y.applyUpdate(victim, stateBefore);
    Y.applyUpdate(victim, deletion);
    Y.applyUpdate(victim, Y.encodeStateAsUpdate(replica));
    expect(listCards(victim).map((card) => card.id)).not.toContain(newCard);
  });

  it('awareness: 1 MB or thousands of fake client ids are never relayed; the connection is closed at the budget', async () => {
    const board = await boardWithCards();
    const listener = await openSyncedRawRoom(
      kaptar.server.wsUrl,
      board.boardId,
      board.bela.join.participantToken,
    );
    const hugeState = awarenessMessage(fakeAwarenessUpdate(1, 1_000_000));
    const fakeCrowd = awarenessMessage(fakeAwarenessUpdate(1_000, 10, 1_000_000));
    expect(fakeCrowd.byteLength).toBeLessThan(MAX_YJS_MESSAGE_BYTES);

    const probe = await sessionProbe(kaptar);
    const { result, trips, peakRssMiB } = await probe.during(async () => {
      const huge = await openRawRoom(kaptar.server.wsUrl, board.boardId, board.anna.join.participantToken);
      huge.send(hugeState);
      const hugeClosed = (await huge.closeWithin(2000))?.code;
      const crowd = await openRawRoom(kaptar.server.wsUrl, board.boardId, board.anna.join.participantToken);
      const sends: Array<number | undefined> = [];
      // Dropped, and counted: the connection is closed once its writes pass the budget.
      for (let i = 0; i < 4 && sends.at(-1) === undefined; i++) {
        crowd.send(fakeCrowd);
        sends.push((await crowd.closeWithin(300))?.code);
      }
      return { hugeClosed, sends };
    }, 1000);
    console.info(`awareness: ${summary(trips)}`);
    recordDoor(
      {
        door: 'awareness',
        attack: 'a 1 MB awareness state, then 1,000 fake client ids a message',
        bound: 'never stored or relayed, from anyone; counted as writes (64 KiB a connection, 4405)',
      },
      { trips, peakRssMiB },
    );
    expect(p95(trips.intent)).toBeLessThan(ROUND_TRIP_LIMIT_MS);
    const { hugeClosed, sends } = result;
    expect(hugeClosed).toBe(1009);
    expect(sends.at(0)).toBeUndefined();
    expect(sends.at(-1)).toBe(ROOM_CLOSE.readOnly);

    // An honest stock phone's awareness has nobody else in it, and the recording reader got no awareness at all.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(listener.kinds().filter((kind) => kind === 'awareness')).toEqual([]);
    for (const phone of board.phones) {
      expect([...phone.reader.provider.awareness.getStates().keys()]).toEqual([phone.reader.doc.clientID]);
    }
    expect(board.bela.reader.provider.wsconnected).toBe(true);
    await addCards(board.bela.control, board.boardId, ['Még itt vagyunk']);
    await board.everyoneAgrees();
  });
});
