/**
 * A data file of the version before the secret ballot: every ballot is in the board's document
 * (`votes`: card -> participant -> count) and in the snapshots'. Started by this version, the
 * ballots move into the store, the documents and snapshots are rebuilt without them, and the
 * file is vacuumed, so no old document is left on disk; every voter keeps their budget.
 */
import path from 'node:path';
import { listCards, voteTotals } from '@kaptar/board';
import { unpackPrivateRows } from '@kaptar/server/storage/snapshot-private';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cleanupAfterEach } from '../support/cleanup.js';
import { connectControl } from '../support/control-client.js';
import { addCards } from '../support/intents.js';
import { createSession, joinSession, startServer, waitFor } from '../support/server.js';
import { connectSynced } from '../support/yjs-client.js';

const { cleanup } = cleanupAfterEach();

/** The version before the secret ballot (schema version 9). */
const OLD_SCHEMA_VERSION = 9;

function decodedVotes(data: Buffer): number {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, data);
  return doc.getMap('votes').size;
}

describe('a data file of the version before the secret ballot', () => {
  it('has its ballots moved into the store, its documents and snapshots rebuilt without them, and is vacuumed', async () => {
    const first = await startServer();
    const session = await createSession(first);
    const boardId = session.boards[0]?.id as string;
    const anna = await joinSession(first, session.joinCode, 'Anna');
    const bela = await joinSession(first, session.joinCode, 'Béla');
    const moderator = await connectControl(first.url, session.moderatorToken);
    const [bus, shop] = (await addCards(moderator, boardId, ['Nincs busz', 'Nincs bolt'])) as [
      string,
      string,
    ];
    expect(
      await moderator.ask('board:settings', { boardId, settings: { phase: 'vote', voteBudget: 3 } }),
    ).toEqual({ ok: true });
    const saved = await fetch(`${first.url}/api/boards/${boardId}/snapshots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.moderatorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Szavazás előtt' }),
    });
    expect(saved.status).toBe(201);
    const snapshotId = ((await saved.json()) as { id: string }).id;
    moderator.close();
    await first.stop();

    // The file as the earlier version left it: the ballots inside the board's and the snapshot's
    // documents, and none of this version's tables.
    const file = path.join(first.dataDir, 'kaptar.sqlite');
    const db = new Database(file);
    const withBallots = (state: Buffer) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, state);
      doc.transact(() => {
        const votes = doc.getMap<Y.Map<number>>('votes');
        const onBus = new Y.Map<number>();
        votes.set(bus, onBus);
        onBus.set(anna.participantId, 2);
        onBus.set(bela.participantId, 1);
        const onShop = new Y.Map<number>();
        votes.set(shop, onShop);
        onShop.set(bela.participantId, 1);
      });
      return Buffer.from(Y.encodeStateAsUpdate(doc));
    };
    const blobOf = (sql: string, id: string) => (db.prepare(sql).get(id) as { blob_id: number }).blob_id;
    for (const blob of new Set([
      blobOf('SELECT blob_id FROM board_heads WHERE board_id = ?', boardId),
      blobOf('SELECT blob_id FROM snapshots WHERE id = ?', snapshotId),
    ])) {
      const { data } = db.prepare('SELECT data FROM state_blobs WHERE id = ?').get(blob) as { data: Buffer };
      db.prepare('UPDATE state_blobs SET data = ? WHERE id = ?').run(withBallots(data), blob);
    }
    const logged = db.prepare('SELECT data FROM board_updates WHERE board_id = ?').all(boardId) as Array<{
      data: Buffer;
    }>;
    expect(logged.length).toBeGreaterThan(0);
    db.exec(`DROP TABLE ballots; DROP TABLE drafts; DROP TABLE card_authors; DROP TABLE pending_vacuum;
             ALTER TABLE snapshots DROP COLUMN private; DROP INDEX board_heads_by_blob; ALTER TABLE boards DROP COLUMN intent_bytes; DROP TABLE session_docs; ALTER TABLE sessions DROP COLUMN lang; ALTER TABLE board_updates DROP COLUMN fence; ALTER TABLE boards DROP COLUMN fence; DROP TABLE follow_up_links; ALTER TABLE sessions DROP COLUMN closed_at; ALTER TABLE participants DROP COLUMN no_device; ALTER TABLE sessions DROP COLUMN doc_fence;
             PRAGMA user_version = ${OLD_SCHEMA_VERSION};`);
    const { epoch: oldEpoch } = db.prepare('SELECT epoch FROM boards WHERE id = ?').get(boardId) as {
      epoch: string;
    };
    db.close();

    const second = await startServer({ dataDir: first.dataDir });
    cleanup.push(() => second.stop());

    // On disk: ballots in their table, no document (board, log, snapshot) holding any, nothing freed left over.
    const after = new Database(file, { readonly: true });
    cleanup.push(() => after.close());
    const ballots = after
      .prepare(
        'SELECT participant_id, card_id, votes FROM ballots WHERE board_id = ? ORDER BY votes DESC, card_id',
      )
      .all(boardId);
    expect(ballots).toHaveLength(3);
    expect(ballots).toContainEqual({ participant_id: anna.participantId, card_id: bus, votes: 2 });
    const states = after.prepare('SELECT data FROM state_blobs').all() as Array<{ data: Buffer }>;
    const updates = after.prepare('SELECT data FROM board_updates').all() as Array<{ data: Buffer }>;
    const snapshotLogs = after.prepare('SELECT data FROM snapshot_updates').all() as Array<{ data: Buffer }>;
    expect([...states, ...updates, ...snapshotLogs].map(({ data }) => decodedVotes(data))).toEqual(
      [...states, ...updates, ...snapshotLogs].map(() => 0),
    );
    expect(after.pragma('freelist_count', { simple: true })).toBe(0);
    expect(after.prepare('SELECT count(*) AS n FROM pending_vacuum').get()).toEqual({ n: 0 });
    const { epoch } = after.prepare('SELECT epoch FROM boards WHERE id = ?').get(boardId) as {
      epoch: string;
    };
    expect(epoch).not.toBe(oldEpoch);
    const snapshotPrivate = after.prepare('SELECT private FROM snapshots WHERE id = ?').get(snapshotId) as {
      private: string;
    };
    expect(unpackPrivateRows(snapshotPrivate.private).ballots).toHaveLength(3);

    // In the app: the totals are shown (votes were visible), and each voter's budget still counts.
    const reader = await connectSynced(second.wsUrl, boardId, session.moderatorToken);
    cleanup.push(() => reader.destroy());
    await waitFor(() => voteTotals(reader.doc).get(bus) === 3, 'the migrated totals on a replica');
    expect(voteTotals(reader.doc).get(shop)).toBe(1);
    expect(reader.doc.getMap('votes').size).toBe(0);
    expect(
      listCards(reader.doc)
        .map((card) => card.text)
        .sort(),
    ).toEqual(['Nincs bolt', 'Nincs busz']);
    const annaControl = await connectControl(second.url, anna.participantToken);
    cleanup.push(() => annaControl.close());
    expect(await annaControl.ask('board:private', { boardId })).toMatchObject({
      ok: true,
      mine: { ballot: { [bus]: 2 } },
    });
    expect(await annaControl.ask('vote', { boardId, cardId: shop, delta: 1 })).toMatchObject({
      ok: true,
      remaining: 0,
    });
    expect(await annaControl.ask('vote', { boardId, cardId: shop, delta: 1 })).toMatchObject({
      ok: false,
      code: 'vote-budget-exhausted',
    });
  });

  it('of a board in silent collect keeps the participants’ cards private: they become drafts, the moderator’s stay', async () => {
    const first = await startServer();
    const session = await createSession(first);
    const boardId = session.boards[0]?.id as string;
    const anna = await joinSession(first, session.joinCode, 'Anna');
    const moderator = await connectControl(first.url, session.moderatorToken);
    const phone = await connectControl(first.url, anna.participantToken);
    const [example] = (await addCards(moderator, boardId, ['A moderátor példája'])) as [string];
    const [secret] = (await addCards(phone, boardId, ['Anna titka'])) as [string];
    // The earlier version kept a silent collect's cards in the document and hid them in the view.
    expect(await moderator.ask('board:settings', { boardId, settings: { silentCollect: true } })).toEqual({
      ok: true,
    });
    moderator.close();
    phone.close();
    await first.stop();
    const db = new Database(path.join(first.dataDir, 'kaptar.sqlite'));
    db.exec(`DROP TABLE ballots; DROP TABLE drafts; DROP TABLE card_authors; DROP TABLE pending_vacuum;
             ALTER TABLE snapshots DROP COLUMN private; DROP INDEX board_heads_by_blob; ALTER TABLE boards DROP COLUMN intent_bytes; DROP TABLE session_docs; ALTER TABLE sessions DROP COLUMN lang; ALTER TABLE board_updates DROP COLUMN fence; ALTER TABLE boards DROP COLUMN fence; DROP TABLE follow_up_links; ALTER TABLE sessions DROP COLUMN closed_at; ALTER TABLE participants DROP COLUMN no_device; ALTER TABLE sessions DROP COLUMN doc_fence;
             PRAGMA user_version = ${OLD_SCHEMA_VERSION};`);
    db.close();

    const second = await startServer({ dataDir: first.dataDir });
    cleanup.push(() => second.stop());
    const reader = await connectSynced(second.wsUrl, boardId, session.viewerToken);
    cleanup.push(() => reader.destroy());
    expect(listCards(reader.doc).map((card) => card.id)).toEqual([example]);
    expect(Buffer.from(Y.encodeStateAsUpdate(reader.doc)).toString('utf8')).not.toContain('Anna titka');
    const annaAgain = await connectControl(second.url, anna.participantToken);
    cleanup.push(() => annaAgain.close());
    const view = await annaAgain.ask('board:private', { boardId });
    expect(
      (view.mine as { drafts: Array<{ id: string; text: string }> }).drafts.map((d) => [d.id, d.text]),
    ).toEqual([[secret, 'Anna titka']]);
  });
});
