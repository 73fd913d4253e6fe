/**
 * The session document's room from a hand-made client: read-only like a board's. A participant
 * who writes the screen or the presenter focus into it reaches neither the server's document nor
 * anyone's device, and is closed once it keeps writing; another session's link cannot read it.
 */
import { readSessionShared, SESSION_ROOT } from '@kaptar/board';
import { ROOM_CLOSE, sessionRoomName } from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { useServer } from '../support/harness.js';
import { createSession, joinSession, waitFor } from '../support/server.js';
import { forgeChange } from './support/forge.js';
import { openRawRoom, openSyncedRawRoom } from './support/raw-room.js';
import { syncStep2, syncUpdate } from './support/y-frames.js';

const kaptar = useServer();

describe('a hand-made client writing the session document', () => {
  it('is dropped: the projector keeps following the moderator alone; a writer is closed with 4405', async () => {
    const session = await createSession(kaptar.server, 'Kivetítő');
    const boardId = session.boards[0]?.id as string;
    const anna = await joinSession(kaptar.server, session.joinCode, 'Anna', 'Alsóváros');
    const room = sessionRoomName(session.sessionId);
    const moderator = await kaptar.control(session.moderatorToken);
    expect(await moderator.ask('session:screen', { boardId })).toEqual({ ok: true });
    const projector = await kaptar.board(room, session.viewerToken);
    await waitFor(() => readSessionShared(projector.doc).screen !== null, 'the screen');

    const attacker = await openSyncedRawRoom(kaptar.server.wsUrl, room, anna.participantToken);
    // Anna's own board on the screen, then a focus on nothing: what a prankster would put up.
    const forged = forgeChange(attacker.replica(), (doc) => {
      const shared = doc.getMap(SESSION_ROOT);
      shared.set('screen', { boardId: 'anna-board' });
      shared.set('focus', { boardId, kind: 'card', id: 'csalas', onPhones: true });
    });
    attacker.send(syncUpdate(forged));
    attacker.send(syncStep2(forged));
    expect(await attacker.closeWithin(300)).toBeNull();
    // Something the server writes afterwards still arrives, and nothing of the forgery with it.
    const created = await moderator.ask('board:create', { title: 'Második', template: 'blank' });
    expect(await moderator.ask('session:bring', { boardId: created.boardId })).toEqual({ ok: true });
    await waitFor(() => readSessionShared(projector.doc).broughtTo !== null, 'the bring');
    const server = await kaptar.server.app.sessionRooms.acquire(session.sessionId);
    for (const doc of [server.doc, projector.doc]) {
      expect(readSessionShared(doc)).toMatchObject({ screen: { boardId: created.boardId }, focus: null });
    }
    const fresh = await openSyncedRawRoom(kaptar.server.wsUrl, room, session.viewerToken);
    expect(readSessionShared(fresh.replica()).focus).toBeNull();
    fresh.close();

    // Writing on and on: 40 KB of junk twice is beyond the 64 KiB a connection may send.
    const junk = new Y.Doc();
    junk.getMap(SESSION_ROOT).set('screen', { boardId: 'x'.repeat(40_000) });
    const big = Y.encodeStateAsUpdate(junk);
    attacker.send(syncUpdate(big));
    attacker.send(syncUpdate(big));
    expect((await attacker.closeWithin(2000))?.code).toBe(ROOM_CLOSE.readOnly);
    expect(readSessionShared(server.doc).screen).toEqual({ boardId: created.boardId });
  });

  it('is not opened to another session’s link nor to an unknown token', async () => {
    const session = await createSession(kaptar.server, 'Saját');
    const other = await createSession(kaptar.server, 'Idegen');
    const room = sessionRoomName(session.sessionId);
    const foreign = await openRawRoom(kaptar.server.wsUrl, room, other.moderatorToken);
    expect((await foreign.closed).code).toBe(403);
    const unknown = await openRawRoom(kaptar.server.wsUrl, room, 'nincs-ilyen-token');
    expect((await unknown.closed).code).toBe(401);
  });
});
