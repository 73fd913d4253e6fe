/** For tests: a real store (SQLite in a fresh folder unless given one) holding one session with one board. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_TEMPLATE, listCards, newBoardState } from '@kaptar/board';
import * as Y from 'yjs';
import { loadBoardDoc } from '../rooms/board-log.js';
import { openSqliteStore } from './sqlite/store.js';
import type { Store } from './store.js';

export const TEST_BOARD_ID = 'board1';

export async function storeWithBoard(opened?: Store) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaptar-store-'));
  const store = opened ?? openSqliteStore(dataDir);
  const board = {
    id: TEST_BOARD_ID,
    sessionId: 'session1',
    title: 'Gondok',
    position: 0,
    archived: false,
    createdAt: 1,
    epoch: 'epoch1',
  };
  const session = {
    id: 'session1',
    title: 'Műhely',
    joinCode: '123456',
    viewerToken: 'viewer',
    sites: [],
    allowNewSites: true,
    lang: 'hu' as const,
    createdAt: 1,
  };
  const doc = new Y.Doc();
  Y.applyUpdate(doc, newBoardState(DEFAULT_TEMPLATE));
  await store.createSession(session, board, Y.encodeStateAsUpdate(doc), []);
  return { store, doc, dataDir, fence: await store.claimBoard(TEST_BOARD_ID) };
}

/** The texts of the test board's cards, sorted, as a server starting afresh would read them. */
export async function storedTexts(store: Store): Promise<string[]> {
  const { doc } = await loadBoardDoc(store, TEST_BOARD_ID);
  return listCards(doc)
    .map((card) => card.text)
    .sort();
}
