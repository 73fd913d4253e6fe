/**
 * Intents from a hand-made client: whatever it puts in a batch, the server decides who wrote a
 * card, where it may stand, when it may change and how often; a replay is answered, never
 * applied twice. Every other device keeps seeing the board the rules allow.
 */
import { votesUsedBy } from '@kaptar/board';
import { type IntentResult, ROOM_CLOSE } from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import { useServer } from '../support/harness.js';
import { addCardIntent, addCards, sendIntents } from '../support/intents.js';
import { waitFor } from '../support/server.js';
import { ALL_READS_ANSWER, moderatorReads } from './support/http.js';
import { openRawRoom, openSyncedRawRoom } from './support/raw-room.js';
import { connectRecording } from './support/recording-control.js';
import { workshop } from './support/workshop.js';

const kaptar = useServer();

async function boardWithCards() {
  const board = await workshop(kaptar, ['Anna', 'Béla', 'Cili']);
  const [anna, bela, cili] = board.phones as [
    (typeof board.phones)[0],
    (typeof board.phones)[0],
    (typeof board.phones)[0],
  ];
  const [annaCard] = await addCards(anna.control, board.boardId, ['Nincs orvos']);
  const [belaCard] = await addCards(bela.control, board.boardId, ['Van közösségi ház'], 'resource');
  const before = await board.everyoneAgrees();
  return { ...board, anna, bela, cili, annaCard: annaCard as string, belaCard: belaCard as string, before };
}

const codes = (results: IntentResult[]) => results.map((result) => (result.ok ? 'ok' : result.code));

describe('intents from a hand-made client', () => {
  it('type confusion by intent is refused by the schema; every device still sees every card; exports, snapshots, compare and phases answer', async () => {
    const board = await boardWithCards();
    const ask = (intents: unknown) => board.anna.control.ask('intents', { boardId: board.boardId, intents });
    const add = addCardIntent('Rendes kártya');
    const hostile: unknown[] = [
      [{ ...add, x: 'hidden' }],
      [{ ...add, y: 1e308 }],
      [{ ...add, x: -1e6 }],
      [{ ...add, kind: 'secret' }],
      [{ ...add, text: 1 }],
      [{ ...add, text: { toString: 'x' } }],
      [{ ...add, authorId: board.bela.join.participantId }],
      [{ ...add, site: 'Felsőtelep' }],
      [{ id: add.id, type: 'card:put', card: 1 }],
      [{ id: add.id, type: 'card:move', cardId: board.annaCard, x: 10, y: 1e308 }],
      [{ id: add.id, type: 'card:edit', cardId: board.belaCard, text: null }],
      [{ id: '../../etc', type: 'card:delete', cardId: board.belaCard }],
      { 0: add },
      [],
      Array.from({ length: 51 }, () => addCardIntent('sok')),
      'x',
    ];
    for (const intents of hostile) {
      expect(await ask(intents)).toMatchObject({ ok: false, code: 'invalid-payload' });
    }
    // Valid shapes that would replace another person's card or group by id: the id is taken.
    const replace = await sendIntents(board.anna.control, board.boardId, [
      { ...addCardIntent('Béla helyett'), cardId: board.belaCard },
      {
        id: addCardIntent('').id,
        type: 'group:create',
        groupId: board.belaCard,
        cardIds: [board.annaCard],
        title: 'x',
      },
    ]);
    expect(codes(replace)).toEqual(['id-taken', 'id-taken']);

    expect(await board.serverContents()).toEqual(board.before);
    const seen = await board.everyoneAgrees();
    expect(seen.cards.map((card) => card.text)).toEqual(['Nincs orvos', 'Van közösségi ház']);

    const reads = await moderatorReads(kaptar.server, board.boardId, board.session.moderatorToken);
    expect(reads.statuses).toEqual(ALL_READS_ANSWER);
    expect(reads.exports.csv?.text).toContain('Van közösségi ház');
    for (const phase of ['group', 'vote', 'discuss', 'collect']) {
      expect(
        await board.moderator.control.ask('board:settings', { boardId: board.boardId, settings: { phase } }),
      ).toEqual({ ok: true });
    }
  });

  it('forged authorship: editing, moving, deleting or re-placing another person’s card is not-author; an add cannot choose its author or settlement', async () => {
    const board = await boardWithCards();
    const { belaCard, annaCard } = board;
    const id = () => addCardIntent('').id;
    const results = await sendIntents(board.anna.control, board.boardId, [
      { id: id(), type: 'card:edit', cardId: belaCard, text: 'Átírva' },
      { id: id(), type: 'card:move', cardId: belaCard, x: 99_000, y: 99_000 },
      { id: id(), type: 'card:delete', cardId: belaCard },
      // Leaving a group puts the card down at (x, y): on a loose card that is a move.
      { id: id(), type: 'card:leave-group', cardId: belaCard, x: 99_000, y: 99_000 },
    ]);
    expect(codes(results)).toEqual(['not-author', 'not-author', 'not-author', 'not-author']);
    expect(
      await board.anna.control.ask('board:remove-card', { boardId: board.boardId, cardId: belaCard }),
    ).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await board.serverContents()).toEqual(board.before);

    // Grouping is the room's shared work: Anna may group Béla's card, and take it out again
    // (where it lands is hers to choose then), but not edit or delete it inside the group.
    const groupId = id();
    const grouped = await sendIntents(board.anna.control, board.boardId, [
      { id: id(), type: 'card:group-with', cardId: annaCard, targetId: belaCard, groupId },
      { id: id(), type: 'card:edit', cardId: belaCard, text: 'Átírva' },
      { id: id(), type: 'card:leave-group', cardId: belaCard, x: 300, y: 300 },
    ]);
    expect(codes(grouped)).toEqual(['ok', 'not-author', 'ok']);

    const mine = { ...addCardIntent('Saját kártya') };
    expect(codes(await sendIntents(board.anna.control, board.boardId, [mine]))).toEqual(['ok']);
    const stored = await kaptar.server.app.rooms.withRoom(board.boardId, (room) =>
      room.doc.getMap<import('yjs').Map<unknown>>('cards').get(mine.cardId)?.toJSON(),
    );
    expect(stored).toMatchObject({
      authorId: board.anna.join.participantId,
      site: 'Alsóváros',
      text: 'Saját kártya',
    });
    const seen = await board.everyoneAgrees();
    expect(seen.cards.find((card) => card.id === belaCard)).toMatchObject({
      text: 'Van közösségi ház',
      authorId: board.bela.join.participantId,
    });
  });

  it('budget tricks: with cards during the vote, a deleted id cannot come back, own cards cannot change, totals never pass the budget', async () => {
    const board = await boardWithCards();
    const { boardId, anna, bela, moderator } = board;
    const settings = { phase: 'vote', cardsDuringVote: true, voteBudget: 3 };
    expect(await moderator.control.ask('board:settings', { boardId, settings })).toEqual({ ok: true });
    const late = addCardIntent('Szavazás közben');
    expect(codes(await sendIntents(anna.control, boardId, [late]))).toEqual(['ok']);
    const vote = (who: typeof anna, cardId: string) => who.control.ask('vote', { boardId, cardId, delta: 1 });
    // Votes at once from two sockets of one phone: the budget holds.
    const second = await kaptar.control(anna.join.participantToken);
    const acks = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? second : anna.control).ask('vote', { boardId, cardId: late.cardId, delta: 1 }),
      ),
    );
    expect(acks.filter((ack) => ack.ok)).toHaveLength(3);
    expect(acks.filter((ack) => !ack.ok && ack.code === 'vote-budget-exhausted')).toHaveLength(5);

    const id = () => addCardIntent('').id;
    const ownChanges = await sendIntents(anna.control, boardId, [
      { id: id(), type: 'card:edit', cardId: late.cardId, text: 'Átírva szavazás közben' },
      { id: id(), type: 'card:move', cardId: late.cardId, x: 1, y: 1 },
      { id: id(), type: 'card:delete', cardId: late.cardId },
    ]);
    expect(codes(ownChanges)).toEqual(['not-in-this-phase', 'not-in-this-phase', 'not-in-this-phase']);

    // The moderator takes the card off; its three votes stop counting. The same id again would
    // bring them back on top of three new ones: it is dead.
    expect(await moderator.control.ask('board:remove-card', { boardId, cardId: late.cardId })).toEqual({
      ok: true,
    });
    const again = await sendIntents(anna.control, boardId, [
      { ...addCardIntent('Újra'), cardId: late.cardId },
      { id: id(), type: 'group:create', groupId: late.cardId, cardIds: [board.belaCard], title: '' },
    ]);
    expect(codes(again)).toEqual(['id-taken', 'not-in-this-phase']);
    for (let i = 0; i < 3; i++) expect(await vote(anna, board.belaCard)).toMatchObject({ ok: true });
    expect(await vote(anna, board.belaCard)).toMatchObject({ ok: false, code: 'vote-budget-exhausted' });

    // Back to collect, Béla deletes the voted card, then tries to re-create it in the next vote.
    await moderator.control.ask('board:settings', { boardId, settings: { phase: 'collect' } });
    expect(
      codes(
        await sendIntents(bela.control, boardId, [{ id: id(), type: 'card:delete', cardId: board.belaCard }]),
      ),
    ).toEqual(['ok']);
    await moderator.control.ask('board:settings', { boardId, settings: { phase: 'vote' } });
    expect(
      codes(
        await sendIntents(bela.control, boardId, [{ ...addCardIntent('Vissza'), cardId: board.belaCard }]),
      ),
    ).toEqual(['id-taken']);
    const [fresh] = await addCards(bela.control, boardId, ['Friss']);
    for (let i = 0; i < 3; i++) expect(await vote(anna, fresh as string)).toMatchObject({ ok: true });

    const used = await kaptar.server.app.rooms.withRoom(boardId, (room) =>
      board.phones.map((phone) => votesUsedBy(room.board, phone.join.participantId)),
    );
    expect(Math.max(...used)).toBeLessThanOrEqual(3);
    const seen = await board.everyoneAgrees();
    expect(seen.cards.reduce((sum, card) => sum + card.votes, 0)).toBe(3);
  });

  it('replays: the same id twice, in one batch, or in parallel batches on two sockets is applied once with one answer; another person’s reuse is id-taken', async () => {
    const board = await boardWithCards();
    const { boardId, anna, bela } = board;
    const once = addCardIntent('Egyszer');
    const first = await sendIntents(anna.control, boardId, [once, once]);
    const replay = await sendIntents(anna.control, boardId, [once]);
    expect(first[0]?.ok).toBe(true);
    expect(first[1]).toEqual(first[0]);
    expect(replay[0]).toEqual(first[0]);

    const parallel = addCardIntent('Párhuzamosan');
    const second = await kaptar.control(anna.join.participantToken);
    const [left, right] = await Promise.all([
      sendIntents(anna.control, boardId, [parallel]),
      sendIntents(second, boardId, [parallel]),
    ]);
    expect(left[0]?.ok).toBe(true);
    expect(right).toEqual(left);

    // Béla, who saw nothing of Anna's intents, guesses or copies their ids.
    const stolen = await sendIntents(bela.control, boardId, [
      { ...addCardIntent('Lopott'), id: once.id },
      { id: parallel.id, type: 'card:delete', cardId: board.belaCard },
    ]);
    expect(stolen.map((result) => !result.ok && result.code)).toEqual(['id-taken', 'id-taken']);
    const seen = await board.everyoneAgrees();
    expect(seen.cards.map((card) => card.text)).toEqual([
      'Nincs orvos',
      'Van közösségi ház',
      'Egyszer',
      'Párhuzamosan',
    ]);
  });

  it('a viewer (projector) cannot send intents; a removed participant’s sockets are closed and their token stops working', async () => {
    const board = await boardWithCards();
    const { boardId, session, anna, moderator } = board;
    const projector = await kaptar.control(session.viewerToken);
    expect(await projector.ask('intents', { boardId, intents: [addCardIntent('Kivetítő')] })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await projector.ask('board:remove-card', { boardId, cardId: board.annaCard })).toMatchObject({
      code: 'forbidden',
    });
    const viewerRoom = await openRawRoom(kaptar.server.wsUrl, boardId, session.viewerToken);
    expect(await viewerRoom.closeWithin(100)).toBeNull();
    viewerRoom.close();

    const annaRaw = await openSyncedRawRoom(kaptar.server.wsUrl, boardId, anna.join.participantToken);
    const annaSecond = await kaptar.control(anna.join.participantToken);
    expect(
      await moderator.control.ask('session:remove-participant', { participantId: anna.join.participantId }),
    ).toEqual({ ok: true });
    expect((await annaRaw.closeWithin(2000))?.code).toBe(ROOM_CLOSE.removed);
    await waitFor(
      () => !anna.control.socket.connected && !annaSecond.socket.connected,
      'Anna’s control sockets to close',
    );
    expect(anna.control.presence.removed).toBe(true);
    await waitFor(() => !anna.reader.provider.wsconnected, 'Anna’s stock reader to be cut off');

    expect(
      (await (await openRawRoom(kaptar.server.wsUrl, boardId, anna.join.participantToken)).closed).code,
    ).toBe(401);
    await expect(connectRecording(kaptar.server.url, anna.join.participantToken)).rejects.toThrow();
    // Her cards stay; the others carry on.
    await addCards(board.bela.control, boardId, ['Tovább']);
    const seen = await board.everyoneAgrees('the others to see the new card', [anna]);
    expect(seen.cards.map((card) => card.text)).toEqual(['Nincs orvos', 'Van közösségi ház', 'Tovább']);
  });
});
