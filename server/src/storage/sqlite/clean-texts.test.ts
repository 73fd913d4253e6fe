import path from 'node:path';
import { docFromState, EMPTY_PRIVATE_ROWS, followsTextRule, listCards } from '@kaptar/board';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { loadBoardDoc } from '../../rooms/board-log.js';
import type { Store } from '../store.js';
import { storeWithBoard, TEST_BOARD_ID } from '../store-with-board.js';
import { openSqliteStore, SQLITE_FILE_NAME } from './store.js';

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
});

/**
 * Code points of every class the text rule refuses that storage keeps (SQLite and Yjs write UTF-8,
 * where a lone surrogate was already U+FFFD).
 */
const ODD = '\u0000\u0007\u009B\u202E\u2066\uFFFE\uFDD0\u{10FFFF}';
const odd = (text: string) => [...text].map((char, i) => `${char}${[...ODD][i % 8]}`).join('');

/** A card as a client could write it before the rule: straight into the document. */
function rawCard(doc: Y.Doc, id: string, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc);
  const card = new Y.Map<unknown>();
  for (const [key, value] of Object.entries({
    kind: 'problem',
    text,
    site: odd('Alsóváros'),
    authorId: 'anna',
    x: 10,
    y: 20,
    createdAt: 3,
  }))
    card.set(key, value);
  doc.getMap('cards').set(id, card);
  return Y.encodeStateAsUpdate(doc, before);
}

describe('the data migration to the text rule', () => {
  it('cleans every stored text, in rows and documents, keeping ids and all else; a clean file is left as it is', async () => {
    const opened = await storeWithBoard();
    store = opened.store;
    const { doc, dataDir, fence } = opened;
    const moderator = { sessionId: 'session1', role: 'participant' as const, tokenHash: 'h', createdAt: 2 };
    await store.addParticipant({ ...moderator, id: 'anna', name: odd('Anna'), site: odd('Alsóváros') });
    await store.updateSites('session1', [odd('Alsóváros'), 'Alsóváros', 'Felsőfalu'], true);
    await store.updateBoard(TEST_BOARD_ID, { title: `${odd('Gondok')}\nés\ttervek` });
    const draft = {
      id: 'draft1',
      kind: 'problem' as const,
      text: 'Tit\u0000kos\r\nvázlat',
      authorId: 'anna',
      site: 'Alsó\u202Eváros',
      area: '',
      x: 0,
      y: 0,
      createdAt: 4,
      groupId: null,
    };
    await store.appendBoardUpdates([
      {
        boardId: TEST_BOARD_ID,
        fence,
        update: rawCard(doc, 'card1', 'Nincs\u0000 busz\u202E\r\nhétvégén'),
        intents: [
          {
            intentId: 'i1',
            participantId: 'anna',
            result: '{"ok":true}',
            changes: JSON.stringify([{ op: { op: 'card:set', id: 'card1', fields: { text: 'x\u0000y' } } }]),
          },
        ],
        changes: [{ kind: 'draft', cardId: draft.id, authorId: 'anna', card: draft }],
      },
    ]);
    const snapshot = {
      id: 'snap1',
      boardId: TEST_BOARD_ID,
      name: odd('Első'),
      kind: 'manual' as const,
      createdAt: 5,
      createdBy: 'moderator',
      cardCount: 1,
      voteCount: 0,
    };
    await store.snapshotBoard(snapshot, [rawCard(doc, 'card2', 'Nincs\u0007 bolt')], {
      ...EMPTY_PRIVATE_ROWS,
      drafts: [draft],
    });
    await store.close();

    // The file as the version before the rule left it: six migrations back (the rule, intent_bytes, session_docs, the session's language, issue 15's residents, closing and follow-up links, issue 16's fencing numbers).
    const file = path.join(dataDir, SQLITE_FILE_NAME);
    const db = new Database(file);
    const version = db.pragma('user_version', { simple: true }) as number;
    const rewind = (file: Database.Database) => {
      file.exec(
        'ALTER TABLE sessions DROP COLUMN doc_fence; ALTER TABLE board_updates DROP COLUMN fence; ALTER TABLE boards DROP COLUMN fence; DROP TABLE follow_up_links; ALTER TABLE sessions DROP COLUMN closed_at; ALTER TABLE participants DROP COLUMN no_device; ALTER TABLE sessions DROP COLUMN lang; DROP TABLE session_docs; DROP INDEX board_heads_by_blob; ALTER TABLE boards DROP COLUMN intent_bytes',
      );
      file.pragma(`user_version = ${version - 7}`);
    };
    rewind(db);
    db.close();
    store = openSqliteStore(dataDir);

    expect(await store.getSession('session1')).toMatchObject({
      title: 'Műhely',
      sites: ['Alsóváros', 'Felsőfalu'],
    });
    const [anna] = await store.listParticipants('session1');
    expect(anna).toMatchObject({ id: 'anna', name: 'Anna', site: 'Alsóváros' });
    // A line break in a one-line text becomes a space, as a tab does.
    expect((await store.getBoard(TEST_BOARD_ID))?.title).toBe('Gondok és tervek');
    expect((await store.listSnapshots(TEST_BOARD_ID))[0]).toMatchObject({ id: 'snap1', name: 'Első' });

    const board = (await loadBoardDoc(store, TEST_BOARD_ID)).doc;
    expect(listCards(board)).toEqual([
      {
        id: 'card1',
        kind: 'problem',
        text: 'Nincs busz\nhétvégén',
        authorId: 'anna',
        site: 'Alsóváros',
        // Stored before areas: none (the layout finds it one from its position).
        area: '',
        x: 10,
        y: 20,
        createdAt: 3,
        groupId: null,
        // Typed by its author: cards from before residents without a phone were.
        enteredBy: '',
      },
    ]);
    const cleanDraft = { ...draft, text: 'Titkos\nvázlat', site: 'Alsóváros' };
    expect((await store.loadPrivateRows(TEST_BOARD_ID)).drafts).toEqual([cleanDraft]);
    expect(await store.listChangesBy(TEST_BOARD_ID, 'anna')).toEqual([
      {
        intentId: 'i1',
        changes: JSON.stringify([{ op: { op: 'card:set', id: 'card1', fields: { text: 'xy' } } }]),
      },
    ]);
    const saved = await store.getSnapshot(TEST_BOARD_ID, 'snap1');
    const snapshotDoc = docFromState(saved?.state as Uint8Array);
    expect(listCards(snapshotDoc).map((card) => [card.id, card.text])).toEqual([
      ['card1', 'Nincs busz\nhétvégén'],
      ['card2', 'Nincs bolt'],
    ]);
    expect(saved?.rows?.drafts).toEqual([cleanDraft]);
    for (const card of [...listCards(board), ...listCards(snapshotDoc)]) {
      expect(followsTextRule(card.text, 'card')).toBe(true);
    }

    // Run again on the clean file, it writes nothing.
    await store.close();
    const again = new Database(file);
    const logs = () =>
      again
        .prepare('SELECT (SELECT count(*) FROM board_updates) + (SELECT count(*) FROM snapshot_updates) AS n')
        .get();
    const before = logs();
    rewind(again);
    store = openSqliteStore(dataDir);
    expect(logs()).toEqual(before);
    again.close();
  });
});
