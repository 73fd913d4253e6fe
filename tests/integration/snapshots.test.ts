import { type Language, newId, readContents } from '@kaptar/board';
import type {
  BoardChanges,
  BoardExport,
  ErrorReply,
  RestoreReply,
  SessionInfoReply,
  SnapshotList,
  SnapshotSummary,
} from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import { useServer } from '../support/harness.js';
import { addCardIntent, addCardVia, applyIntents, intent, sendIntents } from '../support/intents.js';
import { createSession, joinSession, waitFor } from '../support/server.js';

const kaptar = useServer();

/** Today as the server names files: its local day. */
function today(): string {
  const now = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
}

function api(token: string) {
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${kaptar.server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    // Decoded as a spreadsheet program reads it: with the BOM kept, to see that it is there.
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as T };
  };
  return {
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body: unknown) => call<T>('POST', path, body),
  };
}

/** A workshop board with cards from two settlements, a group and votes; Hungarian unless `lang` says. */
async function workshop(lang?: Language) {
  const session = await createSession(kaptar.server, 'Önsegítő csoportok', lang);
  const boardId = session.boards[0]?.id as string;
  const anna = await joinSession(kaptar.server, session.joinCode, 'Kovács Anna', 'Alsóváros');
  const annaBoard = await kaptar.board(boardId, anna.participantToken);
  const annaControl = await kaptar.control(anna.participantToken);
  const bus = addCardIntent('Nincs buszjárat, "este" sem');
  const formula = addCardIntent('=HYPERLINK("http://x")', 'resource');
  await applyIntents(annaControl, boardId, [
    bus,
    formula,
    intent('group:create', { groupId: newId(), cardIds: [bus.cardId], title: 'Közlekedés' }),
  ]);
  const moderator = await kaptar.control(session.moderatorToken);
  expect(await moderator.ask('board:settings', { boardId, settings: { phase: 'vote' } })).toEqual({
    ok: true,
  });
  expect(await annaControl.ask('vote', { boardId, cardId: bus.cardId, delta: 1 })).toMatchObject({
    ok: true,
  });
  expect(await annaControl.ask('vote', { boardId, cardId: bus.cardId, delta: 1 })).toMatchObject({
    ok: true,
  });
  const reader = await kaptar.board(boardId, session.moderatorToken);
  await waitFor(() => readContents(reader.doc).cards.some((card) => card.votes === 2), 'votes on the reader');
  return {
    session,
    boardId,
    anna,
    annaBoard,
    annaControl,
    bus: bus.cardId,
    formula: formula.cardId,
    moderator,
    reader,
    mod: api(session.moderatorToken),
  };
}

describe('snapshots', () => {
  it('saves a named snapshot, lists it with counts, and rolls back exactly, keeping the pre-restore state', async () => {
    const { boardId, reader, mod, annaBoard, annaControl, moderator } = await workshop();
    const saved = await mod.post<SnapshotSummary>(`/api/boards/${boardId}/snapshots`, {
      name: 'Szavazás után',
    });
    expect(saved.status).toBe(201);
    const snapshot = saved.json();
    expect(snapshot).toMatchObject({ name: 'Szavazás után', kind: 'manual', cardCount: 2, voteCount: 2 });
    const atSnapshot = readContents(reader.doc);

    // The board moves on: the moderator adds a card, and so does Anna (the vote phase allows it now).
    await addCardVia(moderator, boardId, 'Restore előtt');
    expect(await moderator.ask('board:settings', { boardId, settings: { cardsDuringVote: true } })).toEqual({
      ok: true,
    });
    const late = addCardIntent('Anna késői kártyája');
    const lateResult = await applyIntents(annaControl, boardId, [late]);
    await waitFor(() => readContents(annaBoard.doc).cards.length === 4, 'the new cards on Anna’s phone');
    const beforeRestore = readContents(reader.doc);

    const restored = await mod.post<RestoreReply>(`/api/boards/${boardId}/snapshots/${snapshot.id}/restore`, {
      mode: 'rollback',
    });
    expect(restored.status).toBe(200);
    const { backupSnapshotId } = restored.json();
    // Every client, not only the kaptar.server, is back at the snapshot.
    await waitFor(() => readContents(annaBoard.doc).cards.length === 2, 'the rollback on Anna’s phone');
    expect(readContents(reader.doc)).toEqual(atSnapshot);
    expect(readContents(annaBoard.doc)).toEqual(atSnapshot);
    // Anna's outbox replaying her late card after the rollback gets its old answer and brings
    // nothing back; the removed card's id stays dead for a new intent too (the moderator's, as the
    // rollback also brought back the snapshot's settings, where participants add no cards).
    expect(await sendIntents(annaControl, boardId, [late])).toEqual(lateResult);
    expect(
      await sendIntents(moderator, boardId, [{ ...addCardIntent('Újra'), cardId: late.cardId }]),
    ).toMatchObject([{ ok: false, code: 'id-taken' }]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(readContents(reader.doc)).toEqual(atSnapshot);

    // The state before the restore was kept as a snapshot of its own.
    const backup = (
      await mod.get<BoardExport>(`/api/boards/${boardId}/snapshots/${backupSnapshotId}`)
    ).json();
    expect(backup.cards.map((card) => card.text).sort()).toEqual(
      beforeRestore.cards.map((card) => card.text).sort(),
    );
    const list = (await mod.get<SnapshotList>(`/api/boards/${boardId}/snapshots`)).json().snapshots;
    // Automatic snapshots are named in the session's language, with the phase bar's words.
    expect(list.map((s) => [s.kind, s.name])).toEqual([
      ['auto', 'Gyűjtés → Szavazás'],
      ['manual', 'Szavazás után'],
      ['auto', 'Visszaállítás előtt: „Szavazás után”'],
    ]);
  });

  it('names automatic snapshots in English in an English session', async () => {
    const { boardId, mod, moderator } = await workshop('en');
    const saved = (
      await mod.post<SnapshotSummary>(`/api/boards/${boardId}/snapshots`, { name: 'Done' })
    ).json();
    expect(await moderator.ask('board:settings', { boardId, settings: { phase: 'discuss' } })).toEqual({
      ok: true,
    });
    await mod.post(`/api/boards/${boardId}/snapshots/${saved.id}/restore`, { mode: 'rollback' });
    const list = (await mod.get<SnapshotList>(`/api/boards/${boardId}/snapshots`)).json().snapshots;
    expect(list.filter((s) => s.kind === 'auto').map((s) => s.name)).toEqual([
      'Collect → Vote',
      'Vote → Discuss',
      'Before restoring "Done"',
    ]);
  });

  it('restores a snapshot as a new board in the session, identical to the snapshot', async () => {
    const { session, boardId, reader, mod } = await workshop();
    const snapshot = (
      await mod.post<SnapshotSummary>(`/api/boards/${boardId}/snapshots`, { name: 'Másolat' })
    ).json();
    const restored = (
      await mod.post<RestoreReply>(`/api/boards/${boardId}/snapshots/${snapshot.id}/restore`, {
        mode: 'new-board',
      })
    ).json();
    expect(restored.boardId).not.toBe(boardId);
    const copy = await kaptar.board(restored.boardId, session.moderatorToken);
    expect(readContents(copy.doc)).toEqual(readContents(reader.doc));
    const info = (await mod.get<SessionInfoReply>(`/api/sessions/${session.sessionId}`)).json();
    expect(info.boards.map((b) => b.id)).toEqual([boardId, restored.boardId]);
  });

  it('compares a snapshot with now, and two snapshots', async () => {
    const { boardId, mod, bus, moderator } = await workshop();
    const first = (
      await mod.post<SnapshotSummary>(`/api/boards/${boardId}/snapshots`, { name: 'Első' })
    ).json();
    const later = await addCardVia(moderator, boardId, 'Később');
    await applyIntents(moderator, boardId, [intent('card:edit', { cardId: bus, text: 'Nincs esti busz' })]);
    const second = (
      await mod.post<SnapshotSummary>(`/api/boards/${boardId}/snapshots`, { name: 'Második' })
    ).json();

    const sinceFirst = (
      await mod.get<BoardChanges>(`/api/boards/${boardId}/compare?from=${first.id}`)
    ).json();
    expect(sinceFirst.added).toEqual([{ id: later, text: 'Később' }]);
    expect(sinceFirst.edited).toEqual([
      { id: bus, text: 'Nincs esti busz', before: 'Nincs buszjárat, "este" sem' },
    ]);
    const between = (
      await mod.get<BoardChanges>(`/api/boards/${boardId}/compare?from=${first.id}&to=${second.id}`)
    ).json();
    expect(between).toEqual(sinceFirst);
    expect((await mod.get(`/api/boards/${boardId}/compare?from=nope`)).status).toBe(404);
  });

  it('exports CSV and Markdown in Hungarian for a Hungarian session, safely quoted, named by title and day', async () => {
    const { boardId, mod, moderator } = await workshop();
    await addCardVia(moderator, boardId, 'A moderátor kártyája');
    const csv = await mod.get(`/api/boards/${boardId}/export?format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const day = today();
    expect(csv.headers.get('content-disposition')).toBe(
      `attachment; filename="onsegito-csoportok-${day}.csv"; filename*=UTF-8''${encodeURIComponent(`Önsegítő csoportok - ${day}.csv`)}`,
    );
    // The BOM and `;` make Hungarian Excel open it as columns, accents and all.
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    const lines = csv.text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('típus;szöveg;csoport;szavazat;település;szerző;idő;terület;rögzítette');
    expect(lines).toContain(
      `Probléma;"Nincs buszjárat, ""este"" sem";Közlekedés;2;Alsóváros;Kovács Anna;${lines[1]?.split(';').at(-3)};Problémák;`,
    );
    // A formula-looking card stays text in a spreadsheet.
    expect(csv.text).toContain(`Erőforrás;"'=HYPERLINK(""http://x"")";;0;Alsóváros;Kovács Anna;`);
    expect(csv.text).toContain(';A moderátor kártyája;;0;;Moderátor;');

    const md = await mod.get(`/api/boards/${boardId}/export?format=md`);
    expect(md.headers.get('content-disposition')).toContain(`filename="onsegito-csoportok-${day}.md"`);
    expect(md.text).toContain('# Önsegítő csoportok');
    expect(md.text).toContain('Szakasz: Szavazás');
    expect(md.text).toContain('## Közlekedés');
    expect(md.text).toContain(
      '- Probléma: Nincs buszjárat, "este" sem (2 szavazat) — Kovács Anna, Alsóváros',
    );
    expect(md.text).toContain('## Erőforrások');
    expect(md.text).toContain('— Moderátor');
    expect(md.text).not.toMatch(/Problem:|Resources|votes|Phase|Moderator/);

    const json = (await mod.get<BoardExport>(`/api/boards/${boardId}/export?format=json`)).json();
    expect(json.cards).toHaveLength(3);
    expect(json.groups.map((g) => g.title)).toEqual(['Közlekedés']);
  });

  it('exports in English for an English session, and `lang=` overrides the session either way', async () => {
    const english = await workshop('en');
    const csv = (await english.mod.get(`/api/boards/${english.boardId}/export?format=csv`)).text;
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')[0]).toBe(
      'kind,text,group,votes,settlement,author,time,area,entered by',
    );
    expect(csv).toContain('Problem,"Nincs buszjárat, ""este"" sem",Közlekedés,2,Alsóváros,Kovács Anna,');
    const md = (await english.mod.get(`/api/boards/${english.boardId}/export?format=md`)).text;
    expect(md).toContain('Phase: Vote');
    expect(md).toContain('- Problem: Nincs buszjárat, "este" sem (2 votes) — Kovács Anna, Alsóváros');
    expect(md).toContain('## Resources');
    const inHungarian = (await english.mod.get(`/api/boards/${english.boardId}/export?format=csv&lang=hu`))
      .text;
    expect(inHungarian.slice(1).split('\r\n')[0]).toBe(
      'típus;szöveg;csoport;szavazat;település;szerző;idő;terület;rögzítette',
    );

    const hungarian = await workshop();
    const inEnglish = (await hungarian.mod.get(`/api/boards/${hungarian.boardId}/export?format=md&lang=en`))
      .text;
    expect(inEnglish).toContain('(2 votes)');
  });

  it('names a snapshot’s file by the session, the snapshot and the snapshot’s day', async () => {
    const { boardId, mod } = await workshop();
    const [auto] = (await mod.get<SnapshotList>(`/api/boards/${boardId}/snapshots`)).json().snapshots;
    const svg = await mod.get(`/api/boards/${boardId}/export?format=svg&snapshot=${auto?.id}`);
    expect(svg.headers.get('content-disposition')).toContain(
      `filename="onsegito-csoportok-gyujtes-szavazas-${today()}.svg"`,
    );
  });

  it('draws the board as SVG, with residents’ text as text and never as markup', async () => {
    const { boardId, mod, moderator } = await workshop();
    await addCardVia(moderator, boardId, '<script>x</script> & "y"');
    const svg = await mod.get(`/api/boards/${boardId}/export?format=svg&lang=en`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    expect(svg.text).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.text).not.toContain('<script');
    expect(svg.text).toContain('&#60;script&#62;x&#60;/script&#62;');
    expect(svg.text).toContain('Közlekedés');
    expect(svg.text).toContain('Problems');
    expect(svg.text).toContain('2 votes');
    expect(svg.text).toContain('Moderator');

    // Without `lang=`, the picture (and so the PNG and the report's pictures) speaks the session's language.
    const hungarian = (await mod.get(`/api/boards/${boardId}/export?format=svg`)).text;
    expect(hungarian).toContain('Problémák');
    expect(hungarian).toContain('2 szavazat');
    expect(hungarian).toContain('Moderátor');
    expect(hungarian).not.toMatch(/Problems|votes|Moderator/);
  });

  it('refuses other roles, other sessions, unknown ids and bad input with a clear error, changing nothing', async () => {
    const { session, boardId, anna, mod, reader } = await workshop();
    const other = await workshop();
    const theirs = (
      await other.mod.post<SnapshotSummary>(`/api/boards/${other.boardId}/snapshots`, { name: 'X' })
    ).json();
    const before = readContents(reader.doc);

    const participant = api(anna.participantToken);
    expect((await participant.get(`/api/boards/${boardId}/snapshots`)).status).toBe(403);
    expect((await participant.post(`/api/boards/${boardId}/snapshots`, { name: 'x' })).status).toBe(403);
    expect((await api(session.viewerToken).get(`/api/boards/${boardId}/export?format=csv`)).status).toBe(403);
    expect((await api('nope').get(`/api/boards/${boardId}/snapshots`)).status).toBe(401);
    expect((await mod.get(`/api/boards/${other.boardId}/snapshots`)).status).toBe(403);
    expect((await mod.get(`/api/boards/unknown-board/snapshots`)).status).toBe(404);
    // Another board's snapshot id through this board: not found, and nothing restored.
    const stolen = await mod.post<ErrorReply>(`/api/boards/${boardId}/snapshots/${theirs.id}/restore`, {
      mode: 'rollback',
    });
    expect(stolen.status).toBe(404);
    expect(stolen.json().error).toMatch(/snapshot/i);
    expect((await mod.get(`/api/boards/${boardId}/export?format=csv&snapshot=${theirs.id}`)).status).toBe(
      404,
    );
    expect((await mod.post(`/api/boards/${boardId}/snapshots/x/restore`, { mode: 'swap' })).status).toBe(400);
    expect((await mod.post(`/api/boards/${boardId}/snapshots`, { name: 'x'.repeat(101) })).status).toBe(400);
    expect((await mod.post(`/api/boards/${boardId}/snapshots`, { name: '  ' })).status).toBe(400);
    expect((await mod.get(`/api/boards/${boardId}/export?format=exe`)).status).toBe(400);
    expect((await mod.get(`/api/boards/..%2F..%2Fetc/snapshots`)).status).toBe(400);
    expect(readContents(reader.doc)).toEqual(before);
  });
});
