import { readMeta } from '@kaptar/board';
import { describe, expect, it } from 'vitest';
import { useServer } from '../support/harness.js';
import { createSession, joinSession, waitFor } from '../support/server.js';

const kaptar = useServer();

describe('the boards of a session', () => {
  it('the moderator adds boards from templates, renames, reorders and archives them; everyone sees the list live', async () => {
    const session = await createSession(kaptar.server);
    const first = session.boards[0]?.id as string;
    const anna = await joinSession(kaptar.server, session.joinCode);
    const moderator = await kaptar.control(session.moderatorToken);
    const annaControl = await kaptar.control(anna.participantToken);
    await waitFor(() => annaControl.presence.boards.length === 1, 'the first board in the list');

    const created = await moderator.ask('board:create', { title: 'Négy típus', template: 'four-types' });
    expect(created).toMatchObject({ ok: true });
    const second = created.boardId as string;
    await waitFor(() => annaControl.presence.boards.length === 2, 'the new board, live');
    const board = await kaptar.board(second, anna.participantToken);
    expect(readMeta(board.doc).template).toBe('four-types');

    expect(
      await moderator.ask('board:update', { boardId: first, title: 'Problémák és erőforrások' }),
    ).toEqual({ ok: true });
    expect(await moderator.ask('board:reorder', { boardIds: [second, first] })).toEqual({ ok: true });
    await waitFor(() => annaControl.presence.boards[0]?.id === second, 'the new order');
    expect(await moderator.ask('board:update', { boardId: first, archived: true })).toEqual({ ok: true });
    await waitFor(() => annaControl.presence.boards.some((b) => b.archived), 'the archived flag');
    // Each entry also names the board's epoch (what a replica of it is of): matched as a subset.
    expect(annaControl.presence.boards).toMatchObject([
      { id: second, title: 'Négy típus', archived: false },
      { id: first, title: 'Problémák és erőforrások', archived: true },
    ]);
  });

  it('names a board left unnamed after its template, in the session’s language', async () => {
    for (const [lang, title] of [
      ['hu', 'Az önsegítő csoportok négy típusa'],
      ['en', 'The four types of self-help groups'],
    ] as const) {
      const session = await createSession(kaptar.server, 'Műhely', lang);
      const moderator = await kaptar.control(session.moderatorToken);
      const created = await moderator.ask('board:create', { title: '  ', template: 'four-types' });
      expect(created).toMatchObject({ ok: true });
      await waitFor(() => moderator.presence.boards.length === 2, 'the new board in the list');
      expect(moderator.presence.boards.find((b) => b.id === created.boardId)?.title).toBe(title);
    }
  });

  it('refuses board commands from participants, unknown templates and other sessions’ boards', async () => {
    const session = await createSession(kaptar.server);
    const other = await createSession(kaptar.server);
    const anna = await joinSession(kaptar.server, session.joinCode);
    const moderator = await kaptar.control(session.moderatorToken);
    const annaControl = await kaptar.control(anna.participantToken);
    expect(await annaControl.ask('board:create', { title: 'x', template: 'blank' })).toMatchObject({
      code: 'forbidden',
    });
    expect(await moderator.ask('board:create', { title: 'x', template: 'nope' })).toMatchObject({
      code: 'invalid-payload',
    });
    expect(await moderator.ask('board:update', { boardId: other.boards[0]?.id, title: 'x' })).toMatchObject({
      code: 'unknown-board',
    });
    expect(await moderator.ask('board:update', { boardId: session.boards[0]?.id })).toMatchObject({
      code: 'invalid-payload',
    });
    // A session holds at most 50 boards.
    for (let i = 1; i < 50; i++) {
      expect(await moderator.ask('board:create', { title: `T${i}`, template: 'blank' })).toEqual({
        ok: true,
        boardId: expect.any(String),
      });
      // At a moderator's pace, under the 20 commands a second budget.
      await new Promise((resolve) => setTimeout(resolve, 55));
    }
    expect(await moderator.ask('board:create', { title: 'one too many', template: 'blank' })).toMatchObject({
      code: 'invalid-setting',
    });
    // Another session's board in a reorder is refused, and changes nothing there.
    expect(await moderator.ask('board:reorder', { boardIds: [other.boards[0]?.id] })).toMatchObject({
      ok: false,
      code: 'unknown-board',
    });
    const otherModerator = await kaptar.control(other.moderatorToken);
    await waitFor(() => otherModerator.presence.boards.length === 1, 'the other list');
    expect(otherModerator.presence.boards[0]?.id).toBe(other.boards[0]?.id);
  });
});
