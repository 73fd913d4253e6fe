import { readMeta } from '@kaptar/board';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ControlClient, connectControl } from '../support/control-client.js';
import { createSession, joinSession, startServer, type TestServer, waitFor } from '../support/server.js';
import { type BoardClient, connectSynced } from '../support/yjs-client.js';

let server: TestServer;
const open: Array<{ close(): void } | BoardClient> = [];
beforeAll(async () => {
  server = await startServer();
});
afterEach(() => {
  for (const client of open.splice(0)) 'destroy' in client ? client.destroy() : client.close();
});
afterAll(() => server.stop());

async function control(token: string): Promise<ControlClient> {
  const client = await connectControl(server.url, token);
  open.push(client);
  return client;
}

describe('the boards of a session', () => {
  it('the moderator adds boards from templates, renames, reorders and archives them; everyone sees the list live', async () => {
    const session = await createSession(server);
    const first = session.boards[0]?.id as string;
    const anna = await joinSession(server, session.joinCode);
    const moderator = await control(session.moderatorToken);
    const annaControl = await control(anna.participantToken);
    await waitFor(() => annaControl.presence.boards.length === 1, 'the first board in the list');

    const created = await moderator.ask('board:create', { title: 'Négy típus', template: 'four-types' });
    expect(created).toMatchObject({ ok: true });
    const second = created.boardId as string;
    await waitFor(() => annaControl.presence.boards.length === 2, 'the new board, live');
    const board = await connectSynced(server.wsUrl, second, anna.participantToken);
    open.push(board);
    expect(readMeta(board.doc).template).toBe('four-types');

    expect(
      await moderator.ask('board:update', { boardId: first, title: 'Problémák és erőforrások' }),
    ).toEqual({ ok: true });
    expect(await moderator.ask('board:reorder', { boardIds: [second, first] })).toEqual({ ok: true });
    await waitFor(() => annaControl.presence.boards[0]?.id === second, 'the new order');
    expect(await moderator.ask('board:update', { boardId: first, archived: true })).toEqual({ ok: true });
    await waitFor(() => annaControl.presence.boards.some((b) => b.archived), 'the archived flag');
    expect(annaControl.presence.boards).toEqual([
      { id: second, title: 'Négy típus', archived: false },
      { id: first, title: 'Problémák és erőforrások', archived: true },
    ]);
  });

  it('refuses board commands from participants, unknown templates and other sessions’ boards', async () => {
    const session = await createSession(server);
    const other = await createSession(server);
    const anna = await joinSession(server, session.joinCode);
    const moderator = await control(session.moderatorToken);
    const annaControl = await control(anna.participantToken);
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
    // Another session's board in a reorder changes nothing there.
    expect(await moderator.ask('board:reorder', { boardIds: [other.boards[0]?.id] })).toEqual({ ok: true });
    const otherModerator = await control(other.moderatorToken);
    await waitFor(() => otherModerator.presence.boards.length === 1, 'the other list');
    expect(otherModerator.presence.boards[0]?.id).toBe(other.boards[0]?.id);
  });
});
