import { readMeta, timerView } from '@kaptar/board';
import { describe, expect, it } from 'vitest';
import { useServer } from '../support/harness.js';
import { addCards } from '../support/intents.js';
import { createSession, joinSession, waitFor } from '../support/server.js';

const kaptar = useServer();
const MINUTE = 60_000;

async function workshop() {
  const session = await createSession(kaptar.server, 'Időzítő');
  const boardId = session.boards[0]?.id as string;
  const anna = await joinSession(kaptar.server, session.joinCode, 'Anna', 'Alsóváros');
  return {
    boardId,
    session,
    anna: await kaptar.control(anna.participantToken),
    annaId: anna.participantId,
    projector: await kaptar.control(session.viewerToken),
    moderator: await kaptar.control(session.moderatorToken),
    reader: await kaptar.board(boardId, anna.participantToken),
  };
}

describe('the board timer, steered by the moderator on the server clock', () => {
  it('pauses (the time left holds on every replica), adds a minute, resumes, and stops', async () => {
    const { boardId, moderator, reader } = await workshop();
    const timerOf = () => readMeta(reader.doc).timer;
    expect(await moderator.ask('board:timer', { boardId, durationMs: 5 * MINUTE })).toEqual({ ok: true });
    await waitFor(() => timerOf() !== null, 'the timer on the phone');

    expect(await moderator.ask('board:timer', { boardId, action: 'pause' })).toEqual({ ok: true });
    await waitFor(() => timerOf()?.pausedAt !== undefined, 'the pause on the phone');
    const held = timerView(timerOf(), Date.now());
    expect(held.state).toBe('paused');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    // Paused: the same time left more than a second later, by anyone's clock.
    expect(timerView(timerOf(), Date.now())).toEqual(held);

    expect(await moderator.ask('board:timer', { boardId, action: 'add-minute' })).toEqual({ ok: true });
    await waitFor(() => timerOf()?.durationMs === 6 * MINUTE, 'the extra minute on the phone');
    expect(timerView(timerOf(), Date.now())).toMatchObject({ state: 'paused' });

    expect(await moderator.ask('board:timer', { boardId, action: 'resume' })).toEqual({ ok: true });
    await waitFor(() => timerOf()?.pausedAt === undefined, 'the countdown going on');
    const running = timerView(timerOf(), Date.now());
    if (running.state !== 'running' || held.state !== 'paused')
      throw new Error(`not running: ${running.state}`);
    // It goes on from where it was held, plus the minute: the pause did not eat into it.
    expect(running.leftMs).toBeGreaterThan(held.leftMs + MINUTE - 1000);
    expect(running.leftMs).toBeLessThanOrEqual(held.leftMs + MINUTE);

    expect(await moderator.ask('board:timer', { boardId, durationMs: 0 })).toEqual({ ok: true });
    await waitFor(() => timerOf() === null, 'the timer cleared');
    // Nothing left to pause or resume.
    for (const action of ['pause', 'resume', 'add-minute']) {
      expect(await moderator.ask('board:timer', { boardId, action })).toMatchObject({
        ok: false,
        code: 'invalid-setting',
      });
    }
  });

  it('lets neither a participant nor the projector touch the timer; refuses unknown actions', async () => {
    const { boardId, anna, projector, moderator, reader } = await workshop();
    expect(await moderator.ask('board:timer', { boardId, durationMs: 5 * MINUTE })).toEqual({ ok: true });
    await waitFor(() => readMeta(reader.doc).timer !== null, 'the timer on the phone');
    const before = readMeta(reader.doc).timer;
    for (const someone of [anna, projector]) {
      for (const action of ['pause', 'resume', 'add-minute']) {
        expect(await someone.ask('board:timer', { boardId, action })).toMatchObject({
          ok: false,
          code: 'forbidden',
        });
      }
    }
    expect(await moderator.ask('board:timer', { boardId, action: 'rewind' })).toMatchObject({
      ok: false,
      code: 'invalid-payload',
    });
    expect(await moderator.ask('board:timer', { boardId, action: 'pause', durationMs: 1 })).toMatchObject({
      ok: false,
      code: 'invalid-payload',
    });
    // A later change by the moderator arrives: everything before it has, and nothing changed.
    await moderator.ask('board:settings', { boardId, settings: { locked: true } });
    await waitFor(() => readMeta(reader.doc).locked, 'the lock on the phone');
    expect(readMeta(reader.doc).timer).toEqual(before);
  });
});

describe('the moderator’s voting progress', () => {
  it('counts the session’s current participants: one who joins raises it, one removed leaves it', async () => {
    const { boardId, session, anna, annaId, moderator } = await workshop();
    const [bus] = await addCards(moderator, boardId, ['Nincs busz']);
    await moderator.ask('board:settings', { boardId, settings: { phase: 'vote', votesHidden: true } });
    const bela = await kaptar.control(
      (await joinSession(kaptar.server, session.joinCode, 'Béla')).participantToken,
    );
    const progress = async () =>
      ((await moderator.ask('board:private', { boardId })).facilitation ?? {}) as object;

    expect(await anna.ask('vote', { boardId, cardId: bus, delta: 1 })).toMatchObject({ ok: true });
    expect(await progress()).toMatchObject({ voted: 1, voters: 2 });
    expect(await bela.ask('vote', { boardId, cardId: bus, delta: 1 })).toMatchObject({ ok: true });
    expect(await progress()).toMatchObject({ voted: 2, voters: 2 });

    await joinSession(kaptar.server, session.joinCode, 'Cili');
    expect(await progress()).toMatchObject({ voted: 2, voters: 3 });
    // Anna leaves the session: her vote stays on the card but she is no longer one of "who voted".
    await moderator.ask('session:remove-participant', { participantId: annaId });
    expect(await progress()).toMatchObject({ voted: 1, voters: 2 });
    // The view names nobody and no card: counts only.
    expect(Object.keys(await progress()).sort()).toEqual(['boardId', 'drafts', 'voted', 'voters']);
  });
});
