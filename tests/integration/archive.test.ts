import path from 'node:path';
import {
  type BoardContents,
  type Language,
  listCards,
  newId,
  readContents,
  readInitiatives,
} from '@kaptar/board';
import {
  type CreateSessionReply,
  type ErrorReply,
  type SessionArchive,
  type SessionArchiveV1,
  type SessionInfoReply,
  type SnapshotList,
  sessionRoomName,
} from '@kaptar/protocol';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectControl } from '../support/control-client.js';
import { addCardIntent, applyIntents, intent } from '../support/intents.js';
import { writeJunk } from '../support/junk.js';
import {
  createSession,
  joinSession,
  postJson,
  startServer,
  type TestServer,
  waitFor,
} from '../support/server.js';
import { type BoardClient, connectSynced } from '../support/yjs-client.js';

let origin: TestServer;
let target: TestServer;
const open: BoardClient[] = [];
beforeAll(async () => {
  origin = await startServer();
  target = await startServer();
});
afterEach(() => {
  for (const client of open.splice(0)) client.destroy();
});
afterAll(async () => {
  await origin.stop();
  await target.stop();
});

async function board(server: TestServer, boardId: string, token: string) {
  const client = await connectSynced(server.wsUrl, boardId, token);
  open.push(client);
  return client;
}

const auth = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

/** A session with two boards, cards, a group and a snapshot, exported from the origin server. */
async function exportedWorkshop(lang?: Language) {
  const session = await createSession(origin, 'Archív műhely', lang);
  const first = session.boards[0]?.id as string;
  const anna = await joinSession(origin, session.joinCode, 'Kovács Anna', 'Alsóváros');
  const annaControl = await connectControl(origin.url, anna.participantToken);
  const bus = addCardIntent('Nincs busz');
  await applyIntents(annaControl, first, [
    bus,
    addCardIntent('Van kisbusz', 'resource'),
    intent('group:create', { groupId: newId(), cardIds: [bus.cardId], title: 'Közlekedés' }),
  ]);
  annaControl.close();
  const saved = await postJson(
    `${origin.url}/api/boards/${first}/snapshots`,
    { name: 'Első' },
    auth(session.moderatorToken).headers,
  );
  expect(saved.status).toBe(201);
  const response = await fetch(
    `${origin.url}/api/sessions/${session.sessionId}/archive`,
    auth(session.moderatorToken),
  );
  expect(response.status).toBe(200);
  const archive = (await response.json()) as SessionArchive;
  const contents = readContents((await board(origin, first, session.moderatorToken)).doc);
  // The same session as a server before version 2 of the format wrote it: Yjs states.
  const state = await origin.app.rooms.withRoom(first, (room) => Y.encodeStateAsUpdate(room.doc));
  const { content: _content, ...boardFields } = archive.boards[0] as SessionArchive['boards'][number];
  const v1: SessionArchiveV1 = {
    ...archive,
    version: 1,
    boards: [{ ...boardFields, state: Buffer.from(state).toString('base64') }],
    snapshots: [],
  };
  return { archive, v1, contents, anna, boardId: first };
}

/** A board's contents but for who wrote each card (an import gives its people new ids). */
function withoutAuthors(board: BoardContents) {
  return { ...board, cards: board.cards.map(({ authorId: _authorId, ...card }) => card) };
}

function sessionCount(server: TestServer): number {
  const db = new Database(path.join(server.dataDir, 'kaptar.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('session archives', () => {
  it('export on one server, import on another: identical boards, snapshots and names', async () => {
    const { archive, contents } = await exportedWorkshop();
    expect(JSON.stringify(archive)).not.toMatch(/token/i);
    const imported = await postJson<CreateSessionReply>(`${target.url}/api/sessions/import`, archive);
    expect(imported.status).toBe(201);
    const { moderatorToken, boards } = imported.body;
    const copy = await board(target, boards[0]?.id as string, moderatorToken);
    await waitFor(() => readContents(copy.doc).cards.length === 2, 'the imported board');
    // The same board; its people have new ids (their names stay, below).
    expect(withoutAuthors(readContents(copy.doc))).toEqual(withoutAuthors(contents));
    const authors = new Set(readContents(copy.doc).cards.map((card) => card.authorId));
    expect(authors.size).toBe(1);
    expect(authors.has(contents.cards[0]?.authorId as string)).toBe(false);

    const snapshots = (await (
      await fetch(`${target.url}/api/boards/${boards[0]?.id}/snapshots`, auth(moderatorToken))
    ).json()) as SnapshotList;
    expect(snapshots.snapshots.map((s) => [s.name, s.cardCount])).toEqual([['Első', 2]]);
    const csv = await (
      await fetch(`${target.url}/api/boards/${boards[0]?.id}/export?format=csv`, auth(moderatorToken))
    ).text();
    expect(csv).toContain('Nincs busz;Közlekedés;0;Alsóváros;Kovács Anna');

    // The same archive imports again (participant ids stay unique per session).
    expect((await postJson(`${target.url}/api/sessions/import`, archive)).status).toBe(201);
    // The archive holds plain content, never a Yjs state.
    expect(JSON.stringify(archive)).not.toContain('"state"');
    expect(archive.version).toBe(2);
  });

  it('carries the founded groups: members (a resident without a phone too), contact, tasks and linked cards under the copy’s ids', async () => {
    const session = await createSession(origin, 'Kezdeményezések');
    const boardId = session.boards[0]?.id as string;
    const anna = await joinSession(origin, session.joinCode, 'Kovács Anna', 'Alsóváros');
    const phone = await connectControl(origin.url, anna.participantToken);
    const moderator = await connectControl(origin.url, session.moderatorToken);
    const problem = addCardIntent('Nincs esti busz');
    await applyIntents(phone, boardId, [problem]);
    const resident = String(
      (await moderator.ask('session:add-resident', { name: 'Kiss Jánosné', site: 'Felsőhegy' }))
        .participantId,
    );
    const initiativeId = newId();
    const taskId = newId();
    const changes = [
      {
        op: 'propose',
        initiativeId,
        name: 'Esti fuvar',
        type: 'advocacy',
        goal: 'Busz este is.',
        changes: [{ boardId, cardId: problem.cardId }],
        buildsOn: [],
      },
      { op: 'contact', initiativeId, agree: true },
      { op: 'task:add', initiativeId, taskId, text: 'Levél a polgármesternek', due: '2026-12-15' },
      { op: 'edit', initiativeId, nextMeeting: { date: '2026-12-09', time: '17:00', place: 'Kultúrház' } },
    ];
    for (const change of changes) expect(await phone.ask('initiative', { change })).toEqual({ ok: true });
    for (const change of [
      { op: 'join', initiativeId },
      { op: 'task:take', initiativeId, taskId },
    ]) {
      expect(await moderator.ask('initiative', { change, onBehalfOf: resident })).toEqual({ ok: true });
    }
    phone.close();
    moderator.close();
    const archive = (await (
      await fetch(`${origin.url}/api/sessions/${session.sessionId}/archive`, auth(session.moderatorToken))
    ).json()) as SessionArchive;
    expect(archive.initiatives).toHaveLength(1);
    expect(archive.participants.find((p) => p.name === 'Kiss Jánosné')?.noDevice).toBe(true);

    const imported = await postJson<CreateSessionReply>(`${target.url}/api/sessions/import`, archive);
    expect(imported.status).toBe(201);
    const { sessionId, moderatorToken, boards } = imported.body;
    const copy = await board(target, sessionRoomName(sessionId), moderatorToken);
    await waitFor(() => readInitiatives(copy.doc).length === 1, 'the imported initiative');
    const [carried] = readInitiatives(copy.doc);
    const control = await connectControl(target.url, moderatorToken);
    await waitFor(() => control.presence.list.length > 0, 'the copy’s people');
    const idOf = (name: string) => control.presence.list.find((p) => p.name === name)?.participantId;
    control.close();
    expect(carried).toMatchObject({
      name: 'Esti fuvar',
      type: 'advocacy',
      proposedBy: idOf('Kovács Anna'),
      contactId: idOf('Kovács Anna'),
      nextMeeting: { date: '2026-12-09', time: '17:00', place: 'Kultúrház' },
      changes: [{ boardId: boards[0]?.id, cardId: problem.cardId }],
      members: [
        { participantId: idOf('Kovács Anna'), name: 'Kovács Anna', site: 'Alsóváros', enteredBy: null },
        {
          participantId: idOf('Kiss Jánosné'),
          name: 'Kiss Jánosné',
          site: 'Felsőhegy',
          enteredBy: expect.any(String),
        },
      ],
      tasks: [{ id: taskId, ownerId: idOf('Kiss Jánosné'), due: '2026-12-15' }],
    });
    expect(control.presence.list.find((p) => p.name === 'Kiss Jánosné')?.noDevice).toBe(true);
    // None of the original session's ids is in the copy.
    expect(JSON.stringify(carried)).not.toContain(anna.participantId);
    expect(JSON.stringify(carried)).not.toContain(boardId);
  });

  it('keeps the session’s language; an archive written before sessions had one reads as Hungarian', async () => {
    const { archive } = await exportedWorkshop('en');
    expect(archive.session.lang).toBe('en');
    const languageOnImport = async (file: unknown) => {
      const imported = await postJson<CreateSessionReply>(`${target.url}/api/sessions/import`, file);
      expect(imported.status).toBe(201);
      const { sessionId, moderatorToken } = imported.body;
      const info = await fetch(`${target.url}/api/sessions/${sessionId}`, auth(moderatorToken));
      return ((await info.json()) as SessionInfoReply).lang;
    };
    expect(await languageOnImport(archive)).toBe('en');
    const { lang: _lang, ...withoutLanguage } = archive.session;
    expect(await languageOnImport({ ...archive, session: withoutLanguage })).toBe('hu');
  });

  it('imports an archive written before version 2 (Yjs states) as the same board', async () => {
    const { v1, contents } = await exportedWorkshop();
    const imported = await postJson<CreateSessionReply>(`${target.url}/api/sessions/import`, v1);
    expect(imported.status).toBe(201);
    const copy = await board(target, imported.body.boards[0]?.id as string, imported.body.moderatorToken);
    await waitFor(() => readContents(copy.doc).cards.length === 2, 'the imported board');
    expect(withoutAuthors(readContents(copy.doc))).toEqual(withoutAuthors(contents));
  });

  it('an archive naming another session’s people reaches no one there: removing them in the copy closes only the copy’s', async () => {
    const { archive, anna, boardId } = await exportedWorkshop();
    // The real Anna is online in the original session, on its board and its control plane.
    const real = await connectControl(origin.url, anna.participantToken);
    const realBoard = await board(origin, boardId, anna.participantToken);
    // The archive is imported on the server where the original still runs: its people keep their ids.
    const imported = await postJson<CreateSessionReply>(`${origin.url}/api/sessions/import`, archive);
    expect(imported.status).toBe(201);
    const copyModerator = await connectControl(origin.url, imported.body.moderatorToken);
    // The copy's Anna has an id of her own: the original's names no one there.
    expect(
      await copyModerator.ask('session:remove-participant', { participantId: anna.participantId }),
    ).toMatchObject({ ok: false, code: 'unknown-participant' });
    await waitFor(
      () => copyModerator.presence.list.some((p) => p.name === 'Kovács Anna'),
      'the copy’s people',
    );
    const copied = copyModerator.presence.list.find((p) => p.name === 'Kovács Anna');
    expect(copied?.participantId).not.toBe(anna.participantId);
    expect(
      await copyModerator.ask('session:remove-participant', { participantId: copied?.participantId }),
    ).toEqual({ ok: true });
    copyModerator.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(real.presence.removed).toBe(false);
    expect(real.socket.connected).toBe(true);
    expect(realBoard.provider.wsconnected).toBe(true);
    const info = await fetch(`${origin.url}/api/sessions/${anna.sessionId}`, auth(anna.participantToken));
    expect(info.status).toBe(200);
    real.close();
  });

  it('refuses corrupted, truncated, hostile and oversized archives with a clear error, storing nothing', async () => {
    const { archive, v1 } = await exportedWorkshop();
    const before = sessionCount(target);
    const post = (body: string) =>
      fetch(`${target.url}/api/sessions/import`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const withBoardState = (state: Uint8Array | string) =>
      JSON.stringify({
        ...v1,
        boards: [
          {
            ...v1.boards[0],
            state: typeof state === 'string' ? state : Buffer.from(state).toString('base64'),
          },
        ],
      });
    const full = Buffer.from(v1.boards[0]?.state ?? '', 'base64');
    const [board] = archive.boards as [SessionArchive['boards'][number]];
    const [first] = board.content.cards as [SessionArchive['boards'][number]['content']['cards'][number]];
    const withContent = (change: (content: Record<string, unknown>) => void) => {
      const content = structuredClone(board.content) as unknown as Record<string, unknown>;
      change(content);
      return JSON.stringify({ ...archive, boards: [{ ...board, content }] });
    };
    const withCard = (card: Record<string, unknown>) =>
      withContent((content) => {
        content.cards = [card];
      });

    const cases: Array<[string, string, number, RegExp]> = [
      ['not JSON', 'this is not an archive', 400, /./],
      ['truncated JSON', JSON.stringify(archive).slice(0, 200), 400, /./],
      ['another format', JSON.stringify({ ...archive, format: 'something-else' }), 400, /format/],
      ['no boards', JSON.stringify({ ...archive, boards: [], snapshots: [] }), 400, /boards/],
      ['a state that is not Yjs', withBoardState(new Uint8Array([1, 2, 3, 4, 5, 6])), 400, /board 1/],
      ['a truncated state', withBoardState(full.subarray(0, Math.floor(full.length / 2))), 400, /board 1/],
      ['a state that is not base64', withBoardState('!!!not base64!!!'), 400, /state/],
      ['a position that is not a number', withCard({ ...first, x: 'hidden' }), 400, /cards\/0\/x/],
      ['a position off the board', withCard({ ...first, y: 1e308 }), 400, /cards\/0\/y/],
      ['a card of another kind', withCard({ ...first, kind: 'secret' }), 400, /cards\/0\/kind/],
      ['a card text far too long', withCard({ ...first, text: 'x'.repeat(2000) }), 400, /cards\/0\/text/],
      ['a card with a field of its own', withCard({ ...first, admin: true }), 400, /cards\/0/],
      ['negative votes', withCard({ ...first, votes: -4 }), 400, /cards\/0\/votes/],
      [
        'one card twice',
        withContent((content) => {
          content.cards = [first, { ...first, votes: 7 }];
        }),
        400,
        /board 1: card \S+ appears twice/,
      ],
      [
        'an unknown phase',
        withContent((content) => {
          content.meta = { ...(content.meta as object), phase: 'party' };
        }),
        400,
        /meta\/phase/,
      ],
      [
        'a root of its own',
        withContent((content) => {
          content.votes = { [first.id]: { anna: 40 } };
        }),
        400,
        /content/,
      ],
      [
        'a snapshot of another board',
        JSON.stringify({ ...archive, snapshots: [{ ...archive.snapshots[0], boardId: 'elsewhere' }] }),
        400,
        /snapshot 1/,
      ],
      ['extra fields', JSON.stringify({ ...archive, admin: true }), 400, /./],
    ];
    for (const [what, body, status, message] of cases) {
      const response = await post(body);
      expect(response.status, what).toBe(status);
      expect(((await response.json()) as ErrorReply).error, what).toMatch(message);
    }
    const huge = await post(JSON.stringify({ ...archive, padding: 'x'.repeat(51 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect(sessionCount(target)).toBe(before);
  });

  it('imports a board state of version 1 as its typed contents: whatever is not a card, a group or a setting stays behind', async () => {
    const { v1, contents } = await exportedWorkshop();
    // The archive's board, with an over-long card, a card of the wrong shape and a root of its own added.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Buffer.from(v1.boards[0]?.state ?? '', 'base64'));
    writeJunk(doc);
    const hostile = {
      ...v1,
      boards: [{ ...v1.boards[0], state: Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64') }],
    };
    const imported = await postJson<CreateSessionReply>(`${target.url}/api/sessions/import`, hostile);
    expect(imported.status).toBe(201);
    const copy = await board(target, imported.body.boards[0]?.id as string, imported.body.moderatorToken);
    await waitFor(() => listCards(copy.doc).length === 2, 'the imported board');
    expect(withoutAuthors(readContents(copy.doc))).toEqual(withoutAuthors(contents));
    expect([...copy.doc.getMap('cards').keys()].sort()).toEqual(contents.cards.map((card) => card.id).sort());
    expect(copy.doc.share.has('admin')).toBe(false);
  });
});
