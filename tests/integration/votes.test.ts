import { readMeta, votesUsedBy, voteTotals } from '@kaptar/board';
import { describe, expect, it } from 'vitest';
import { useServer } from '../support/harness.js';
import { addCards, addCardVia } from '../support/intents.js';
import { createSession, joinSession, waitFor } from '../support/server.js';

const kaptar = useServer();

describe('votes with the kaptar.server as the authority', () => {
  it('20 participants voting at once at the edge of their budgets never exceed them; all clients agree', async () => {
    const session = await createSession(kaptar.server, 'Szavazási roham');
    const boardId = session.boards[0]?.id as string;
    const moderator = await kaptar.control(session.moderatorToken);
    const cardIds = await addCards(moderator, boardId, ['Busz', 'Orvos', 'Bolt', 'Posta']);
    expect(
      await moderator.ask('board:settings', { boardId, settings: { phase: 'vote', voteBudget: 3 } }),
    ).toEqual({ ok: true });

    const voters = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const joined = await joinSession(
          kaptar.server,
          session.joinCode,
          `Lakó ${i}`,
          i % 2 ? 'Alsóváros' : 'Felsőtelep',
        );
        return { joined, client: await kaptar.control(joined.participantToken) };
      }),
    );
    // Everyone fires five votes at the same moment; the budget is three.
    const acks = await Promise.all(
      voters.flatMap(({ client }, i) =>
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

    // Three independent replicas hold the same totals: 20 x 3 = 60, nobody over budget.
    const replicas = await Promise.all([0, 1, 2].map(() => kaptar.board(boardId, session.moderatorToken)));
    const sum = (totals: Map<string, number>) => [...totals.values()].reduce((a, b) => a + b, 0);
    await waitFor(
      () => replicas.every((r) => sum(voteTotals(r.doc)) === 60),
      'all 60 votes on every replica',
    );
    const [first, ...others] = replicas.map((r) => [...voteTotals(r.doc)].sort());
    for (const other of others) expect(other).toEqual(first);
    const used = await kaptar.server.app.rooms.withRoom(boardId, (room) =>
      voters.map(({ joined }) => votesUsedBy(room.board, joined.participantId)),
    );
    expect(used).toEqual(voters.map(() => 3));

    // Taking a vote back frees budget for another.
    const [one] = voters;
    if (!one) throw new Error('no voters');
    const back = await one.client.ask('vote', { boardId, cardId: cardIds[0], delta: -1 });
    expect(back).toMatchObject({ ok: true, remaining: 1 });
    expect(await one.client.ask('vote', { boardId, cardId: cardIds[3], delta: 1 })).toMatchObject({
      ok: true,
      remaining: 0,
    });
  });

  it('refuses votes outside the vote phase, from the moderator, on unknown cards and with bad payloads', async () => {
    const session = await createSession(kaptar.server);
    const boardId = session.boards[0]?.id as string;
    const anna = await joinSession(kaptar.server, session.joinCode);
    const annaControl = await kaptar.control(anna.participantToken);
    const moderator = await kaptar.control(session.moderatorToken);
    const id = await addCardVia(annaControl, boardId, 'Víz');

    expect(await annaControl.ask('vote', { boardId, cardId: id, delta: 1 })).toMatchObject({
      ok: false,
      code: 'not-in-this-phase',
    });
    await moderator.ask('board:settings', { boardId, settings: { phase: 'vote' } });
    expect(await moderator.ask('vote', { boardId, cardId: id, delta: 1 })).toMatchObject({
      code: 'not-in-this-phase',
    });
    const projector = await kaptar.control(session.viewerToken);
    expect(await projector.ask('vote', { boardId, cardId: id, delta: 1 })).toMatchObject({
      code: 'forbidden',
    });
    expect(await annaControl.ask('vote', { boardId, cardId: 'nope', delta: 1 })).toMatchObject({
      code: 'card-not-found',
    });
    for (const payload of [
      { boardId, cardId: id, delta: 2 },
      { boardId, cardId: id },
      { boardId, cardId: id, delta: 1, extra: true },
      'vote!',
      null,
    ]) {
      expect(await annaControl.ask('vote', payload)).toMatchObject({ ok: false, code: 'invalid-payload' });
    }
    const other = await createSession(kaptar.server);
    expect(
      await annaControl.ask('vote', { boardId: other.boards[0]?.id, cardId: id, delta: 1 }),
    ).toMatchObject({ code: 'unknown-board' });
    expect(await annaControl.ask('vote', { boardId, cardId: id, delta: 1 })).toMatchObject({
      ok: true,
      onCard: 1,
    });
  });

  it('lets only the moderator change settings, start the timer by the kaptar.server clock, and remove people', async () => {
    const session = await createSession(kaptar.server);
    const boardId = session.boards[0]?.id as string;
    const anna = await joinSession(kaptar.server, session.joinCode, 'Anna', 'Alsóváros');
    const annaControl = await kaptar.control(anna.participantToken);
    const moderator = await kaptar.control(session.moderatorToken);
    const reader = await kaptar.board(boardId, session.moderatorToken);

    for (const [event, payload] of [
      ['board:settings', { boardId, settings: { locked: true } }],
      ['board:timer', { boardId, durationMs: 60_000 }],
      ['board:remove-card', { boardId, cardId: 'x' }],
      ['session:remove-participant', { participantId: anna.participantId }],
    ] as const) {
      expect(await annaControl.ask(event, payload)).toMatchObject({ ok: false, code: 'forbidden' });
    }
    expect(readMeta(reader.doc).locked).toBe(false);

    const serverNow = await annaControl.clock();
    expect(Math.abs(serverNow - Date.now())).toBeLessThan(1000);
    expect(await moderator.ask('board:timer', { boardId, durationMs: 60_000 })).toEqual({ ok: true });
    await waitFor(() => readMeta(reader.doc).timer !== null, 'the timer on the board');
    expect(Math.abs((readMeta(reader.doc).timer?.startedAt ?? 0) - Date.now())).toBeLessThan(1000);
    expect(await moderator.ask('board:timer', { boardId, durationMs: 0 })).toEqual({ ok: true });
    await waitFor(() => readMeta(reader.doc).timer === null, 'the timer cleared');

    const annaBoard = await kaptar.board(boardId, anna.participantToken);
    const closed = new Promise<number>((resolve) =>
      annaBoard.provider.ws?.addEventListener('close', (event) => resolve(event.code)),
    );
    expect(await moderator.ask('session:remove-participant', { participantId: anna.participantId })).toEqual({
      ok: true,
    });
    await waitFor(() => annaControl.presence.removed, 'Anna told she was removed');
    expect(await closed).toBe(4403);
    await waitFor(() => !annaControl.socket.connected, 'Anna disconnected');
    const info = await fetch(`${kaptar.server.url}/api/sessions/${session.sessionId}`, {
      headers: { authorization: `Bearer ${anna.participantToken}` },
    });
    expect(info.status).toBe(401);
    await waitFor(() => !moderator.presence.list.some((p) => p.name === 'Anna'), 'Anna gone from the list');
    expect(
      await moderator.ask('session:remove-participant', { participantId: anna.participantId }),
    ).toMatchObject({
      code: 'unknown-participant',
    });
  });
});
