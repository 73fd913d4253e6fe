/**
 * Initiatives over real websockets: residents found self-help groups through the `initiative`
 * command, the server checks who may do what and what may be linked, writes the session document
 * and every member's stock y-websocket replica receives it; the moderator enters joins for a
 * resident without a phone; a closed session only reads; a deleted one is gone.
 */
import { getInitiative, newId, readInitiatives, readSessionShared } from '@kaptar/board';
import { sessionRoomName } from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import { INITIATIVE_RATE } from '../../server/src/control/initiative-commands.js';
import type { ControlClient } from '../support/control-client.js';
import { useServer } from '../support/harness.js';
import { addCardIntent, addCards, sendIntents } from '../support/intents.js';
import { createSession, joinSession, postJson, waitFor } from '../support/server.js';

const kaptar = useServer();

async function workshop() {
  const session = await createSession(kaptar.server, 'Önsegítő csoportok');
  const boardId = session.boards[0]?.id as string;
  const anna = await joinSession(kaptar.server, session.joinCode, 'Anna', 'Alsóváros');
  const bela = await joinSession(kaptar.server, session.joinCode, 'Béla', 'Felsőhegy');
  const moderator = await kaptar.control(session.moderatorToken);
  const annaPhone = await kaptar.control(anna.participantToken);
  const [problem, resource] = await addCards(annaPhone, boardId, ['Nincs esti busz']).then(async (ids) => [
    ...ids,
    ...(await addCards(annaPhone, boardId, ['Kisbusz az egyháznál'], 'resource')),
  ]);
  return {
    session,
    boardId,
    anna,
    bela,
    moderator,
    annaPhone,
    belaPhone: await kaptar.control(bela.participantToken),
    viewer: await kaptar.control(session.viewerToken),
    // The projector's replica of the session document, as any stock y-websocket client reads it.
    screen: await kaptar.board(sessionRoomName(session.sessionId), session.viewerToken),
    problem: problem as string,
    resource: resource as string,
  };
}

const propose = (boardId: string, problem: string, resource: string, initiativeId = newId()) => ({
  op: 'propose',
  initiativeId,
  name: 'Esti fuvar',
  type: 'advocacy',
  goal: 'Legyen esti járat a városba.',
  changes: [{ boardId, cardId: problem }],
  buildsOn: [{ boardId, cardId: resource }],
});

const send = (client: ControlClient, change: object, onBehalfOf?: string) =>
  client.ask('initiative', { change, ...(onBehalfOf ? { onBehalfOf } : {}) });

describe('initiatives', () => {
  it('a resident founds one from the board’s cards, another joins, and every replica shows it', async () => {
    const w = await workshop();
    const founding = propose(w.boardId, w.problem, w.resource);
    expect(await send(w.annaPhone, founding)).toEqual({ ok: true });
    // A replayed proposal (an outbox sent again) is taken once.
    expect(await send(w.annaPhone, founding)).toEqual({ ok: true });
    const initiativeId = founding.initiativeId;
    expect(await send(w.belaPhone, { op: 'join', initiativeId })).toEqual({ ok: true });
    expect(await send(w.belaPhone, { op: 'contact', initiativeId, agree: true })).toEqual({ ok: true });
    const taskId = newId();
    expect(
      await send(w.belaPhone, {
        op: 'task:add',
        initiativeId,
        taskId,
        text: 'Levél a polgármesternek',
        due: '2026-12-15',
      }),
    ).toEqual({ ok: true });
    expect(await send(w.annaPhone, { op: 'task:take', initiativeId, taskId })).toEqual({ ok: true });

    await waitFor(
      () => getInitiative(w.screen.doc, initiativeId)?.tasks[0]?.ownerId != null,
      'the task to arrive',
    );
    expect(readInitiatives(w.screen.doc)).toEqual([
      expect.objectContaining({
        name: 'Esti fuvar',
        type: 'advocacy',
        contactId: w.bela.participantId,
        changes: [{ boardId: w.boardId, cardId: w.problem }],
        buildsOn: [{ boardId: w.boardId, cardId: w.resource }],
        members: [
          expect.objectContaining({ participantId: w.anna.participantId, name: 'Anna', site: 'Alsóváros' }),
          expect.objectContaining({ participantId: w.bela.participantId, name: 'Béla', site: 'Felsőhegy' }),
        ],
        tasks: [expect.objectContaining({ id: taskId, ownerId: w.anna.participantId, due: '2026-12-15' })],
      }),
    ]);
  });

  it('refuses the projector, links to what is not a shared card of this session, and others’ rights', async () => {
    const w = await workshop();
    const other = await createSession(kaptar.server, 'Másik műhely');
    const otherBoard = other.boards[0]?.id as string;
    const otherModerator = await kaptar.control(other.moderatorToken);
    const [foreignCard] = await addCards(otherModerator, otherBoard, ['Idegen kártya']);

    expect(await send(w.viewer, propose(w.boardId, w.problem, w.resource))).toMatchObject({
      code: 'forbidden',
    });
    expect(await send(w.annaPhone, propose(otherBoard, foreignCard as string, w.resource))).toMatchObject({
      code: 'unknown-board',
    });
    expect(await send(w.annaPhone, propose(w.boardId, 'nincs-ilyen', w.resource))).toMatchObject({
      code: 'card-not-found',
    });
    // A silent-collect draft is its author's and the moderator's alone: nobody links it.
    await w.moderator.ask('board:settings', { boardId: w.boardId, settings: { silentCollect: true } });
    const draft = addCardIntent('Titkos ötlet');
    await sendIntents(w.belaPhone, w.boardId, [draft]);
    expect(await send(w.belaPhone, propose(w.boardId, draft.cardId, w.resource))).toMatchObject({
      code: 'card-not-found',
    });
    // Hand-made payloads: an unknown operation, an extra field, a type that is not one of the four.
    const founding = propose(w.boardId, w.problem, w.resource);
    for (const change of [
      { ...founding, op: 'crown' },
      { ...founding, owner: w.anna.participantId },
      { ...founding, type: 'secret-society' },
    ]) {
      expect(await send(w.annaPhone, change)).toMatchObject({ code: 'invalid-payload' });
    }

    expect(await send(w.annaPhone, founding)).toEqual({ ok: true });
    const { initiativeId } = founding;
    expect(await send(w.belaPhone, { op: 'edit', initiativeId, name: 'Az enyém' })).toMatchObject({
      code: 'not-allowed',
    });
    expect(await send(w.belaPhone, { op: 'merge', initiativeId, intoId: initiativeId })).toMatchObject({
      code: 'not-allowed',
    });
    expect(await w.belaPhone.ask('initiative:link', { initiativeId })).toMatchObject({
      code: 'not-a-member',
    });
    expect(await w.annaPhone.ask('initiative:link', { initiativeId, renew: true })).toMatchObject({
      code: 'forbidden',
    });
    const link = await w.annaPhone.ask('initiative:link', { initiativeId });
    expect(link).toMatchObject({ ok: true, token: expect.any(String) });
    // The same link again, until the moderator renews it.
    expect(await w.moderator.ask('initiative:link', { initiativeId })).toEqual(link);
    const renewed = await w.moderator.ask('initiative:link', { initiativeId, renew: true });
    expect(renewed.token).not.toBe(link.token);
  });

  it('the moderator joins a resident without a phone, marked as entered for them; nobody else may act for anyone', async () => {
    const w = await workshop();
    // Residents come from the settlements the session takes, as anyone joining does.
    const sites = await fetch(`${kaptar.server.url}/api/sessions/${w.session.sessionId}/sites`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${w.session.moderatorToken}` },
      body: JSON.stringify({ sites: ['Alsóváros', 'Felsőhegy'], allowNewSites: false }),
    });
    expect(sites.status).toBe(200);
    expect(await w.moderator.ask('session:add-resident', { name: 'Idegen', site: 'Máshol' })).toMatchObject({
      code: 'invalid-setting',
    });
    const added = await w.moderator.ask('session:add-resident', { name: 'Kiss Jánosné', site: 'Felsőhegy' });
    expect(added).toMatchObject({ ok: true, participantId: expect.any(String) });
    const resident = String(added.participantId);
    const founding = propose(w.boardId, w.problem, w.resource);
    expect(await send(w.annaPhone, founding)).toEqual({ ok: true });
    const { initiativeId } = founding;

    expect(await send(w.annaPhone, { op: 'join', initiativeId }, resident)).toMatchObject({
      code: 'forbidden',
    });
    // A participant with a phone joins from it: the moderator cannot join them.
    expect(await send(w.moderator, { op: 'join', initiativeId }, w.bela.participantId)).toMatchObject({
      code: 'not-a-resident',
    });
    expect(await send(w.moderator, { op: 'join', initiativeId }, resident)).toEqual({ ok: true });

    await waitFor(() => (getInitiative(w.screen.doc, initiativeId)?.members.length ?? 0) === 2, 'the join');
    expect(getInitiative(w.screen.doc, initiativeId)?.members[1]).toMatchObject({
      participantId: resident,
      name: 'Kiss Jánosné',
      site: 'Felsőhegy',
      enteredBy: expect.any(String),
    });
    // They are in the session's list like anyone, marked as taking part without a phone.
    await waitFor(() => w.annaPhone.presence.list.some((p) => p.participantId === resident), 'the list');
    expect(w.annaPhone.presence.list.find((p) => p.participantId === resident)).toMatchObject({
      name: 'Kiss Jánosné',
      site: 'Felsőhegy',
      noDevice: true,
    });
  });

  it('a closed session only reads: writes and joins are refused, the follow-up link still works, and it opens again', async () => {
    const w = await workshop();
    const founding = propose(w.boardId, w.problem, w.resource);
    expect(await send(w.annaPhone, founding)).toEqual({ ok: true });
    expect(await w.annaPhone.ask('session:close', { closed: true })).toMatchObject({ code: 'forbidden' });
    expect(await w.moderator.ask('session:close', { closed: true })).toEqual({ ok: true });
    await waitFor(() => readSessionShared(w.screen.doc).closed, 'the screens to hear it is closed');

    expect(await send(w.belaPhone, { op: 'join', initiativeId: founding.initiativeId })).toMatchObject({
      code: 'session-closed',
    });
    // Intents see the close in their board's turn: each is refused, finally (not sent again).
    expect(
      await w.annaPhone.ask('intents', { boardId: w.boardId, intents: [addCardIntent('Késő')] }),
    ).toMatchObject({ ok: true, results: [{ ok: false, code: 'session-closed', final: true }] });
    const join = await postJson(`${kaptar.server.url}/api/join`, {
      joinCode: w.session.joinCode,
      name: 'Cili',
      site: 'Alsóváros',
    });
    expect(join).toMatchObject({ status: 409, body: { code: 'session-closed' } });
    expect(await w.annaPhone.ask('initiative:link', { initiativeId: founding.initiativeId })).toMatchObject({
      ok: true,
    });

    expect(await w.moderator.ask('session:close', { closed: false })).toEqual({ ok: true });
    expect(await send(w.belaPhone, { op: 'join', initiativeId: founding.initiativeId })).toEqual({
      ok: true,
    });
  });

  it('one participant flooding the initiatives is slowed down, across their sockets; the others’ changes pass', async () => {
    const w = await workshop();
    const founding = propose(w.boardId, w.problem, w.resource);
    expect(await send(w.annaPhone, founding)).toEqual({ ok: true });
    const { initiativeId } = founding;
    const second = await kaptar.control(w.bela.participantToken);
    const codes: string[] = [];
    for (let i = 0; i < INITIATIVE_RATE.participant.burst + 5; i += 1) {
      const ack = await send(i % 2 ? second : w.belaPhone, {
        op: i % 4 < 2 ? 'join' : 'leave',
        initiativeId,
      });
      codes.push(ack.ok ? 'ok' : String(ack.code));
    }
    expect(codes.filter((code) => code === 'ok')).toHaveLength(INITIATIVE_RATE.participant.burst);
    expect(codes.slice(INITIATIVE_RATE.participant.burst + 1)).toEqual([
      'rate-limited',
      'rate-limited',
      'rate-limited',
      'rate-limited',
    ]);
    expect(await send(w.annaPhone, { op: 'edit', initiativeId, goal: 'Busz este is.' })).toEqual({
      ok: true,
    });
  });

  it('a deleted session is gone: its devices are let go and its tokens and code no longer work', async () => {
    const w = await workshop();
    expect(await send(w.annaPhone, propose(w.boardId, w.problem, w.resource))).toEqual({ ok: true });
    const headers = (token: string) => ({ authorization: `Bearer ${token}` });
    const url = `${kaptar.server.url}/api/sessions/${w.session.sessionId}`;
    expect((await fetch(url, { method: 'DELETE', headers: headers(w.anna.participantToken) })).status).toBe(
      403,
    );
    expect((await fetch(url, { method: 'DELETE', headers: headers(w.session.moderatorToken) })).status).toBe(
      204,
    );
    await waitFor(
      () => w.annaPhone.presence.removed && !w.annaPhone.socket.connected,
      'the phone to be let go',
    );
    expect((await fetch(url, { headers: headers(w.session.moderatorToken) })).status).toBe(401);
    expect((await fetch(`${kaptar.server.url}/api/join/${w.session.joinCode}`)).status).toBe(404);
  });
});
