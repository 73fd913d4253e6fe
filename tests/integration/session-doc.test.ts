/**
 * The session document over real websockets: only the moderator changes what the whole session
 * shares (the board on the projector, where everyone is brought, presenter focus); every member's
 * read-only replica receives it, and it survives a restart.
 */
import { NO_SESSION_SHARED, newId, readSessionShared } from '@kaptar/board';
import { sessionRoomName } from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import { useServer } from '../support/harness.js';
import { addCards, applyIntents, intent } from '../support/intents.js';
import { createSession, joinSession, startServer, tempDataDir, waitFor } from '../support/server.js';
import { connectSynced } from '../support/yjs-client.js';

const kaptar = useServer();

async function workshop() {
  const session = await createSession(kaptar.server, 'Kivetítő');
  const anna = await joinSession(kaptar.server, session.joinCode, 'Anna', 'Alsóváros');
  const moderator = await kaptar.control(session.moderatorToken);
  const created = await moderator.ask('board:create', { title: 'Erőforrások', template: 'blank' });
  return {
    session,
    first: session.boards[0]?.id as string,
    second: String(created.boardId),
    anna,
    moderator,
    annaControl: await kaptar.control(anna.participantToken),
    viewerControl: await kaptar.control(session.viewerToken),
    // The projector's replica of the session document.
    screen: await kaptar.board(sessionRoomName(session.sessionId), session.viewerToken),
  };
}

describe('the session document', () => {
  it('refuses a participant’s and the projector’s session commands; applies the moderator’s, which reach the projector', async () => {
    const {
      first,
      second,
      moderator,
      annaControl,
      viewerControl,
      screen,
      annaControl: phone,
    } = await workshop();
    const [cardId] = await addCards(phone, first, ['Nincs orvos']);
    const commands: Array<[string, object]> = [
      ['session:screen', { boardId: second }],
      ['session:bring', { boardId: second }],
      ['session:focus', { boardId: first, kind: 'card', id: cardId, onPhones: true }],
      ['session:focus', { clear: true }],
    ];
    for (const [event, payload] of commands) {
      for (const outsider of [annaControl, viewerControl]) {
        expect(await outsider.ask(event, payload)).toMatchObject({ ok: false, code: 'forbidden' });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(readSessionShared(screen.doc)).toEqual(NO_SESSION_SHARED);

    expect(await moderator.ask('session:screen', { boardId: second })).toEqual({ ok: true });
    await waitFor(() => readSessionShared(screen.doc).screen?.boardId === second, 'the screen to follow');

    const before = Date.now();
    expect(await moderator.ask('session:bring', { boardId: first })).toEqual({ ok: true });
    await waitFor(() => readSessionShared(screen.doc).broughtTo !== null, 'the bring to arrive');
    const brought = readSessionShared(screen.doc);
    expect(brought.broughtTo?.boardId).toBe(first);
    expect(brought.broughtTo?.at).toBeGreaterThanOrEqual(before);
    // Everyone goes there: the projector too.
    expect(brought.screen).toEqual({ boardId: first });

    const focus = { boardId: first, kind: 'card', id: cardId, onPhones: true };
    expect(await moderator.ask('session:focus', focus)).toEqual({ ok: true });
    await waitFor(() => readSessionShared(screen.doc).focus !== null, 'the focus to arrive');
    expect(readSessionShared(screen.doc).focus).toEqual(focus);
    expect(await moderator.ask('session:focus', { clear: true })).toEqual({ ok: true });
    await waitFor(() => readSessionShared(screen.doc).focus === null, 'the focus to be taken off');
  });

  it('refuses what is not on a board of this session: another session’s board, an unknown card or group, a draft', async () => {
    const { first, moderator, annaControl } = await workshop();
    const other = await createSession(kaptar.server, 'Másik');
    const foreign = other.boards[0]?.id as string;
    expect(await moderator.ask('session:screen', { boardId: foreign })).toMatchObject({
      code: 'unknown-board',
    });
    expect(await moderator.ask('session:bring', { boardId: 'nincs' })).toMatchObject({
      code: 'unknown-board',
    });
    const focus = (kind: string, id: string) => ({ boardId: first, kind, id, onPhones: false });
    expect(await moderator.ask('session:focus', focus('card', 'nincs'))).toMatchObject({
      ok: false,
      code: 'card-not-found',
    });
    expect(await moderator.ask('session:focus', focus('group', 'nincs'))).toMatchObject({
      ok: false,
      code: 'group-not-found',
    });
    expect(await moderator.ask('session:focus', { ...focus('card', 'x'), kind: 'area' })).toMatchObject({
      code: 'invalid-payload',
    });
    // A silent-collect draft is seen by its author and the moderator alone: not for the screen.
    await moderator.ask('board:settings', { boardId: first, settings: { silentCollect: true } });
    const [draft] = await addCards(annaControl, first, ['Titkos ötlet']);
    expect(await moderator.ask('session:focus', focus('card', draft as string))).toMatchObject({
      code: 'card-not-found',
    });
  });

  it('puts a group on the screen and keeps what it shares across a restart', async () => {
    const dataDir = tempDataDir();
    const server = await startServer({ dataDir });
    const session = await createSession(server, 'Újraindítás');
    const boardId = session.boards[0]?.id as string;
    const moderator = await kaptar.control(session.moderatorToken, server);
    const cardIds = await addCards(moderator, boardId, ['Busz', 'Bolt']);
    const groupId = newId();
    await applyIntents(moderator, boardId, [
      intent('group:create', { groupId, cardIds, title: 'Közlekedés' }),
    ]);
    const focus = { boardId, kind: 'group', id: groupId, onPhones: false };
    expect(await moderator.ask('session:focus', focus)).toEqual({ ok: true });
    moderator.close();
    await server.stop();

    const again = await startServer({ dataDir });
    try {
      const replica = await connectSynced(
        again.wsUrl,
        sessionRoomName(session.sessionId),
        session.viewerToken,
      );
      expect(readSessionShared(replica.doc)).toEqual({
        ...NO_SESSION_SHARED,
        screen: { boardId },
        focus,
      });
      replica.destroy();
    } finally {
      await again.stop();
    }
  });
});
