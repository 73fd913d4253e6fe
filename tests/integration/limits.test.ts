import { listCards } from '@kaptar/board';
import { type CreateSessionReply, type IntentResult, LIMITS, ROOM_CLOSE, YJS_PATH } from '@kaptar/protocol';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CLIENT_DIST } from '../support/browser.js';
import { cleanupAfterEach } from '../support/cleanup.js';
import { connectControl } from '../support/control-client.js';
import { addCardIntent, addCardVia, sendIntents } from '../support/intents.js';
import {
  createSession,
  joinSession,
  postJson,
  startServer,
  type TestServer,
  waitFor,
} from '../support/server.js';
import { connectSynced } from '../support/yjs-client.js';

const { cleanup } = cleanupAfterEach();

async function server(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const started = await startServer(options);
  cleanup.push(() => started.stop());
  return started;
}

describe('limits', () => {
  it('slows down join-code guessing: ten wrong codes a minute per address, then 429 with a clear message', async () => {
    const kaptar = await server();
    const session = await createSession(kaptar);
    const wrong = session.joinCode === '000000' ? '000001' : '000000';
    for (let i = 0; i < 10; i++) {
      const guess = await postJson(`${kaptar.url}/api/join`, { joinCode: wrong, name: 'X', site: 'Y' });
      expect(guess.status).toBe(404);
    }
    const blocked = await postJson<{ error: string }>(`${kaptar.url}/api/join`, {
      joinCode: wrong,
      name: 'X',
      site: 'Y',
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toMatch(/wait a minute/i);
    expect((await fetch(`${kaptar.url}/api/join/${session.joinCode}`)).status).toBe(429);
  });

  it('cuts off a Yjs message flood on that connection only', async () => {
    const kaptar = await server();
    const session = await createSession(kaptar);
    const boardId = session.boards[0]?.id as string;
    const healthy = await connectSynced(kaptar.wsUrl, boardId, session.moderatorToken);
    const watcher = await connectSynced(kaptar.wsUrl, boardId, session.moderatorToken);
    const moderator = await connectControl(kaptar.url, session.moderatorToken);
    cleanup.push(
      () => healthy.destroy(),
      () => watcher.destroy(),
      () => moderator.close(),
    );

    const flood = new WebSocket(`${kaptar.wsUrl}${YJS_PATH}/${boardId}?token=${session.moderatorToken}`);
    await new Promise((resolve) => flood.on('open', resolve));
    const closed = new Promise<number>((resolve) => flood.on('close', resolve));
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, new Y.Doc());
    const step1 = encoding.toUint8Array(encoder);
    for (let i = 0; i < 1000; i++) flood.send(step1);
    expect(await closed).toBe(ROOM_CLOSE.rateLimited);

    // The other connections on the board are served as before.
    await addCardVia(moderator, boardId, 'Még megy');
    await waitFor(
      () => [healthy, watcher].every((client) => listCards(client.doc).length === 1),
      'the change on the healthy connections',
    );
    expect(healthy.provider.wsconnected).toBe(true);
  });

  it('answers a socket.io command flood with rate-limited acks, and the socket keeps working', async () => {
    const kaptar = await server();
    const session = await createSession(kaptar);
    const anna = await joinSession(kaptar, session.joinCode);
    const control = await connectControl(kaptar.url, anna.participantToken);
    cleanup.push(() => control.close());
    const acks = await Promise.all(
      Array.from({ length: 100 }, () => control.ask('vote', { boardId: 'x', cardId: 'y', delta: 1 })),
    );
    const codes = acks.map((ack) => (ack.ok ? 'ok' : ack.code));
    expect(codes.filter((code) => code === 'rate-limited').length).toBeGreaterThan(40);
    expect(codes.filter((code) => code === 'unknown-board').length).toBeGreaterThan(30);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await control.ask('vote', { boardId: 'x', cardId: 'y', delta: 1 })).toMatchObject({
      code: 'unknown-board',
    });
    // The clock is metered too: beyond the burst, requests go unanswered (the device asks again later).
    await new Promise((resolve) => setTimeout(resolve, 2000));
    let answered = 0;
    for (let i = 0; i < 100; i++) control.socket.emit('clock', () => answered++);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBeGreaterThan(30);
    expect(answered).toBeLessThan(60);
  });

  it('caps live connections per address, Yjs and socket.io together, and frees them on close', async () => {
    const kaptar = await server({ maxConnectionsPerAddress: 3 });
    const session = await createSession(kaptar);
    const boardId = session.boards[0]?.id as string;
    const first = await connectSynced(kaptar.wsUrl, boardId, session.moderatorToken);
    const second = await connectSynced(kaptar.wsUrl, boardId, session.moderatorToken);
    const control = await connectControl(kaptar.url, session.moderatorToken);
    cleanup.push(
      () => second.destroy(),
      () => control.close(),
    );

    const extra = new WebSocket(`${kaptar.wsUrl}${YJS_PATH}/${boardId}?token=${session.moderatorToken}`);
    expect(await new Promise((resolve) => extra.on('close', resolve))).toBe(ROOM_CLOSE.rateLimited);
    await expect(connectControl(kaptar.url, session.moderatorToken)).rejects.toThrow();

    first.destroy();
    await waitFor(() => !first.provider.wsconnected, 'the first connection to close');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await connectSynced(kaptar.wsUrl, boardId, session.moderatorToken);
    cleanup.push(() => again.destroy());
    expect(again.provider.synced).toBe(true);
  });

  describe('behind a reverse proxy or load balancer', () => {
    /** A Yjs socket as a proxy opens it for a phone: from the proxy's address, naming the phone's. */
    const yjsVia = (kaptar: TestServer, boardId: string, token: string, phone: string) =>
      new WebSocket(`${kaptar.wsUrl}${YJS_PATH}/${boardId}?token=${token}`, {
        headers: { 'x-forwarded-for': phone },
      });
    /** 'synced' once the server answers the client's sync (an accepted socket), or the code it closed it with. */
    const outcome = (socket: WebSocket) =>
      new Promise<'synced' | number>((resolve) => {
        socket.once('open', () => {
          const encoder = encoding.createEncoder();
          encoding.writeVarUint(encoder, 0);
          syncProtocol.writeSyncStep1(encoder, new Y.Doc());
          socket.send(encoding.toUint8Array(encoder));
        });
        socket.once('message', () => resolve('synced'));
        socket.once('close', (code) => resolve(code));
      });

    it('counts each phone by the address a trusted proxy forwarded for, on both sockets and over HTTP', async () => {
      const kaptar = await server({
        maxConnectionsPerAddress: 2,
        sessionsPerHour: 1,
        trustedProxies: ['loopback'],
      });
      const created = await postJson<CreateSessionReply>(
        `${kaptar.url}/api/sessions`,
        { title: 'Műhely' },
        { 'x-forwarded-for': '203.0.113.1' },
      );
      expect(created.status).toBe(201);
      const session = created.body;
      const boardId = session.boards[0]?.id as string;
      const token = session.moderatorToken;
      const first = yjsVia(kaptar, boardId, token, '203.0.113.1');
      cleanup.push(() => first.close());
      expect(await outcome(first)).toBe('synced');
      const control = await connectControl(kaptar.url, token, { 'x-forwarded-for': '203.0.113.1' });
      cleanup.push(() => control.close());
      // The phone's two connections fill its address, on both kinds of socket...
      expect(await outcome(yjsVia(kaptar, boardId, token, '203.0.113.1'))).toBe(ROOM_CLOSE.rateLimited);
      await expect(connectControl(kaptar.url, token, { 'x-forwarded-for': '203.0.113.1' })).rejects.toThrow();
      // ...and the phone next to it, through the same proxy, is not counted with it.
      const neighbour = yjsVia(kaptar, boardId, token, '203.0.113.2');
      cleanup.push(() => neighbour.close());
      expect(await outcome(neighbour)).toBe('synced');
      // New sessions are counted per forwarded address too.
      const again = await postJson(
        `${kaptar.url}/api/sessions`,
        { title: 'Még egy' },
        { 'x-forwarded-for': '203.0.113.1' },
      );
      expect(again.status).toBe(429);
      const other = await postJson(
        `${kaptar.url}/api/sessions`,
        { title: 'Másik' },
        { 'x-forwarded-for': '203.0.113.2' },
      );
      expect(other.status).toBe(201);
    });

    it('ignores X-Forwarded-For from anyone it does not trust: a client cannot pick its address', async () => {
      const kaptar = await server({ maxConnectionsPerAddress: 2 });
      const session = await createSession(kaptar);
      const boardId = session.boards[0]?.id as string;
      const token = session.moderatorToken;
      const held = [
        yjsVia(kaptar, boardId, token, '198.51.100.1'),
        yjsVia(kaptar, boardId, token, '198.51.100.2'),
      ];
      cleanup.push(() => {
        for (const socket of held) socket.close();
      });
      expect(await Promise.all(held.map(outcome))).toEqual(['synced', 'synced']);
      expect(await outcome(yjsVia(kaptar, boardId, token, '198.51.100.3'))).toBe(ROOM_CLOSE.rateLimited);
      await expect(
        connectControl(kaptar.url, token, { 'x-forwarded-for': '198.51.100.4' }),
      ).rejects.toThrow();
    });
  });

  it('caps live connections per token, so one link cannot take its neighbours’ share of the address', async () => {
    const kaptar = await server({ maxConnectionsPerToken: 3 });
    const session = await createSession(kaptar);
    const boardId = session.boards[0]?.id as string;
    const greedy = await joinSession(kaptar, session.joinCode, 'Mohó');
    const neighbour = await joinSession(kaptar, session.joinCode, 'Szomszéd');
    const held = await Promise.all([
      connectSynced(kaptar.wsUrl, boardId, greedy.participantToken),
      connectSynced(kaptar.wsUrl, boardId, greedy.participantToken),
      connectControl(kaptar.url, greedy.participantToken),
    ]);
    cleanup.push(() => {
      for (const client of held) 'destroy' in client ? client.destroy() : client.close();
    });
    const extra = new WebSocket(`${kaptar.wsUrl}${YJS_PATH}/${boardId}?token=${greedy.participantToken}`);
    const refused = await new Promise<[number, string]>((resolve) =>
      extra.on('close', (code, reason) => resolve([code, reason.toString()])),
    );
    expect(refused).toEqual([ROOM_CLOSE.rateLimited, 'too many connections with this link']);
    await expect(connectControl(kaptar.url, greedy.participantToken)).rejects.toThrow();
    // The neighbour behind the same address still gets in.
    const next = await connectSynced(kaptar.wsUrl, boardId, neighbour.participantToken);
    cleanup.push(() => next.destroy());
    expect(next.provider.synced).toBe(true);
  });

  it('limits new sessions and imports per address and hour, with a clear error; joining is not limited by it', async () => {
    const kaptar = await server({ sessionsPerHour: 3, importsPerHour: 1 });
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await createSession(kaptar, `Műhely ${i}`));
    const refused = await postJson<{ error: string }>(`${kaptar.url}/api/sessions`, { title: 'Egy túl sok' });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatch(
      /^At most 3 new sessions an hour from one address\. Try again in \d+ min\.$/,
    );
    // People keep joining the sessions that exist.
    expect(
      (
        await postJson(`${kaptar.url}/api/join`, {
          joinCode: made[0]?.joinCode,
          name: 'Anna',
          site: 'Alsóváros',
        })
      ).status,
    ).toBe(200);
    const archive = await fetch(`${kaptar.url}/api/sessions/${made[0]?.sessionId}/archive`, {
      headers: { authorization: `Bearer ${made[0]?.moderatorToken}` },
    }).then((response) => response.json());
    expect((await postJson(`${kaptar.url}/api/sessions/import`, archive)).status).toBe(201);
    const again = await postJson<{ error: string }>(`${kaptar.url}/api/sessions/import`, archive);
    expect(again.status).toBe(429);
    expect(again.body.error).toMatch(/^At most 1 imported archives an hour/);
  });

  it('stops a session at its storage quota: new cards, snapshots, boards and joins refused with a clear error; reads, exports and other sessions go on', async () => {
    const kaptar = await server({ sessionStorageBytes: 96 * 1024 });
    const full = await createSession(kaptar, 'Teli műhely');
    const other = await createSession(kaptar, 'Másik műhely');
    const boardId = full.boards[0]?.id as string;
    const moderator = await connectControl(kaptar.url, full.moderatorToken);
    cleanup.push(() => moderator.close());
    // 50 cards a batch, long texts, until the quota answers (it is measured at most once a second).
    let refused: IntentResult | undefined;
    for (let batch = 0; batch < 40 && !refused; batch++) {
      const intents = Array.from({ length: 50 }, (_, i) =>
        addCardIntent(`${batch}/${i} ${'hosszú szöveg '.repeat(19)}`),
      );
      const results = await sendIntents(moderator, boardId, intents);
      refused = results.find((result) => !result.ok && result.code !== 'rate-limited');
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(refused).toMatchObject({ ok: false, code: 'session-full', final: true });
    expect(refused?.ok === false && refused.error).toMatch(
      /^This session has used the 0.1 MB of storage a session may use: nothing more can be saved in it\./,
    );
    const stored = await kaptar.app.store.sessionStoredBytes(full.sessionId);
    expect(stored).toBeGreaterThanOrEqual(96 * 1024);
    // Within what one second of intents can add beyond the quota.
    expect(stored).toBeLessThan(96 * 1024 + 200 * 1024);

    const auth = { authorization: `Bearer ${full.moderatorToken}` };
    const snapshot = await postJson<{ error: string }>(
      `${kaptar.url}/api/boards/${boardId}/snapshots`,
      { name: 'Még egy' },
      auth,
    );
    expect(snapshot.status).toBe(507);
    expect(snapshot.body.error).toMatch(/MB of storage a session may use/);
    expect(await moderator.ask('board:create', { title: 'Új tábla', template: 'blank' })).toMatchObject({
      ok: false,
      code: 'session-full',
    });
    const join = await postJson<{ error: string; code: string }>(`${kaptar.url}/api/join`, {
      joinCode: full.joinCode,
      name: 'Anna',
      site: 'Alsóváros',
    });
    expect(join.status).toBe(507);
    expect(join.body.code).toBe('session-full');
    // The phase still changes (its automatic snapshot is left out), and what is stored stays readable.
    expect(await moderator.ask('board:settings', { boardId, settings: { phase: 'vote' } })).toMatchObject({
      ok: true,
    });
    expect(
      (await fetch(`${kaptar.url}/api/sessions/${full.sessionId}/archive`, { headers: auth })).status,
    ).toBe(200);
    expect(await kaptar.app.store.sessionStoredBytes(full.sessionId)).toBeLessThan(stored + 1024);

    // Another session on the same server is not touched.
    const neighbour = await connectControl(kaptar.url, other.moderatorToken);
    cleanup.push(() => neighbour.close());
    await addCardVia(neighbour, other.boards[0]?.id as string, 'Itt van hely');
  });

  it('takes at most 1,000 participants in a session, so the list every member gets stays a list', async () => {
    const kaptar = await server();
    const session = await createSession(kaptar, 'Nagy műhely');
    // Written straight to the store: 1,000 joins over HTTP would pass the address's request rate.
    for (let i = 0; i < LIMITS.participantsPerSession; i++) {
      await kaptar.app.store.addParticipant({
        id: `p${i}`,
        sessionId: session.sessionId,
        role: 'participant',
        name: `Lakó ${i}`,
        site: 'Alsóváros',
        tokenHash: `hash-${i}`,
        createdAt: i,
      });
    }
    const join = () =>
      postJson<{ error: string }>(`${kaptar.url}/api/join`, {
        joinCode: session.joinCode,
        name: 'Anna',
        site: 'Alsóváros',
      });
    const refused = await join();
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: 'This workshop is full: it has 1000 participants.',
      code: 'workshop-full',
    });
    // Removing someone makes room.
    await kaptar.app.store.removeParticipant(session.sessionId, 'p0', Date.now());
    expect((await join()).status).toBe(200);
  });

  it('keeps a free-disk reserve for running sessions: under it, new sessions and imports are refused and health says so', async () => {
    // A reserve larger than any disk: this one is always under it.
    const kaptar = await server({ diskReserveBytes: 2 ** 60 });
    const refused = await postJson<{ error: string }>(`${kaptar.url}/api/sessions`, { title: 'Nincs hely' });
    expect(refused.status).toBe(507);
    expect(refused.body.error).toMatch(
      /^The server's disk has \d+ MB free, under the \d+ MB kept for the sessions already running/,
    );
    const imported = await postJson(`${kaptar.url}/api/sessions/import`, { format: 'x' });
    expect(imported.status).toBe(507);
    const health = await fetch(`${kaptar.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, warning: refused.body.error });
  });

  it('sends security headers and a Content-Security-Policy with the app', async () => {
    const kaptar = await server({ clientDir: CLIENT_DIST });
    const page = await fetch(`${kaptar.url}/join/123456`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('strict-transport-security')).toBeNull();
  });
});
