import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addCard, DEFAULT_TEMPLATE, EMPTY_PRIVATE_ROWS, listCards, newBoardState } from '@kaptar/board';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { SnapshotRecord, Store } from '../store.js';
import { storeWithBoard } from '../store-with-board.js';
import { migrate } from './migrations.js';
import { openSqliteStore, SQLITE_FILE_NAME } from './store.js';

const author = { participantId: 'anna', role: 'participant' as const };
let store: Store | undefined;

afterEach(async () => {
  await store?.close();
});

async function openedWithBoard() {
  const opened = await storeWithBoard();
  store = opened.store;
  return opened;
}

function snapshotRecord(id: string): SnapshotRecord {
  return {
    id,
    boardId: 'board1',
    name: 'Első',
    kind: 'manual',
    createdAt: 2,
    createdBy: 'moderator',
    cardCount: 2,
    voteCount: 0,
  };
}

/** The texts of the cards in a state (and updates), sorted: cards of one millisecond have no order. */
function textsOf(...updates: Uint8Array[]): string[] {
  const restored = new Y.Doc();
  for (const update of updates) Y.applyUpdate(restored, update);
  return listCards(restored)
    .map((card) => card.text)
    .sort();
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

describe('the move of states into state_blobs (migration 8)', () => {
  it("keeps a file's boards, logs and snapshots, and their snapshots survive the next compaction", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaptar-migrate-'));
    const doc = new Y.Doc();
    Y.applyUpdate(doc, newBoardState(DEFAULT_TEMPLATE));
    const empty = Y.encodeStateAsUpdate(doc);
    cardUpdate(doc, 'Régi állapotban');
    const earlier = Y.encodeStateAsUpdate(doc);
    const logged = cardUpdate(doc, 'Régi naplóban');
    // A file as the store before state_blobs left it: states inline in board_states and snapshots.
    const old = new Database(path.join(dir, SQLITE_FILE_NAME));
    migrate(old, 7);
    old.exec(`INSERT INTO sessions (id, title, join_code, created_at) VALUES ('s1', 'Műhely', '123456', 1);
              INSERT INTO boards (id, session_id, title, position, created_at) VALUES ('b1', 's1', 'Gondok', 0, 1);`);
    old.prepare('INSERT INTO board_states (board_id, state) VALUES (?, ?)').run('b1', earlier);
    old.prepare('INSERT INTO board_updates (board_id, data) VALUES (?, ?)').run('b1', logged);
    old
      .prepare(`INSERT INTO snapshots (id, board_id, name, kind, created_at, created_by, card_count, vote_count, state)
                VALUES ('snap1', 'b1', 'Régi', 'manual', 2, 'm', 0, 0, ?)`)
      .run(empty);
    old.close();

    store = openSqliteStore(dir);
    const board = await store.loadBoardDoc('b1');
    expect(textsOf(board.state ?? new Uint8Array(), ...board.updates)).toEqual([
      'Régi naplóban',
      'Régi állapotban',
    ]);
    // The old snapshot was of the board before its first card.
    expect(textsOf((await store.getSnapshot('b1', 'snap1'))?.state ?? new Uint8Array())).toEqual([]);
    await store.snapshotBoard({ ...snapshotRecord('snap2'), boardId: 'b1' }, [], EMPTY_PRIVATE_ROWS);
    await store.compactBoard('b1', Y.encodeStateAsUpdate(doc), (await store.loadBoardDoc('b1')).seq);
    // Still so after the compaction that replaced the board's state.
    expect(textsOf((await store.getSnapshot('b1', 'snap1'))?.state ?? new Uint8Array())).toEqual([]);
    expect(textsOf((await store.getSnapshot('b1', 'snap2'))?.state ?? new Uint8Array())).toEqual([
      'Régi naplóban',
      'Régi állapotban',
    ]);
  });
});

describe('snapshots across a compaction', () => {
  it('keep one stored state per distinct moment: five snapshots of one moment share one copy of the log', async () => {
    const { store, doc, dataDir, fence } = await openedWithBoard();
    for (const text of ['Egy', 'Kettő', 'Három']) {
      await store.appendBoardUpdates([
        { boardId: 'board1', fence, update: cardUpdate(doc, text), intents: [], changes: [] },
      ]);
    }
    for (let i = 0; i < 5; i++) await store.snapshotBoard(snapshotRecord(`same${i}`), [], EMPTY_PRIVATE_ROWS);
    await store.appendBoardUpdates([
      { boardId: 'board1', fence, update: cardUpdate(doc, 'Később'), intents: [], changes: [] },
    ]);
    await store.compactBoard('board1', Y.encodeStateAsUpdate(doc), (await store.loadBoardDoc('board1')).seq);

    const db = new Database(path.join(dataDir, SQLITE_FILE_NAME), { readonly: true });
    try {
      // The board's new state and the five snapshots' one state; no per-snapshot copies of the log.
      expect(db.prepare('SELECT count(*) AS n FROM state_blobs').get()).toEqual({ n: 2 });
      expect(db.prepare('SELECT count(*) AS n FROM snapshot_updates').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT count(DISTINCT blob_id) AS n FROM snapshots').get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    for (let i = 0; i < 5; i++) {
      const stored = await store.getSnapshot('board1', `same${i}`);
      expect(textsOf(stored?.state ?? new Uint8Array())).toEqual(['Egy', 'Három', 'Kettő']);
    }
  });

  it('stores an imported state named by two boards once, and keeps it for one when the other is compacted', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaptar-store-'));
    store = openSqliteStore(dataDir);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, newBoardState(DEFAULT_TEMPLATE));
    cardUpdate(doc, 'Közös');
    const shared = Y.encodeStateAsUpdate(doc);
    const board = (id: string, position: number) => ({
      board: { id, sessionId: 's', title: id, position, archived: false, createdAt: 1, epoch: `e-${id}` },
      state: shared,
      ballots: [],
    });
    await store.importSession({
      session: {
        id: 's',
        title: 'Import',
        joinCode: '654321',
        viewerToken: 'v',
        sites: [],
        allowNewSites: true,
        lang: 'en',
        createdAt: 1,
      },
      participants: [],
      boards: [board('a', 0), board('b', 1)],
      snapshots: [],
      sessionDoc: null,
    });
    const db = () => new Database(path.join(dataDir, SQLITE_FILE_NAME), { readonly: true });
    const blobs = (file: Database.Database) =>
      (file.prepare('SELECT count(*) AS n FROM state_blobs').get() as { n: number }).n;
    const once = db();
    expect(blobs(once)).toBe(1);
    once.close();

    // Board a moves to a state of its own; board b still names the shared one.
    cardUpdate(doc, 'Csak az egyiken');
    await store.compactBoard('a', Y.encodeStateAsUpdate(doc), 0);
    const b = await store.loadBoardDoc('b');
    expect(textsOf(b.state ?? new Uint8Array(), ...b.updates)).toEqual(['Közös']);
    const a = await store.loadBoardDoc('a');
    expect(textsOf(a.state ?? new Uint8Array(), ...a.updates)).toEqual(['Csak az egyiken', 'Közös']);
  });

  it('keeps updates logged while a compaction runs, and drops at start the states no record names', async () => {
    const { store, doc, dataDir, fence } = await openedWithBoard();
    const [upTo] = await store.appendBoardUpdates([
      { boardId: 'board1', fence, update: cardUpdate(doc, 'Egy'), intents: [], changes: [] },
    ]);
    await store.snapshotBoard(snapshotRecord('during'), [], EMPTY_PRIVATE_ROWS);
    const state = Y.encodeStateAsUpdate(doc);
    // The compaction folds the snapshot a turn later; a card stored meanwhile is not in `state`.
    const compacting = store.compactBoard('board1', state, upTo as number);
    await store.appendBoardUpdates([
      { boardId: 'board1', fence, update: cardUpdate(doc, 'Közben'), intents: [], changes: [] },
    ]);
    await compacting;
    const loaded = await store.loadBoardDoc('board1');
    expect(textsOf(loaded.state ?? new Uint8Array(), ...loaded.updates)).toEqual(['Egy', 'Közben']);
    expect(textsOf((await store.getSnapshot('board1', 'during'))?.state ?? new Uint8Array())).toEqual([
      'Egy',
    ]);
    await store.close();

    // A state written ahead of its records by an import or a compaction cut off by a crash.
    const db = new Database(path.join(dataDir, SQLITE_FILE_NAME));
    db.prepare('INSERT INTO state_blobs (data) VALUES (?)').run(Buffer.from([1, 2, 3]));
    const count = () => (db.prepare('SELECT count(*) AS n FROM state_blobs').get() as { n: number }).n;
    const before = count();
    db.close();
    const reopened = openSqliteStore(dataDir);
    const again = new Database(path.join(dataDir, SQLITE_FILE_NAME), { readonly: true });
    expect((again.prepare('SELECT count(*) AS n FROM state_blobs').get() as { n: number }).n).toBe(
      before - 1,
    );
    again.close();
    const kept = await reopened.loadBoardDoc('board1');
    expect(textsOf(kept.state ?? new Uint8Array(), ...kept.updates)).toEqual(['Egy', 'Közben']);
    await reopened.close();
  });
});

describe('boards of a file saved before intents', () => {
  it("lists a file's boards saved before intents (no epoch), and none once they are rebuilt", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaptar-epoch-'));
    const old = new Database(path.join(dir, SQLITE_FILE_NAME));
    // The file as the version before intents left it (migration 9 added the epochs).
    migrate(old, 8);
    old.exec(`INSERT INTO sessions (id, title, join_code, created_at) VALUES ('s1', 'Műhely', '123456', 1);
              INSERT INTO boards (id, session_id, title, position, created_at) VALUES ('b1', 's1', 'Gondok', 0, 1);`);
    old.close();
    store = openSqliteStore(dir);
    expect(await store.listBoardsWithoutEpoch()).toEqual(['b1']);
    await store.replaceBoardDoc('b1', newBoardState(DEFAULT_TEMPLATE), 'fresh', EMPTY_PRIVATE_ROWS);
    expect(await store.listBoardsWithoutEpoch()).toEqual([]);
    expect((await store.getBoard('b1'))?.epoch).toBe('fresh');
  });
});
