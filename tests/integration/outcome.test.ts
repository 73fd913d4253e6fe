/**
 * The outcome of a session over a real server: an initiative founded through the `initiative`
 * command (two residents on phones, one without a phone entered by the moderator) read back as
 * the moderator's JSON, Markdown and CSV, and as its public follow-up page, which a renewed link
 * closes and a closed session keeps open.
 */
import { newId } from '@kaptar/board';
import type { FollowUpReply, OutcomeReply, ReportReply } from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import type { ControlClient } from '../support/control-client.js';
import { useServer } from '../support/harness.js';
import { addCards } from '../support/intents.js';
import { createSession, joinSession } from '../support/server.js';

const kaptar = useServer();
/** As the server allows (server/src/http/outcome.ts), as join codes. */
const WRONG_LINKS_PER_MINUTE = 10;

const get = (path: string, token?: string) =>
  fetch(`${kaptar.server.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

async function change(control: ControlClient, payload: object) {
  const ack = await control.ask('initiative', payload);
  expect(ack, JSON.stringify(payload)).toEqual({ ok: true });
}

/** Anna and Béla on phones, Cili without one; Anna proposes, the moderator enters Cili's join and task. */
async function founded() {
  const session = await createSession(kaptar.server, 'Alsóvárosi műhely');
  const boardId = session.boards[0]?.id as string;
  const anna = await joinSession(kaptar.server, session.joinCode, 'Kovács Anna', 'Alsóváros');
  const bela = await joinSession(kaptar.server, session.joinCode, 'Szabó Béla', 'Felsőszer');
  const moderator = await kaptar.control(session.moderatorToken);
  const annaPhone = await kaptar.control(anna.participantToken);
  const belaPhone = await kaptar.control(bela.participantToken);
  const resident = await moderator.ask('session:add-resident', { name: 'Nagy Cili', site: 'Alsóváros' });
  const cili = String(resident.participantId);
  const [bus, gone] = await addCards(annaPhone, boardId, ['Nincs buszjárat este', 'Törölt kártya']);
  const [van] = await addCards(belaPhone, boardId, ['Az egyháznak van kisbusza'], 'resource');
  const initiativeId = newId();
  await change(annaPhone, {
    change: {
      op: 'propose',
      initiativeId,
      name: 'Esti kisbusz',
      type: 'advocacy',
      goal: 'Legyen esti járat a városba',
      changes: [
        { boardId, cardId: bus },
        { boardId, cardId: gone },
      ],
      buildsOn: [{ boardId, cardId: van }],
    },
  });
  await change(belaPhone, { change: { op: 'join', initiativeId } });
  await change(moderator, { change: { op: 'join', initiativeId }, onBehalfOf: cili });
  await change(belaPhone, { change: { op: 'contact', initiativeId, agree: true } });
  await change(moderator, {
    change: {
      op: 'edit',
      initiativeId,
      nextMeeting: { date: '2026-12-09', time: '17:00', place: 'Kultúrház' },
    },
  });
  for (const [taskId, text, due] of [
    ['t1', 'Levél a polgármesternek', '2026-12-15'],
    ['t2', 'Aláírások gyűjtése', null],
  ] as const) {
    await change(moderator, { change: { op: 'task:add', initiativeId, taskId, text, due } });
  }
  await change(moderator, { change: { op: 'task:take', initiativeId, taskId: 't1' }, onBehalfOf: cili });
  await change(annaPhone, { change: { op: 'task:take', initiativeId, taskId: 't2' } });
  // The card deleted after it was linked drops out of the outcome.
  const deleted = await annaPhone.ask('intents', {
    boardId,
    intents: [{ id: newId(), type: 'card:delete', cardId: gone }],
  });
  expect(deleted).toMatchObject({ ok: true, results: [{ ok: true }] });
  const ids = [anna.participantId, bela.participantId, cili];
  return { session, anna, moderator, annaPhone, initiativeId, ids };
}

describe('the outcome of a session', () => {
  it('reads the initiative back as JSON, Markdown and CSV for the moderator, and refuses a participant', async () => {
    const { session, anna, ids } = await founded();
    const path = `/api/sessions/${session.sessionId}/outcome`;
    const json = await get(path, session.moderatorToken);
    expect(json.status).toBe(200);
    const text = await json.text();
    const outcome = JSON.parse(text) as OutcomeReply;
    expect(outcome).toMatchObject({ title: 'Alsóvárosi műhely', lang: 'hu', closed: false });
    expect(outcome.initiatives).toHaveLength(1);
    expect(outcome.initiatives[0]).toMatchObject({
      name: 'Esti kisbusz',
      typeTitle: 'Érdekképviseleti csoportok',
      proposedBy: { name: 'Kovács Anna', site: 'Alsóváros' },
      contact: { name: 'Szabó Béla', site: 'Felsőszer' },
      nextMeeting: { date: '2026-12-09', time: '17:00', place: 'Kultúrház' },
      members: [
        { name: 'Kovács Anna', site: 'Alsóváros', enteredForThem: false },
        { name: 'Szabó Béla', site: 'Felsőszer', enteredForThem: false },
        { name: 'Nagy Cili', site: 'Alsóváros', enteredForThem: true },
      ],
      tasks: [
        {
          text: 'Levél a polgármesternek',
          owner: { name: 'Nagy Cili' },
          ownerEnteredForThem: true,
          due: '2026-12-15',
        },
        { text: 'Aláírások gyűjtése', owner: { name: 'Kovács Anna' }, ownerEnteredForThem: false, due: null },
      ],
      changes: [{ kind: 'problem', text: 'Nincs buszjárat este', votes: 0 }],
      buildsOn: [{ kind: 'resource', text: 'Az egyháznak van kisbusza' }],
    });
    for (const id of ids) expect(text).not.toContain(id);

    const md = await get(`${path}?format=md`, session.moderatorToken);
    expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(md.headers.get('content-disposition')).toMatch(
      /filename="alsovarosi-muhely-kezdemenyezesek-\d{4}-\d\d-\d\d\.md"/,
    );
    const markdown = await md.text();
    expect(markdown).toContain('## Esti kisbusz');
    expect(markdown).toContain('- Alsóváros: Kovács Anna; Nagy Cili \\(a moderátor rögzítette\\)');
    expect(markdown).toContain('Kultúrház');

    const csv = await get(`${path}?format=csv&table=tasks`, session.moderatorToken);
    expect(csv.headers.get('content-disposition')).toMatch(/filename="alsovarosi-muhely-feladatok-/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.subarray(3)).split('\r\n')).toEqual([
      'kezdeményezés;feladat;felelős;település;határidő;kész;a moderátor rögzítette',
      'Esti kisbusz;Levél a polgármesternek;Nagy Cili;Alsóváros;2026-12-15;nem;igen',
      'Esti kisbusz;Aláírások gyűjtése;Kovács Anna;Alsóváros;;nem;',
      '',
    ]);
    const members = await (await get(`${path}?format=csv&table=members`, session.moderatorToken)).text();
    expect(members.split('\r\n')).toHaveLength(5);
    expect((await get(`${path}?format=csv&table=ballots`, session.moderatorToken)).status).toBe(400);

    // A participant's token, the projector's and none at all: no outcome.
    expect((await get(path, anna.participantToken)).status).toBe(403);
    expect((await get(path, session.viewerToken)).status).toBe(403);
    expect((await get(path)).status).toBe(401);

    // The report opens with the same initiative.
    const report = (await (
      await get(`/api/sessions/${session.sessionId}/report`, session.moderatorToken)
    ).json()) as ReportReply;
    expect(report.initiatives).toEqual(outcome.initiatives);
    expect(report.sites).toEqual([
      { site: 'Alsóváros', participants: 2, noDevice: 1, cards: 1 },
      { site: 'Felsőszer', participants: 1, noDevice: 0, cards: 1 },
    ]);
  });

  it('opens the follow-up page with no account, refuses the old link once renewed, and keeps it once closed', async () => {
    const { session, moderator, annaPhone, initiativeId, ids } = await founded();
    const link = await annaPhone.ask('initiative:link', { initiativeId });
    expect(link).toMatchObject({ ok: true, token: expect.any(String) });
    const token = String(link.token);
    const page = await get(`/api/follow-up/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const text = await page.text();
    const reply = JSON.parse(text) as FollowUpReply;
    expect(reply).toMatchObject({
      sessionTitle: 'Alsóvárosi műhely',
      lang: 'hu',
      initiative: { name: 'Esti kisbusz', members: [{}, {}, {}], tasks: [{}, {}] },
    });
    for (const id of ids) expect(text).not.toContain(id);
    expect(text).not.toContain(session.moderatorToken);

    // Asked again, a member gets the same link; a participant may not renew it.
    expect(await annaPhone.ask('initiative:link', { initiativeId })).toMatchObject({ token });
    expect(await annaPhone.ask('initiative:link', { initiativeId, renew: true })).toMatchObject({
      ok: false,
    });
    const renewed = await moderator.ask('initiative:link', { initiativeId, renew: true });
    expect(renewed).toMatchObject({ ok: true });
    expect(renewed.token).not.toBe(token);
    const old = await get(`/api/follow-up/${token}`);
    expect(old.status).toBe(404);
    expect(await old.json()).toEqual({ error: expect.stringMatching(/not valid/) });

    // Closed for writing, the session still shows its page.
    expect(await moderator.ask('session:close', { closed: true })).toMatchObject({ ok: true });
    const closed = await get(`/api/follow-up/${String(renewed.token)}`);
    expect(closed.status).toBe(200);
    expect(((await closed.json()) as FollowUpReply).initiative.name).toBe('Esti kisbusz');
    const outcome = (await (
      await get(`/api/sessions/${session.sessionId}/outcome`, session.moderatorToken)
    ).json()) as OutcomeReply;
    expect(outcome.closed).toBe(true);
  });

  it('limits wrong follow-up links per address', async () => {
    // Earlier tests of this file (one server) tried an old link too: count from wherever that left it.
    const statuses: number[] = [];
    for (let i = 0; i <= WRONG_LINKS_PER_MINUTE + 1; i++) {
      statuses.push((await get(`/api/follow-up/${'x'.repeat(43)}`)).status);
    }
    const first = statuses.indexOf(429);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(WRONG_LINKS_PER_MINUTE);
    expect(new Set(statuses.slice(0, first))).toEqual(new Set([404]));
    expect(new Set(statuses.slice(first))).toEqual(new Set([429]));
  });
});
