import path from 'node:path';
import { listCards, newId, voteTotals } from '@kaptar/board';
import { type Intent, type IntentResult, ROOM_CLOSE, YJS_PATH } from '@kaptar/protocol';
import { COMPACT_AFTER_UPDATES } from '@kaptar/server/rooms/board-log';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { cleanupAfterEach } from '../support/cleanup.js';
import { type ControlClient, connectControl } from '../support/control-client.js';
import {
  addCardIntent,
  addCards,
  addCardVia,
  applyIntents,
  intent,
  sendIntents,
} from '../support/intents.js';
import { writeJunk } from '../support/junk.js';
import { createSession, joinSession, startServer, waitFor } from '../support/server.js';
import { connectSynced } from '../support/yjs-client.js';

const { cleanup, track } = cleanupAfterEach();

/** Sends one intent until it has a final answer (a rate limit passes). */
async function untilAnswered(control: ControlClient, boardId: string, sent: Intent): Promise<IntentResult> {
  for (;;) {
    const ack = await control.ask('intents', { boardId, intents: [sent] });
    const result = ack.ok ? (ack.results as IntentResult[])[0] : undefined;
    if (result && (result.ok || result.final)) return result;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('restart', () => {
  it('keeps every card across a stop and start, and open clients reconnect by themselves', async () => {
    const first = await startServer();
    const session = await createSession(first);
    const anna = await joinSession(first, session.joinCode);
    const boardId = session.boards[0]?.id as string;

    const open = track(await connectSynced(first.wsUrl, boardId, anna.participantToken));
    const control = track(await connectControl(first.url, anna.participantToken));
    await addCards(
      control,
      boardId,
      Array.from({ length: 30 }, (_, i) => `Erőforrás ${i}`),
      'resource',
    );
    await waitFor(() => listCards(open.doc).length === 30, 'the cards on the open client');
    const before = listCards(open.doc);
    const raw = new WebSocket(`${first.wsUrl}${YJS_PATH}/${boardId}?token=${anna.participantToken}`);
    await new Promise((resolve) => raw.once('open', resolve));
    const closedWith = new Promise<number>((resolve) => raw.once('close', resolve));
    await first.stop();
    // "Restarting": clients reconnect on their own.
    expect(await closedWith).toBe(ROOM_CLOSE.shuttingDown);
    await waitFor(() => !open.provider.wsconnected, 'the client to notice the stop');

    const second = await startServer({ dataDir: first.dataDir, port: first.port });
    cleanup.push(() => second.stop());

    // A fresh client reads everything back from SQLite.
    const fresh = track(await connectSynced(second.wsUrl, boardId, session.moderatorToken));
    expect(listCards(fresh.doc)).toEqual(before);

    // The open client reconnects on its own and gets what is written after the restart.
    await waitFor(
      () => open.provider.wsconnected && open.provider.synced,
      'the open client to reconnect',
      10_000,
    );
    const again = track(await connectControl(second.url, anna.participantToken));
    const card = await addCardVia(again, boardId, 'Újraindítás után', 'resource');
    await waitFor(
      () => [fresh, open].every((client) => listCards(client.doc).some((c) => c.id === card)),
      'the post-restart card on both clients',
    );
    expect(listCards(open.doc)).toEqual(listCards(fresh.doc));
    expect(listCards(fresh.doc)).toHaveLength(31);

    // Tokens survive too: the participant's identity is still known.
    const info = await fetch(`${second.url}/api/sessions/${session.sessionId}`, {
      headers: { authorization: `Bearer ${anna.participantToken}` },
    });
    expect(info.status).toBe(200);
  });

  it('keeps a long history after compaction, and the answers to its intents', async () => {
    const first = await startServer();
    const session = await createSession(first);
    const boardId = session.boards[0]?.id as string;
    // Past the compaction threshold twice. One intent at a time: each is stored on its own, one
    // row of the board's log (intents that arrive together share a row). Many participants, so
    // that each stays within its own budget. Seconds on a quiet machine, more on a busy one.
    const total = 2 * COMPACT_AFTER_UPDATES + 100;
    const people = 22;
    const tokens = await Promise.all(
      Array.from(
        { length: people },
        async (_, i) => (await joinSession(first, session.joinCode, `Lakó ${i}`)).participantToken,
      ),
    );
    const writers = await Promise.all(
      tokens.map(async (token) => track(await connectControl(first.url, token))),
    );
    const sent: Intent[] = [];
    const answers: IntentResult[] = [];
    for (let n = 0; n < total; n++) {
      const intent = addCardIntent(`Kártya ${n}`, 'resource');
      sent.push(intent);
      answers.push(await untilAnswered(writers[n % people] as ControlClient, boardId, intent));
    }
    expect(answers.every((answer) => answer.ok)).toBe(true);

    // The log was folded into a stored state: fewer rows than changes.
    const db = new Database(path.join(first.dataDir, 'kaptar.sqlite'), { readonly: true });
    const rows = (
      db.prepare('SELECT count(*) AS n FROM board_updates WHERE board_id = ?').get(boardId) as { n: number }
    ).n;
    db.close();
    expect(rows).toBeLessThan(COMPACT_AFTER_UPDATES);

    const reader = track(await connectSynced(first.wsUrl, boardId, session.moderatorToken));
    await waitFor(() => listCards(reader.doc).length === total, 'every card on a reader');
    const expected = listCards(reader.doc);
    await first.stop();

    const second = await startServer({ dataDir: first.dataDir });
    cleanup.push(() => second.stop());
    const fresh = track(await connectSynced(second.wsUrl, boardId, session.moderatorToken));
    expect(listCards(fresh.doc)).toEqual(expected);
    expect(new Set(expected.map((card) => card.text)).size).toBe(total);
    // The answers survive the compactions: the very first intent, replayed, gets its answer and adds nothing.
    const firstWriter = track(await connectControl(second.url, tokens[0] as string));
    expect(await sendIntents(firstWriter, boardId, [sent[0] as Intent])).toEqual([answers[0]]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(listCards(fresh.doc)).toHaveLength(total);
  }, 60_000);

  it('rebuilds a board saved before intents from its typed contents, under a new epoch', async () => {
    const first = await startServer();
    const session = await createSession(first);
    const boardId = session.boards[0]?.id as string;
    const anna = await joinSession(first, session.joinCode);
    const control = track(await connectControl(first.url, anna.participantToken));
    const moderator = track(await connectControl(first.url, session.moderatorToken));
    const bus = addCardIntent('Nincs busz');
    const answers = await applyIntents(control, boardId, [
      bus,
      addCardIntent('Van kisbusz', 'resource'),
      intent('group:create', { groupId: newId(), cardIds: [bus.cardId], title: 'Közlekedés' }),
    ]);
    await moderator.ask('board:settings', { boardId, settings: { phase: 'vote' } });
    expect(await control.ask('vote', { boardId, cardId: bus.cardId, delta: 1 })).toMatchObject({ ok: true });
    const before = track(await connectSynced(first.wsUrl, boardId, session.moderatorToken));
    await waitFor(() => voteTotals(before.doc).get(bus.cardId) === 1, 'the vote on a reader');
    const contents = { cards: listCards(before.doc), votes: [...voteTotals(before.doc)] };
    await first.stop();

    // The file as an earlier version left it: any client could write the board, and one did.
    const db = new Database(path.join(first.dataDir, 'kaptar.sqlite'));
    const head = db
      .prepare('SELECT data FROM board_heads JOIN state_blobs ON state_blobs.id = blob_id WHERE board_id = ?')
      .get(boardId) as { data: Buffer } | undefined;
    const logged = db
      .prepare('SELECT data FROM board_updates WHERE board_id = ? ORDER BY seq')
      .all(boardId) as Array<{
      data: Buffer;
    }>;
    const old = new Y.Doc();
    if (head) Y.applyUpdate(old, head.data);
    for (const { data } of logged) Y.applyUpdate(old, data);
    const junk: Uint8Array[] = [];
    old.on('update', (update: Uint8Array) => junk.push(update));
    writeJunk(old);
    for (const update of junk)
      db.prepare('INSERT INTO board_updates (board_id, data) VALUES (?, ?)').run(boardId, update);
    const { epoch: oldEpoch } = db.prepare('SELECT epoch FROM boards WHERE id = ?').get(boardId) as {
      epoch: string;
    };
    db.prepare("UPDATE boards SET epoch = '' WHERE id = ?").run(boardId);
    db.close();

    const second = await startServer({ dataDir: first.dataDir });
    cleanup.push(() => second.stop());
    const fresh = track(await connectSynced(second.wsUrl, boardId, session.moderatorToken));
    expect(listCards(fresh.doc)).toEqual(contents.cards);
    expect([...voteTotals(fresh.doc)]).toEqual(contents.votes);
    expect([...fresh.doc.getMap('cards').keys()].sort()).toEqual(
      contents.cards.map((card) => card.id).sort(),
    );
    expect(fresh.doc.share.has('admin')).toBe(false);

    // A replica of the old document is told to start afresh; the answers to its intents are kept.
    const stale = new WebSocket(
      `${second.wsUrl}${YJS_PATH}/${boardId}?token=${session.moderatorToken}&epoch=${oldEpoch}`,
    );
    expect(await new Promise((resolve) => stale.on('close', resolve))).toBe(ROOM_CLOSE.staleReplica);
    const again = track(await connectControl(second.url, anna.participantToken));
    // The stored answer, its effect in the new document (which every fresh replica holds), so the
    // device does not wait for the old document's clock forever.
    const [replay] = await sendIntents(again, boardId, [bus]);
    expect(replay).toEqual({ ...answers[0], effect: { client: expect.any(Number), clock: 0 } });
    expect(replay?.ok && replay.effect.client).not.toBe(answers[0]?.ok && answers[0].effect.client);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(listCards(fresh.doc)).toHaveLength(2);
  });
});
