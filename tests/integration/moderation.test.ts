import { getCard, getGroup, listCards, listGroups, newId } from '@kaptar/board';
import { describe, expect, it } from 'vitest';
import { useServer } from '../support/harness.js';
import { addCardIntent, applyIntents, intent, sendIntents } from '../support/intents.js';
import { createSession, joinSession, waitFor } from '../support/server.js';

const kaptar = useServer();

async function workshop() {
  const session = await createSession(kaptar.server, 'Moderálás');
  const boardId = session.boards[0]?.id as string;
  const anna = await joinSession(kaptar.server, session.joinCode, 'Anna', 'Alsóváros');
  const mallory = await joinSession(kaptar.server, session.joinCode, 'Mallory', 'Sehol');
  return {
    boardId,
    anna: await kaptar.control(anna.participantToken),
    mallory: await kaptar.control(mallory.participantToken),
    malloryId: mallory.participantId,
    moderator: await kaptar.control(session.moderatorToken),
    reader: await kaptar.board(boardId, session.moderatorToken),
  };
}

describe('the moderator against one disruptive participant', () => {
  it('undoes everything one person did on a board, and keeps what others changed since', async () => {
    const { boardId, anna, mallory, malloryId, moderator, reader } = await workshop();
    const bus = addCardIntent('Nincs buszjárat');
    const train = addCardIntent('Ritka a vonat');
    const transport = newId();
    await applyIntents(anna, boardId, [
      bus,
      train,
      intent('group:create', {
        groupId: transport,
        cardIds: [bus.cardId, train.cardId],
        title: 'Közlekedés',
      }),
    ]);
    // Mallory fills the board with junk, renames the group, then dissolves it.
    const junk = Array.from({ length: 20 }, (_, i) => addCardIntent(`Szemét ${i}`));
    await applyIntents(mallory, boardId, [
      ...junk,
      intent('group:rename', { groupId: transport, title: 'Haha' }),
      intent('group:dissolve', { groupId: transport }),
    ]);
    await waitFor(() => listGroups(reader.doc).length === 0, 'the dissolve');
    // Meanwhile Anna adds another card: it is hers and stays.
    const later = addCardIntent('Nincs bolt');
    await applyIntents(anna, boardId, [later]);

    const undo = await moderator.ask('board:undo-participant', { boardId, participantId: malloryId });
    expect(undo).toMatchObject({ ok: true });
    expect(Number(undo.undone)).toBeGreaterThan(20);
    await waitFor(() => listCards(reader.doc).length === 3, 'the undo');
    expect(
      listCards(reader.doc)
        .map((card) => card.text)
        .sort(),
    ).toEqual(['Nincs bolt', 'Nincs buszjárat', 'Ritka a vonat']);
    expect(getGroup(reader.doc, transport)?.title).toBe('Közlekedés');
    expect(getCard(reader.doc, bus.cardId)?.groupId).toBe(transport);
    expect(getCard(reader.doc, train.cardId)?.groupId).toBe(transport);
    // Only the moderator may undo.
    expect(await anna.ask('board:undo-participant', { boardId, participantId: malloryId })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
  });

  it('locks grouping for participants while cards can still be added', async () => {
    const { boardId, anna, moderator } = await workshop();
    const [a, b] = [addCardIntent('Egy'), addCardIntent('Kettő')];
    await applyIntents(anna, boardId, [a, b]);
    expect(await moderator.ask('board:settings', { boardId, settings: { groupingLocked: true } })).toEqual({
      ok: true,
    });
    const [grouped] = await sendIntents(anna, boardId, [
      intent('card:group-with', { cardId: a.cardId, targetId: b.cardId, groupId: newId() }),
    ]);
    expect(grouped).toMatchObject({ ok: false, code: 'grouping-locked', final: true });
    const [added] = await sendIntents(anna, boardId, [addCardIntent('Három')]);
    expect(added?.ok).toBe(true);
    const [byModerator] = await sendIntents(moderator, boardId, [
      intent('card:group-with', { cardId: a.cardId, targetId: b.cardId, groupId: newId() }),
    ]);
    expect(byModerator?.ok).toBe(true);
  });
});

describe('a leaked projector link', () => {
  it('is replaced by a new one: screens on the old link are disconnected and it signs in no more', async () => {
    const session = await createSession(kaptar.server, 'Kiszivárgott link');
    const boardId = session.boards[0]?.id as string;
    const moderator = await kaptar.control(session.moderatorToken);
    const anna = await joinSession(kaptar.server, session.joinCode);
    const participant = await kaptar.control(anna.participantToken);
    const oldScreen = await kaptar.board(boardId, session.viewerToken);
    const oldControl = await kaptar.control(session.viewerToken);

    expect(await participant.ask('session:renew-projector-link', {})).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    const renewed = await moderator.ask('session:renew-projector-link', {});
    expect(renewed).toMatchObject({ ok: true, viewerToken: expect.any(String) });
    const viewerToken = renewed.viewerToken as string;
    expect(viewerToken).not.toBe(session.viewerToken);

    await waitFor(
      () => !oldScreen.provider.wsconnected && !oldControl.socket.connected,
      'the old screens to close',
    );
    const read = (token: string) =>
      fetch(`${kaptar.server.url}/api/sessions/${session.sessionId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await read(session.viewerToken)).status).toBe(401);
    expect((await read(viewerToken)).status).toBe(200);
    const info = (await (await read(session.moderatorToken)).json()) as { viewerToken?: string };
    expect(info.viewerToken).toBe(viewerToken);
    const newScreen = await kaptar.board(boardId, viewerToken);
    expect(newScreen.provider.synced).toBe(true);
  });
});
