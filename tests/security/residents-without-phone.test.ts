/**
 * Residents without a phone: the moderator adds them and then enters their cards and paper votes
 * for them (`onBehalfOf`). Only the moderator may, only for such a resident, and what is entered
 * is the resident's, as if they had a phone: their name and settlement on the card (marked as
 * entered by the moderator), their ballot within the board's budget, their place in the counts.
 */
import { listCards } from '@kaptar/board';
import type { FacilitationView, IntentResult } from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import { useServer } from '../support/harness.js';
import { addCardIntent, addCards } from '../support/intents.js';
import { waitFor } from '../support/server.js';
import { workshop } from './support/workshop.js';

const kaptar = useServer();

/** Anna (Alsóváros) and Béla (Felsőtelep) with phones, and Kiss Jánosné of Felsőtanya without one. */
async function withResident() {
  const board = await workshop(kaptar, ['Anna', 'Béla']);
  const [anna, bela] = board.phones as [(typeof board.phones)[0], (typeof board.phones)[0]];
  const added = await board.moderator.control.ask('session:add-resident', {
    name: 'Kiss Jánosné',
    site: 'Felsőtanya',
  });
  expect(added).toMatchObject({ ok: true });
  const residentId = added.participantId as string;
  const { boardId } = board;
  const mod = board.moderator.control;
  const forResident = (intents: unknown[]) =>
    mod.ask('intents', { boardId, intents, onBehalfOf: residentId });
  const phase = (to: string) => mod.ask('board:settings', { boardId, settings: { phase: to } });
  return { ...board, anna, bela, residentId, mod, forResident, phase };
}

const codes = (results: IntentResult[]) => results.map((result) => (result.ok ? 'ok' : result.code));

describe('entering for a resident without a phone', () => {
  it("makes a card the resident's: their id and settlement, the moderator's mark, and it counts for Felsőtanya", async () => {
    const board = await withResident();
    const card = addCardIntent('Nincs orvosi rendelés a tanyán');
    const ack = await board.forResident([card]);
    expect(codes(ack.results as IntentResult[])).toEqual(['ok']);

    const stored = await kaptar.server.app.rooms.withRoom(board.boardId, (room) => listCards(room.doc));
    const moderator = (await kaptar.server.app.store.listParticipants(board.session.sessionId)).find(
      (person) => person.role === 'moderator',
    );
    expect(stored).toMatchObject([
      { id: card.cardId, authorId: board.residentId, site: 'Felsőtanya', enteredBy: moderator?.id },
    ]);
    // A phone reads the same from its replica: the resident's card, from the resident's settlement.
    await waitFor(() => board.anna.reader.doc.getMap('cards').has(card.cardId), "Anna's replica");
    expect(listCards(board.anna.reader.doc)[0]).toMatchObject({
      authorId: board.residentId,
      site: 'Felsőtanya',
      enteredBy: moderator?.id,
    });

    // The exports name the resident, their settlement and who typed it.
    const headers = { authorization: `Bearer ${board.session.moderatorToken}` };
    const url = `${kaptar.server.url}/api/boards/${board.boardId}/export`;
    const csv = await (await fetch(`${url}?format=csv`, { headers })).text();
    expect(csv).toContain(';Nincs orvosi rendelés a tanyán;;0;Felsőtanya;Kiss Jánosné;');
    expect(csv.trimEnd().endsWith(';Moderátor')).toBe(true);
    const md = await (await fetch(`${url}?format=md`, { headers })).text();
    expect(md).toContain(
      'Nincs orvosi rendelés a tanyán — Kiss Jánosné, Felsőtanya · a moderátor rögzítette',
    );

    // The participant list (every screen's settlement figures) counts the resident in Felsőtanya.
    await waitFor(
      () => board.anna.control.presence.list.some((p) => p.participantId === board.residentId),
      'the resident in the participant list',
    );
    expect(board.anna.control.presence.list.find((p) => p.participantId === board.residentId)).toEqual({
      participantId: board.residentId,
      name: 'Kiss Jánosné',
      site: 'Felsőtanya',
      role: 'participant',
      online: false,
      noDevice: true,
    });
  });

  it('is the moderator’s alone: a phone naming a resident is forbidden, and nothing is written', async () => {
    const board = await withResident();
    const before = await board.serverContents();
    const asAnna = (event: string, payload: object) =>
      board.anna.control.ask(event, { ...payload, onBehalfOf: board.residentId });
    expect(
      await asAnna('intents', { boardId: board.boardId, intents: [addCardIntent('Hamis')] }),
    ).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await asAnna('board:private', { boardId: board.boardId })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    const [belaCard] = await addCards(board.bela.control, board.boardId, ['Béla kártyája']);
    await board.phase('vote');
    expect(await asAnna('vote', { boardId: board.boardId, cardId: belaCard, delta: 1 })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    // The projector's token is refused too.
    const projector = await kaptar.control(board.session.viewerToken);
    expect(
      await projector.ask('vote', {
        boardId: board.boardId,
        cardId: belaCard,
        delta: 1,
        onBehalfOf: board.residentId,
      }),
    ).toMatchObject({ ok: false, code: 'forbidden' });
    const after = await board.serverContents();
    expect(after.cards.map((card) => card.text)).toEqual([
      ...before.cards.map((card) => card.text),
      'Béla kártyája',
    ]);
    expect(after.cards.every((card) => card.authorId !== board.residentId)).toBe(true);
    const ballot = (
      await board.mod.ask('board:private', { boardId: board.boardId, onBehalfOf: board.residentId })
    ).mine as { ballot: Record<string, number> };
    expect(ballot.ballot).toEqual({});
  });

  it('names only a resident without a phone: a participant with one, the moderator or a stranger is not-a-resident', async () => {
    const board = await withResident();
    const other = await withResident();
    const refusedFor = async (onBehalfOf: string) => {
      const intents = [addCardIntent('Más nevében')];
      return [
        await board.mod.ask('intents', { boardId: board.boardId, intents, onBehalfOf }),
        await board.mod.ask('board:private', { boardId: board.boardId, onBehalfOf }),
        await board.mod.ask('vote', { boardId: board.boardId, cardId: 'c1', delta: 1, onBehalfOf }),
      ].map((ack) => (ack.ok ? 'ok' : ack.code));
    };
    const moderatorId = (await kaptar.server.app.store.listParticipants(board.session.sessionId)).find(
      (person) => person.role === 'moderator',
    )?.id as string;
    for (const id of [board.anna.join.participantId, moderatorId, other.residentId, 'nobody']) {
      expect(await refusedFor(id)).toEqual(['not-a-resident', 'not-a-resident', 'not-a-resident']);
    }
    expect((await board.serverContents()).cards).toEqual([]);
  });

  it("enters paper votes on the resident's ballot, within the board's budget, and counts them in the progress", async () => {
    const board = await withResident();
    const cards = await addCards(board.anna.control, board.boardId, ['Busz', 'Orvos', 'Bolt']);
    const [bus, doctor] = cards as [string, string];
    await board.mod.ask('board:settings', { boardId: board.boardId, settings: { voteBudget: 2 } });
    await board.phase('vote');
    const paperVote = (cardId: string, delta: 1 | -1 = 1) =>
      board.mod.ask('vote', { boardId: board.boardId, cardId, delta, onBehalfOf: board.residentId });

    const progress = async () =>
      (await board.mod.ask('board:private', { boardId: board.boardId })).facilitation as FacilitationView;
    // Three people may vote: Anna, Béla and the resident.
    expect(await progress()).toMatchObject({ voted: 0, voters: 3 });

    expect(await paperVote(bus)).toEqual({ ok: true, onCard: 1, remaining: 1 });
    expect(await paperVote(doctor)).toEqual({ ok: true, onCard: 1, remaining: 0 });
    expect(await paperVote(bus)).toMatchObject({ ok: false, code: 'vote-budget-exhausted' });
    expect(await progress()).toMatchObject({ voted: 1, voters: 3 });

    // The moderator sees the resident's ballot to enter it, and the resident's only.
    const view = await board.mod.ask('board:private', {
      boardId: board.boardId,
      onBehalfOf: board.residentId,
    });
    expect(view).toEqual({
      ok: true,
      mine: { boardId: board.boardId, drafts: [], ballot: { [bus]: 1, [doctor]: 1 }, ownCards: [] },
    });
    // The board's totals show the paper votes like any others.
    await waitFor(() => board.anna.reader.doc.getMap('tallies').get(doctor) === 1, 'the total on a phone');

    // A vote taken back frees one for another card, as for anyone.
    expect(await paperVote(doctor, -1)).toEqual({ ok: true, onCard: 0, remaining: 1 });
    expect(await paperVote(doctor, -1)).toMatchObject({ ok: false, code: 'no-votes-to-remove' });
    // Anna's budget is hers: the resident's votes took none of it.
    expect(await board.anna.control.ask('vote', { boardId: board.boardId, cardId: bus, delta: 1 })).toEqual({
      ok: true,
      onCard: 1,
      remaining: 1,
    });
  });

  it("follows the resident's rights: no paper vote before the vote, no card during it", async () => {
    const board = await withResident();
    const [card] = (await addCards(board.anna.control, board.boardId, ['Busz'])) as [string];
    expect(
      await board.mod.ask('vote', {
        boardId: board.boardId,
        cardId: card,
        delta: 1,
        onBehalfOf: board.residentId,
      }),
    ).toMatchObject({ ok: false, code: 'not-in-this-phase' });
    await board.phase('vote');
    const ack = await board.forResident([addCardIntent('Késve')]);
    expect(codes(ack.results as IntentResult[])).toEqual(['not-in-this-phase']);
  });
});
