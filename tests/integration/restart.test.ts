import { addCard, listCards } from '@kaptar/board';
import { afterEach, describe, expect, it } from 'vitest';
import { moderatorOf, newCard } from '../support/cards.js';
import { createSession, joinSession, startServer, waitFor } from '../support/server.js';
import { type BoardClient, connectSynced } from '../support/yjs-client.js';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function track(client: BoardClient) {
  cleanup.push(() => client.destroy());
  return client;
}

describe('restart', () => {
  it('keeps every card across a stop and start, and open clients reconnect by themselves', async () => {
    const first = await startServer();
    const session = await createSession(first);
    const anna = await joinSession(first, session.joinCode);
    const boardId = session.boards[0]?.id as string;

    const open = track(await connectSynced(first.wsUrl, boardId, anna.participantToken));
    const annaActs = { participantId: anna.participantId, role: 'participant' as const };
    for (let i = 0; i < 30; i++) addCard(open.doc, annaActs, newCard(`Erőforrás ${i}`, 'resource'));
    const before = listCards(open.doc);
    // Give the relay a moment to receive; the server saves on stop.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await first.stop();
    await waitFor(() => !open.provider.wsconnected, 'the client to notice the stop');

    const second = await startServer({ dataDir: first.dataDir, port: first.port });
    cleanup.push(() => second.stop());

    // A fresh client reads everything back from SQLite.
    const fresh = track(await connectSynced(second.wsUrl, boardId, session.moderatorToken));
    expect(listCards(fresh.doc)).toEqual(before);

    // The open client reconnects on its own and its new edits reach the fresh one.
    await waitFor(
      () => open.provider.wsconnected && open.provider.synced,
      'the open client to reconnect',
      10_000,
    );
    addCard(open.doc, annaActs, newCard('Újraindítás után', 'resource'));
    await waitFor(() => listCards(fresh.doc).length === 31, 'the post-restart card');

    // Tokens survive too: the participant's identity is still known.
    const info = await fetch(`${second.url}/api/sessions/${session.sessionId}`, {
      headers: { authorization: `Bearer ${anna.participantToken}` },
    });
    expect(info.status).toBe(200);
  });

  it('keeps a long history after compaction', async () => {
    const first = await startServer();
    const session = await createSession(first);
    const boardId = session.boards[0]?.id as string;
    // Eight writers, each well within the per-connection message budget, together pass the
    // compaction threshold (500 logged updates) twice.
    const writers = await Promise.all(
      Array.from({ length: 8 }, async () =>
        track(await connectSynced(first.wsUrl, boardId, session.moderatorToken)),
      ),
    );
    for (let batch = 0; batch < 3; batch++) {
      for (const [w, writer] of writers.entries()) {
        for (let i = 0; i < 50; i++) {
          addCard(writer.doc, moderatorOf(session), newCard(`Kártya ${w}-${batch}-${i}`, 'resource'));
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const writer = writers[0] as (typeof writers)[number];
    await waitFor(() => listCards(writer.doc).length === 1200, 'every card on the first writer');
    const expected = listCards(writer.doc);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await first.stop();

    const second = await startServer({ dataDir: first.dataDir });
    cleanup.push(() => second.stop());
    const reader = track(await connectSynced(second.wsUrl, boardId, session.moderatorToken));
    expect(listCards(reader.doc)).toEqual(expected);
    expect(expected).toHaveLength(1200);
  });
});
