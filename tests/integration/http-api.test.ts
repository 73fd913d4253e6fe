import type { ErrorReply, SessionInfoReply } from '@kaptar/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, joinSession, postJson, startServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

const getSession = (sessionId: string, token?: string) =>
  fetch(`${server.url}/api/sessions/${sessionId}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('HTTP API', () => {
  it('reports health', async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('creates a session with a six-digit join code and a first board', async () => {
    const session = await createSession(server, '  Önsegítés  ');
    expect(session.joinCode).toMatch(/^\d{6}$/);
    expect(session.moderatorToken.length).toBeGreaterThanOrEqual(40);
    expect(session.boards).toHaveLength(1);
    const info = (await (
      await getSession(session.sessionId, session.moderatorToken)
    ).json()) as SessionInfoReply;
    expect(info).toMatchObject({ title: 'Önsegítés', joinCode: session.joinCode, me: { role: 'moderator' } });
    expect(info.joinUrl).toMatch(new RegExp(`/join/${session.joinCode}$`));
    expect(info.viewerToken).toBe(session.viewerToken);
  });

  it('lets a participant join by code and keeps their name and settlement', async () => {
    const session = await createSession(server);
    const joined = await joinSession(server, session.joinCode, ' Kiss Béla ', 'Felsőtelep');
    expect(joined.sessionId).toBe(session.sessionId);
    expect(joined.boards).toEqual(session.boards);
    expect(joined.info).toMatchObject({
      sessionId: session.sessionId,
      me: { name: 'Kiss Béla', role: 'participant' },
    });
    const info = (await (
      await getSession(session.sessionId, joined.participantToken)
    ).json()) as SessionInfoReply;
    expect(info.me).toEqual({
      role: 'participant',
      participantId: joined.participantId,
      name: 'Kiss Béla',
      site: 'Felsőtelep',
    });
    expect(info.viewerToken).toBeUndefined();
  });

  it('answers an unknown join code with 404 and a message that says what to do', async () => {
    const taken = new Set([(await createSession(server)).joinCode]);
    const unknown = ['000000', '999999', '123456'].find((code) => !taken.has(code)) as string;
    const { status, body } = await postJson<ErrorReply>(`${server.url}/api/join`, {
      joinCode: unknown,
      name: 'Anna',
      site: 'Alsóváros',
    });
    expect(status).toBe(404);
    expect(body.error).toContain(unknown);
    expect(body.error).toMatch(/check the code/i);
  });

  it.each([
    ['an empty name', { joinCode: '123456', name: '', site: 'Alsóváros' }],
    ['a blank name', { joinCode: '123456', name: '   ', site: 'Alsóváros' }],
    // Beyond the few times its limit the schema bounds (the limit itself is the text rule's, after NFC).
    ['a name far too long', { joinCode: '123456', name: 'x'.repeat(4 * 40 + 1), site: 'Alsóváros' }],
    ['a missing settlement', { joinCode: '123456', name: 'Anna' }],
    ['a malformed code', { joinCode: '12ab56', name: 'Anna', site: 'Alsóváros' }],
    ['extra fields', { joinCode: '123456', name: 'Anna', site: 'Alsóváros', role: 'moderator' }],
  ])('refuses a join with %s with 400 {error}', async (_, body) => {
    const reply = await postJson<ErrorReply>(`${server.url}/api/join`, body);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatch(/^Invalid request: /);
  });

  it('refuses malformed JSON and over-long titles with 400 {error}', async () => {
    const malformed = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"title": ',
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as ErrorReply).error).toBeTruthy();
    const long = await postJson<ErrorReply>(`${server.url}/api/sessions`, { title: 'x'.repeat(121) });
    expect(long).toEqual({
      status: 400,
      body: { error: 'The session title is longer than 120 characters.', code: 'text-invalid' },
    });
  });

  it('refuses a body far over the size limit without reading it all', async () => {
    const reply = await postJson<ErrorReply>(`${server.url}/api/sessions`, { title: 'x'.repeat(100_000) });
    expect(reply.status).toBe(413);
    expect(reply.body.error).toBeTruthy();
  });

  it('keeps sessions apart: a token of one session cannot read another', async () => {
    const first = await createSession(server);
    const second = await createSession(server);
    expect((await getSession(second.sessionId, first.moderatorToken)).status).toBe(403);
    expect((await getSession(second.sessionId)).status).toBe(401);
    expect((await getSession(second.sessionId, 'not-a-token')).status).toBe(401);
  });

  it('lets the moderator list the settlements, and holds joins to them when new ones are not allowed', async () => {
    const session = await createSession(server, 'Két falu');
    const put = (token: string, body: unknown) =>
      fetch(`${server.url}/api/sessions/${session.sessionId}/sites`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    const anna = await joinSession(server, session.joinCode, 'Anna', 'Alsóváros');
    expect((await put(anna.participantToken, { sites: ['X'], allowNewSites: true })).status).toBe(403);
    expect((await put(session.moderatorToken, { sites: ['A', 'A'], allowNewSites: true })).status).toBe(400);
    const saved = await put(session.moderatorToken, {
      sites: [' Alsóváros ', 'Felsőtelep'],
      allowNewSites: false,
    });
    expect(await saved.json()).toEqual({ sites: ['Alsóváros', 'Felsőtelep'], allowNewSites: false });

    const joinInfo = await fetch(`${server.url}/api/join/${session.joinCode}`);
    expect(await joinInfo.json()).toEqual({
      title: 'Két falu',
      sites: ['Alsóváros', 'Felsőtelep'],
      allowNewSites: false,
    });
    const unlisted = await postJson<ErrorReply>(`${server.url}/api/join`, {
      joinCode: session.joinCode,
      name: 'Béla',
      site: 'Harmadik falu',
    });
    expect(unlisted.status).toBe(400);
    expect(unlisted.body.error).toContain('Felsőtelep');
    expect((await joinSession(server, session.joinCode, 'Béla', 'Felsőtelep')).sessionId).toBe(
      session.sessionId,
    );
    const info = (await (
      await getSession(session.sessionId, anna.participantToken)
    ).json()) as SessionInfoReply;
    expect(info).toMatchObject({ sites: ['Alsóváros', 'Felsőtelep'], allowNewSites: false });
  });

  it('answers the join page for an unknown code with 404', async () => {
    const taken = new Set([(await createSession(server)).joinCode]);
    const unknown = ['000001', '999998'].find((code) => !taken.has(code)) as string;
    expect((await fetch(`${server.url}/api/join/${unknown}`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/join/12ab`)).status).toBe(400);
  });

  it('answers unknown API routes with 404 {error}', async () => {
    const response = await fetch(`${server.url}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as ErrorReply).error).toContain('/api/nothing-here');
  });

  it('answers a URL that cannot be decoded with 400 {error} and nothing else', async () => {
    const response = await fetch(`${server.url}/api/sessions/%E0%A4%A`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error).toMatch(/^Invalid request: /);
  });
});
