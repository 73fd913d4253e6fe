/**
 * Three Kaptár processes on one PostgreSQL and one Redis, HAProxy in front (the README's recipe):
 * phones on any process edit and vote on one board, and every process shows the same board, with
 * the budgets checked once, by the session's owner.
 */
import { get } from 'node:http';
import { listCards, voteTotals } from '@kaptar/board';
import { ROOM_CLOSE } from '@kaptar/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openRawRoom, openSyncedRawRoom } from '../security/support/raw-room.js';
import { startCluster, type TestCluster } from '../support/cluster.js';
import { type ControlClient, connectControl } from '../support/control-client.js';
import { addCards } from '../support/intents.js';
import type { ServerProcess } from '../support/process-server.js';
import { createSession, joinSession, waitFor } from '../support/server.js';
import { type BoardClient, connectSynced } from '../support/yjs-client.js';

let cluster: TestCluster;
const open: Array<() => void> = [];
beforeAll(async () => {
  cluster = await startCluster();
}, 60_000);
afterEach(() => {
  for (const close of open.splice(0)) close();
});
afterAll(() => cluster?.stop());

async function control(url: string, token: string, polling = false): Promise<ControlClient> {
  const client = await connectControl(url, token, {}, { polling });
  open.push(() => client.close());
  return client;
}
async function replica(wsUrl: string, boardId: string, token: string): Promise<BoardClient> {
  const client = await connectSynced(wsUrl, boardId, token);
  open.push(() => client.destroy());
  return client;
}
const sum = (totals: Map<string, number>) => [...totals.values()].reduce((a, b) => a + b, 0);

describe('a cluster of three processes behind HAProxy', () => {
  it('phones on all three processes edit one board, and every replica converges to the same board', async () => {
    const session = await createSession(cluster.balancer, 'Három szerver');
    const boardId = session.boards[0]?.id as string;
    const people = await Promise.all(
      cluster.processes.map(async (process, index) => {
        const joined = await joinSession(cluster.balancer, session.joinCode, `Lakó ${index}`);
        return {
          controls: await control(process.url, joined.participantToken),
          board: await replica(process.wsUrl, boardId, joined.participantToken),
        };
      }),
    );
    // Through the balancer on the long-polling fallback too (sticky by the balancer's cookie).
    const polling = await joinSession(cluster.balancer, session.joinCode, 'Lakó a polling-on');
    const pollingControl = await control(cluster.balancer.url, polling.participantToken, true);
    const pollingBoard = await replica(cluster.balancer.wsUrl, boardId, polling.participantToken);

    const added = await Promise.all([
      ...people.map(({ controls }, index) =>
        addCards(
          controls,
          boardId,
          Array.from({ length: 10 }, (_, k) => `Kártya ${index}/${k}`),
        ),
      ),
      addCards(pollingControl, boardId, ['Pollingról 1', 'Pollingról 2']),
    ]);
    const expected = added.flat().sort();
    expect(expected).toHaveLength(32);
    const boards = [...people.map((person) => person.board), pollingBoard];
    const ids = (client: BoardClient) =>
      listCards(client.doc)
        .map((card) => card.id)
        .sort();
    await waitFor(
      () => boards.every((board) => ids(board).length === 32),
      'all 32 cards on every replica',
      10_000,
    );
    for (const board of boards) expect(ids(board)).toEqual(expected);
  });

  it('20 participants spread over the processes vote at the edge of their budgets at once: never over, the same totals everywhere', async () => {
    const session = await createSession(cluster.balancer, 'Szavazás három szerveren');
    const boardId = session.boards[0]?.id as string;
    const moderator = await control(cluster.processes[0]?.url as string, session.moderatorToken);
    const cardIds = await addCards(moderator, boardId, ['Busz', 'Orvos', 'Bolt', 'Posta']);
    expect(
      await moderator.ask('board:settings', { boardId, settings: { phase: 'vote', voteBudget: 3 } }),
    ).toEqual({ ok: true });
    const voters = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const joined = await joinSession(cluster.balancer, session.joinCode, `Szavazó ${i}`);
        const process = cluster.processes[i % 3];
        if (!process) throw new Error('three processes');
        return control(process.url, joined.participantToken);
      }),
    );
    const acks = await Promise.all(
      voters.flatMap((client, i) =>
        Array.from({ length: 5 }, (_, k) =>
          client.ask('vote', { boardId, cardId: cardIds[(i + k) % cardIds.length], delta: 1 }),
        ),
      ),
    );
    for (let i = 0; i < voters.length; i++) {
      const mine = acks.slice(i * 5, i * 5 + 5);
      expect(mine.filter((ack) => ack.ok)).toHaveLength(3);
      expect(mine.filter((ack) => !ack.ok).map((ack) => !ack.ok && ack.code)).toEqual([
        'vote-budget-exhausted',
        'vote-budget-exhausted',
      ]);
    }
    const replicas = await Promise.all(
      cluster.processes.map((process) => replica(process.wsUrl, boardId, session.moderatorToken)),
    );
    await waitFor(
      () => replicas.every((r) => sum(voteTotals(r.doc)) === 60),
      'all 60 votes on every process',
      10_000,
    );
    const [first, ...others] = replicas.map((r) => [...voteTotals(r.doc)].sort());
    for (const other of others) expect(other).toEqual(first);
  });
});

describe('a hostile client on a process that does not own its session', () => {
  it('a flood of commands is metered where it arrives, and a forged hand-over header is not believed', async () => {
    const session = await createSession(cluster.balancer, 'Áradat');
    const boardId = session.boards[0]?.id as string;
    const [owner, elsewhere] = cluster.processes as [ServerProcess, ServerProcess];
    const moderator = await control(owner.url, session.moderatorToken);
    await addCards(moderator, boardId, ['Busz']);
    const hostile = await joinSession(cluster.balancer, session.joinCode, 'Áradat');
    const flood = await control(elsewhere.url, hostile.participantToken);
    const answers = await Promise.all(
      Array.from({ length: 300 }, () => flood.ask('board:private', { boardId })),
    );
    const limited = answers.filter((ack) => !ack.ok && ack.code === 'rate-limited').length;
    // The socket's own budget (40 at once) holds on the forwarding process: the rest never reach Redis.
    expect(limited).toBeGreaterThanOrEqual(250);
    // Meanwhile the moderator, on the owner, is answered at once.
    const started = Date.now();
    await addCards(moderator, boardId, ['Orvos']);
    expect(Date.now() - started).toBeLessThan(1000);

    // A request that claims to be handed over by another process is served as any other: handed
    // to the owner (which logs it), never served where it arrived, and counted against its sender.
    const url = `/api/sessions/${session.sessionId}/report`;
    const forged = await fetch(`${elsewhere.url}${url}`, {
      headers: { authorization: `Bearer ${session.moderatorToken}`, 'x-kaptar-handed-over': 'guess' },
    });
    expect(forged.status).toBe(200);
    expect(owner.logText()).toContain(`"url":"${url}"`);
  });

  it('a plain request that only says "Upgrade" is handed to the owner, and its writes go on', async () => {
    const session = await createSession(cluster.balancer, 'Álcázott kérés');
    const boardId = session.boards[0]?.id as string;
    const [owner, elsewhere] = cluster.processes as [ServerProcess, ServerProcess];
    const moderator = await control(owner.url, session.moderatorToken);
    await addCards(moderator, boardId, ['Piac']);
    // Served where it arrived, this read would load the board there and claim it from its owner.
    const url = `/api/boards/${boardId}/export?format=csv`;
    // fetch() refuses to send the header: a hand-made client does not.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      get(
        `${elsewhere.url}${url}`,
        { headers: { authorization: `Bearer ${session.moderatorToken}`, upgrade: 'x-kaptar' } },
        (response) => {
          response.resume();
          resolve(response.statusCode);
        },
      ).on('error', reject);
    });
    expect(status).toBe(200);
    // The log leaves the query out.
    expect(owner.logText()).toContain(`"url":"/api/boards/${boardId}/export?`);
    expect(await cluster.ownerOf(session.sessionId)).toBe(owner);
    const started = Date.now();
    await addCards(moderator, boardId, ['Iskola']);
    expect(Date.now() - started).toBeLessThan(1000);
    const watcher = await replica(elsewhere.wsUrl, boardId, session.moderatorToken);
    await waitFor(() => listCards(watcher.doc).length === 2, 'both cards on the other process');
  });

  it('a made-up session id in a URL takes no lease: no process holds sessions that do not exist', async () => {
    const made = Array.from({ length: 20 }, (_, index) => `kitalalt-${index}-${Date.now()}`);
    for (const sessionId of made) {
      const reply = await fetch(`${cluster.balancer.url}/api/sessions/${sessionId}/report`, {
        headers: { authorization: 'Bearer kitalalt' },
      });
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expect(reply.status).toBeLessThan(500);
    }
    for (const sessionId of made) expect(await cluster.ownerOf(sessionId)).toBeUndefined();
  });
});

describe('a session deleted in a cluster', () => {
  it('every phone’s board socket closes, on every process, and does not open again', async () => {
    const session = await createSession(cluster.balancer, 'Törlendő');
    const boardId = session.boards[0]?.id as string;
    const joined = await joinSession(cluster.balancer, session.joinCode, 'Lakó');
    const rooms = await Promise.all(
      cluster.processes.map((process) => openSyncedRawRoom(process.wsUrl, boardId, joined.participantToken)),
    );
    for (const room of rooms) open.push(() => room.close());
    const deleted = await fetch(`${cluster.balancer.url}/api/sessions/${session.sessionId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${session.moderatorToken}` },
    });
    expect(deleted.status).toBe(204);
    for (const room of rooms) expect((await room.closeWithin(3000))?.code).toBe(ROOM_CLOSE.removed);
    for (const process of cluster.processes) {
      const again = await openRawRoom(process.wsUrl, boardId, joined.participantToken);
      open.push(() => again.close());
      expect((await again.closeWithin(3000))?.code).not.toBeUndefined();
    }
  });
});
