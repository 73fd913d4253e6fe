/**
 * The text rule at every door: odd characters (NUL, controls, text-direction overrides,
 * noncharacters, a line break in a title) sent over HTTP and as intents and commands get a clear
 * refusal saying what is wrong; what passes is stored in NFC with tabs as spaces; and a card
 * written before the rule is cleaned when the data file migrates, its board still exportable as
 * valid XML, its id, place and votes kept.
 */
import path from 'node:path';
import { listCards, voteTotals } from '@kaptar/board';
import type {
  CreateSessionReply,
  ErrorReply,
  IntentResult,
  SessionArchive,
  SessionInfoReply,
} from '@kaptar/protocol';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cleanupAfterEach } from '../support/cleanup.js';
import { type ControlClient, connectControl } from '../support/control-client.js';
import { addCardIntent, applyIntents, intent, sendIntents } from '../support/intents.js';
import { rawMap } from '../support/junk.js';
import { createSession, joinSession, postJson, startServer, waitFor } from '../support/server.js';
import { xmlProblem } from '../support/xml.js';
import { connectSynced } from '../support/yjs-client.js';

const { cleanup } = cleanupAfterEach();

const bearer = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

async function control(url: string, token: string): Promise<ControlClient> {
  const client = await connectControl(url, token);
  cleanup.push(() => client.close());
  return client;
}

/** The one result of one intent. */
async function answer(
  client: ControlClient,
  boardId: string,
  sent: Parameters<typeof applyIntents>[2][number],
) {
  return (await sendIntents(client, boardId, [sent]))[0] as IntentResult;
}

describe('the text rule', () => {
  it('refuses odd characters over HTTP with 400 {error} saying what is wrong, and stores NFC', async () => {
    const kaptar = await startServer();
    cleanup.push(() => kaptar.stop());
    const post = (url: string, body: unknown, headers?: Record<string, string>) =>
      postJson<ErrorReply>(`${kaptar.url}${url}`, body, headers);

    expect(await post('/api/sessions', { title: 'Műhely\u0000' })).toEqual({
      status: 400,
      body: {
        error:
          'The session title contains a control character (U+0000); these are invisible and not allowed.',
        // The code an app explains in its own words.
        code: 'text-invalid',
      },
    });
    const override = await post('/api/sessions', { title: 'Műhely \u202Eyleh' });
    expect(override.status).toBe(400);
    expect(override.body.error).toMatch(
      /^The session title contains a text-direction control character \(U\+202E\)/,
    );
    expect((await post('/api/sessions', { title: 'Első\nmásodik' })).body.error).toMatch(/line break/);

    // Decomposed accents (as a Mac types them) and a tab pass, stored composed, with a space.
    const session = await createSession(kaptar, 'Ko\u0308zse\u0301gi\tműhely');
    const info = await fetch(`${kaptar.url}/api/sessions/${session.sessionId}`, {
      headers: bearer(session.moderatorToken),
    });
    expect(((await info.json()) as SessionInfoReply).title).toBe('Községi műhely');

    const join = (name: string, site: string) =>
      post('/api/join', { joinCode: session.joinCode, name, site });
    expect(await join('An\u202Ena', 'Alsóváros')).toMatchObject({
      status: 400,
      body: {
        error: expect.stringMatching(/^The name contains a text-direction control character \(U\+202E\)/),
      },
    });
    expect(await join('Anna', 'Alsó\u0007város')).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^The settlement contains a control character \(U\+0007\)/) },
    });
    expect(await join('Anna', 'Alsó\uFFFFváros')).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^The settlement contains a noncharacter \(U\+FFFF\)/) },
    });
    const joined = await joinSession(kaptar, session.joinCode, 'Anna', 'Alsó\tváros');
    expect(joined.info.me).toMatchObject({ name: 'Anna', site: 'Alsó város' });
    // The limit counts characters after NFC: 40 accented letters typed decomposed (80 code points)
    // are a name of 40; 41 are one too many, said by the text rule.
    const decomposed = (count: number) => 'e\u0301'.repeat(count);
    const longest = await joinSession(kaptar, session.joinCode, decomposed(40), 'Alsóváros');
    expect(longest.info.me.name).toBe('é'.repeat(40));
    expect(await join(decomposed(41), 'Alsóváros')).toEqual({
      status: 400,
      body: { error: 'The name is longer than 40 characters.', code: 'text-invalid' },
    });

    const sites = await fetch(`${kaptar.url}/api/sessions/${session.sessionId}/sites`, {
      method: 'PUT',
      headers: bearer(session.moderatorToken),
      body: JSON.stringify({ sites: ['Felső\u0085falu'], allowNewSites: true }),
    });
    expect(sites.status).toBe(400);
    expect(((await sites.json()) as ErrorReply).error).toMatch(
      /^The settlement contains a control character \(U\+0085\)/,
    );
    const boardId = session.boards[0]?.id as string;
    const snapshot = await post(
      `/api/boards/${boardId}/snapshots`,
      { name: 'Első\u2066' },
      bearer(session.moderatorToken),
    );
    expect(snapshot.status).toBe(400);
    expect(snapshot.body.error).toMatch(
      /^The snapshot name contains a text-direction control character \(U\+2066\)/,
    );
  });

  it('refuses odd characters in intents and commands with text-invalid, saying what is wrong', async () => {
    const kaptar = await startServer();
    cleanup.push(() => kaptar.stop());
    const session = await createSession(kaptar);
    const boardId = session.boards[0]?.id as string;
    const anna = await control(kaptar.url, (await joinSession(kaptar, session.joinCode)).participantToken);

    expect(await answer(anna, boardId, addCardIntent('Nincs\u0000busz'))).toMatchObject({
      ok: false,
      code: 'text-invalid',
      final: true,
      error: expect.stringMatching(/^The card text contains a control character \(U\+0000\)/),
    });
    expect(await answer(anna, boardId, addCardIntent('Nincs \u202Esubb'))).toMatchObject({
      code: 'text-invalid',
      error: expect.stringMatching(/text-direction control character \(U\+202E\)/),
    });
    // A card may have lines (a Windows paste's CR LF becomes LF); a tab becomes a space.
    const card = addCardIntent('Ko\u0308zse\u0301g:\tnincs busz\r\nhétvégén');
    await applyIntents(anna, boardId, [card]);
    const reader = await connectSynced(kaptar.wsUrl, boardId, session.moderatorToken);
    cleanup.push(() => reader.destroy());
    await waitFor(() => listCards(reader.doc).length === 1, 'the card on a replica');
    expect(listCards(reader.doc)[0]?.text).toBe('Község: nincs busz\nhétvégén');

    const group = intent('group:create', {
      groupId: 'g-text-hygiene',
      cardIds: [card.cardId],
      title: 'Köz\nlekedés',
    });
    expect(await answer(anna, boardId, group)).toMatchObject({
      code: 'text-invalid',
      error: expect.stringMatching(/^The group title contains a line break/),
    });
    await applyIntents(anna, boardId, [{ ...group, id: `${group.id}2`, title: 'Közlekedés' }]);
    expect(
      await answer(
        anna,
        boardId,
        intent('group:rename', { groupId: 'g-text-hygiene', title: 'Köz\u2067lekedés' }),
      ),
    ).toMatchObject({ code: 'text-invalid', error: expect.stringMatching(/\(U\+2067\)/) });

    const moderator = await control(kaptar.url, session.moderatorToken);
    expect(
      await moderator.ask('board:create', { title: 'Gondok\u001B[31m', template: 'problems-resources' }),
    ).toEqual({
      ok: false,
      code: 'text-invalid',
      error: 'The board title contains a control character (U+001B); these are invisible and not allowed.',
    });
    expect(await moderator.ask('board:update', { boardId, title: 'Gondok\u202D' })).toMatchObject({
      ok: false,
      code: 'text-invalid',
    });
  });

  it('cleans a card written before the rule when the file migrates: a valid SVG, the same card', async () => {
    const first = await startServer();
    const session = await createSession(first);
    const boardId = session.boards[0]?.id as string;
    const moderator = await connectControl(first.url, session.moderatorToken);
    const anna = await connectControl(
      first.url,
      (await joinSession(first, session.joinCode)).participantToken,
    );
    const bus = addCardIntent('Nincs busz', 'problem', { x: 70, y: 80 });
    const busId = bus.cardId;
    await applyIntents(anna, boardId, [bus]);
    await moderator.ask('board:settings', { boardId, settings: { phase: 'vote' } });
    expect(await anna.ask('vote', { boardId, cardId: busId, delta: 1 })).toMatchObject({ ok: true });
    anna.close();
    moderator.close();
    await first.stop();

    // The file as the version before the rule left it: odd characters in a card, a settlement,
    // a group title and the session title, and the schema one migration back.
    const db = new Database(path.join(first.dataDir, 'kaptar.sqlite'));
    const head = db
      .prepare('SELECT data FROM board_heads JOIN state_blobs ON state_blobs.id = blob_id WHERE board_id = ?')
      .get(boardId) as { data: Buffer };
    const old = new Y.Doc();
    Y.applyUpdate(old, head.data);
    for (const { data } of db
      .prepare('SELECT data FROM board_updates WHERE board_id = ? ORDER BY seq')
      .all(boardId) as Array<{ data: Buffer }>)
      Y.applyUpdate(old, data);
    const before = Y.encodeStateVector(old);
    old.transact(() => {
      const card = old.getMap<Y.Map<unknown>>('cards').get(busId);
      card?.set('text', 'Nincs\u0000 busz\u0008 \uFFFE\u202Ehétvégén\u001F');
      card?.set('site', 'Alsó\u0000város');
      old
        .getMap('groups')
        .set('oldgroup', rawMap({ title: 'Köz\u0000lek\uFFFFedés', x: 500, y: 500, color: 1 }));
    });
    db.prepare('INSERT INTO board_updates (board_id, data) VALUES (?, ?)').run(
      boardId,
      Y.encodeStateAsUpdate(old, before),
    );
    db.prepare('UPDATE sessions SET title = ? WHERE id = ?').run('Műhely\u0000\u202E', session.sessionId);
    const { epoch } = db.prepare('SELECT epoch FROM boards WHERE id = ?').get(boardId) as { epoch: string };
    // As the version before the text rule left it: six migrations back (the rule, intent_bytes, session_docs, the session's language, issue 15's residents, closing and follow-up links, issue 16's fencing numbers).
    db.exec(
      'ALTER TABLE sessions DROP COLUMN doc_fence; ALTER TABLE board_updates DROP COLUMN fence; ALTER TABLE boards DROP COLUMN fence; DROP TABLE follow_up_links; ALTER TABLE sessions DROP COLUMN closed_at; ALTER TABLE participants DROP COLUMN no_device; ALTER TABLE sessions DROP COLUMN lang; DROP TABLE session_docs; DROP INDEX board_heads_by_blob; ALTER TABLE boards DROP COLUMN intent_bytes',
    );
    db.pragma(`user_version = ${(db.pragma('user_version', { simple: true }) as number) - 7}`);
    db.close();

    const second = await startServer({ dataDir: first.dataDir });
    cleanup.push(() => second.stop());
    const svg = await fetch(`${second.url}/api/boards/${boardId}/export?format=svg&lang=en`, {
      headers: bearer(session.moderatorToken),
    });
    expect(svg.status).toBe(200);
    const picture = await svg.text();
    expect(xmlProblem(picture)).toBeNull();
    expect(picture).toContain('Nincs busz hétvégén');
    expect(picture).toContain('Közlekedés');

    // The same card (id, place, vote), cleaned in place: the epoch stays, so no replica is dropped.
    const reader = await connectSynced(second.wsUrl, boardId, session.moderatorToken);
    cleanup.push(() => reader.destroy());
    await waitFor(() => listCards(reader.doc).length === 1, 'the card on a replica');
    expect(listCards(reader.doc)[0]).toMatchObject({
      id: busId,
      text: 'Nincs busz hétvégén',
      site: 'Alsóváros',
      x: 70,
      y: 80,
    });
    expect(voteTotals(reader.doc).get(busId)).toBe(1);
    const after = new Database(path.join(first.dataDir, 'kaptar.sqlite'), { readonly: true });
    cleanup.push(() => after.close());
    expect(after.prepare('SELECT epoch FROM boards WHERE id = ?').get(boardId)).toEqual({ epoch });
    expect(after.prepare('SELECT title FROM sessions WHERE id = ?').get(session.sessionId)).toEqual({
      title: 'Műhely',
    });
  });

  it('cleans an imported archive the same way', async () => {
    const kaptar = await startServer();
    cleanup.push(() => kaptar.stop());
    const session = await createSession(kaptar);
    const boardId = session.boards[0]?.id as string;
    const moderator = await control(kaptar.url, session.moderatorToken);
    await applyIntents(moderator, boardId, [addCardIntent('Nincs busz')]);
    await joinSession(kaptar, session.joinCode, 'Anna', 'Alsóváros');
    const exported = await fetch(`${kaptar.url}/api/sessions/${session.sessionId}/archive`, {
      headers: bearer(session.moderatorToken),
    });
    const archive = (await exported.json()) as SessionArchive;

    // An archive made elsewhere, by hand: odd characters everywhere.
    archive.session.title = 'Műhely\u0000\u202E';
    archive.session.sites = ['Alsó\u0007város'];
    for (const person of archive.participants) if (person.name) person.name = `${person.name}\u2066`;
    for (const board of archive.boards) {
      for (const card of board.content.cards) card.text = 'Nincs\u0000 busz\uFFFF';
      board.title = 'Gondok\n\u009B';
    }
    const imported = await postJson<CreateSessionReply>(`${kaptar.url}/api/sessions/import`, archive);
    expect(imported.status).toBe(201);
    const info = await fetch(`${kaptar.url}/api/sessions/${imported.body.sessionId}`, {
      headers: bearer(imported.body.moderatorToken),
    });
    expect((await info.json()) as SessionInfoReply).toMatchObject({ title: 'Műhely', sites: ['Alsóváros'] });
    const [board] = imported.body.boards;
    expect(board?.title).toBe('Gondok');
    const reader = await connectSynced(kaptar.wsUrl, board?.id as string, imported.body.moderatorToken);
    cleanup.push(() => reader.destroy());
    await waitFor(() => listCards(reader.doc).length === 1, 'the imported card on a replica');
    expect(listCards(reader.doc)[0]?.text).toBe('Nincs busz');
    const moderatorOfCopy = await control(kaptar.url, imported.body.moderatorToken);
    await waitFor(
      () => moderatorOfCopy.presence.list.some((person) => person.name === 'Anna'),
      'Anna, her name cleaned, in the copy',
    );
  });
});
