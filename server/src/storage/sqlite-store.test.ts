import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addCard, DEFAULT_TEMPLATE, listCards, newBoardState } from '@kaptar/board';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openSqliteStore } from './sqlite-store.js';
import type { SnapshotRecord, Store } from './store.js';

const author = { participantId: 'anna', role: 'participant' as const };
let store: Store | undefined;

afterEach(async () => {
  await store?.close();
});

async function storeWithBoard() {
  store = openSqliteStore(fs.mkdtempSync(path.join(os.tmpdir(), 'kaptar-store-')));
  const board = {
    id: 'board1',
    sessionId: 'session1',
    title: 'Gondok',
    position: 0,
    archived: false,
    createdAt: 1,
  };
  const session = {
    id: 'session1',
    title: 'Műhely',
    joinCode: '123456',
    viewerToken: 'viewer',
    sites: [],
    allowNewSites: true,
    createdAt: 1,
  };
  const doc = new Y.Doc();
  Y.applyUpdate(doc, newBoardState(DEFAULT_TEMPLATE));
  await store.createSession(session, board, Y.encodeStateAsUpdate(doc), []);
  return { store, doc };
}

/** Adds a card to `doc` and returns the update it made. */
function cardUpdate(doc: Y.Doc, text: string): Uint8Array {
  let made: Uint8Array | undefined;
  const keep = (update: Uint8Array) => {
    made = update;
  };
  doc.once('update', keep);
  addCard(doc, author, { kind: 'problem', text, site: 'Alsóváros', x: 0, y: 0 });
  if (!made) throw new Error('no update');
  return made;
}

describe('snapshotBoard', () => {
  it('saves the stored state, the log and the unsaved updates, untouched by later edits and compactions', async () => {
    const { store, doc } = await storeWithBoard();
    await store.appendBoardUpdates([{ boardId: 'board1', update: cardUpdate(doc, 'Naplóban') }]);
    const unsaved = cardUpdate(doc, 'Még nincs mentve');
    const snapshot: SnapshotRecord = {
      id: 'snap1',
      boardId: 'board1',
      name: 'Első',
      kind: 'manual',
      createdAt: 2,
      createdBy: 'moderator',
      cardCount: 2,
      voteCount: 0,
    };
    await store.snapshotBoard(snapshot, [unsaved]);
    const texts = async () => {
      const stored = await store.getSnapshot('board1', 'snap1');
      const restored = new Y.Doc();
      Y.applyUpdate(restored, stored?.state ?? new Uint8Array());
      return listCards(restored).map((card) => card.text);
    };
    // Later edits, before and after a compaction of the board's log, leave the snapshot as it was.
    await store.appendBoardUpdates([{ boardId: 'board1', update: unsaved }]);
    await store.appendBoardUpdates([{ boardId: 'board1', update: cardUpdate(doc, 'Később') }]);
    expect(await texts()).toEqual(['Naplóban', 'Még nincs mentve']);
    await store.compactBoard('board1', Y.encodeStateAsUpdate(doc));
    expect(await texts()).toEqual(['Naplóban', 'Még nincs mentve']);
    await store.appendBoardUpdates([{ boardId: 'board1', update: cardUpdate(doc, 'Még később') }]);
    await store.compactBoard('board1', Y.encodeStateAsUpdate(doc));
    expect(await texts()).toEqual(['Naplóban', 'Még nincs mentve']);

    const stored = await store.getSnapshot('board1', 'snap1');
    expect(stored?.snapshot).toEqual(snapshot);
    expect(await store.getSnapshot('board1', 'nope')).toBeUndefined();
  });
});
