import path from 'node:path';
import {
  getCard,
  getGroup,
  listCards,
  listGroups,
  MAX_CARD_TEXT,
  MAX_CARDS_PER_PARTICIPANT,
  MAX_COORDINATE,
  newId,
} from '@kaptar/board';
import { type Intent, type IntentEffect, type IntentResult, MAX_INTENTS_PER_BATCH } from '@kaptar/protocol';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { StorageFailure } from '../../server/src/storage/errors.js';
import type { ControlClient } from '../support/control-client.js';
import { useServer } from '../support/harness.js';
import { addCardIntent, addCardVia, applyIntents, intent, sendIntents } from '../support/intents.js';
import { createSession, joinSession, startServer, type TestServer, waitFor } from '../support/server.js';
import type { BoardClient } from '../support/yjs-client.js';

const kaptar = useServer();
const stopLater: TestServer[] = [];
afterEach(async () => {
  for (const server of stopLater.splice(0)) await server.stop();
});

async function workshop(on: TestServer = kaptar.server) {
  const session = await createSession(on, 'Szándékok');
  const boardId = session.boards[0]?.id as string;
  const anna = await joinSession(on, session.joinCode, 'Anna', 'Alsóváros');
  const bela = await joinSession(on, session.joinCode, 'Béla', 'Felsőtelep');
  return {
    session,
    boardId,
    anna,
    bela,
    annaControl: await kaptar.control(anna.participantToken, on),
    belaControl: await kaptar.control(bela.participantToken, on),
    moderator: await kaptar.control(session.moderatorToken, on),
    reader: await kaptar.board(boardId, session.moderatorToken, on),
  };
}

/** Sends one intent and returns its result. */
async function one(control: ControlClient, boardId: string, sent: Intent): Promise<IntentResult> {
  const [result] = await sendIntents(control, boardId, [sent]);
  if (!result) throw new Error('no result');
  return result;
}

/** Whether the replica holds the change an ack points at (the ack and the update travel apart). */
function holds(client: BoardClient, effect: IntentEffect): boolean {
  return (Y.decodeStateVector(Y.encodeStateVector(client.doc)).get(effect.client) ?? 0) >= effect.clock;
}

function effectOf(result: IntentResult | undefined): IntentEffect {
  if (!result?.ok) throw new Error(`not applied: ${JSON.stringify(result)}`);
  return result.effect;
}

/** What the database file holds right now, read by a connection of its own. */
function onDisk(dataDir: string, boardId: string) {
  const db = new Database(path.join(dataDir, 'kaptar.sqlite'), { readonly: true });
  try {
    const head = db
      .prepare('SELECT data FROM board_heads JOIN state_blobs ON state_blobs.id = blob_id WHERE board_id = ?')
      .get(boardId) as { data: Buffer } | undefined;
    const updates = db
      .prepare('SELECT data FROM board_updates WHERE board_id = ? ORDER BY seq')
      .all(boardId) as Array<{ data: Buffer }>;
    const doc = new Y.Doc();
    if (head) Y.applyUpdate(doc, head.data);
    for (const { data } of updates) Y.applyUpdate(doc, data);
    const intents = db
      .prepare('SELECT intent_id, participant_id FROM board_intents WHERE board_id = ?')
      .all(boardId) as Array<{ intent_id: string; participant_id: string }>;
    return { doc, intents };
  } finally {
    db.close();
  }
}

describe('intents: the write path of a board', () => {
  it('adds, edits, moves, groups and deletes; a second stock reader sees each change', async () => {
    const { boardId, anna, annaControl, reader } = await workshop();
    const [a, b, c] = [newId(), newId(), newId()];
    const added = await applyIntents(annaControl, boardId, [
      intent('card:add', { cardId: a, kind: 'problem', text: '  Nincs busz  ', x: 10, y: 20 }),
      intent('card:add', { cardId: b, kind: 'problem', text: 'Nincs orvos', x: 30, y: 40 }),
      intent('card:add', { cardId: c, kind: 'resource', text: 'Van közösségi ház', x: 50, y: 60 }),
    ]);
    await waitFor(() => added.every((result) => holds(reader, effectOf(result))), 'the three cards');
    expect(getCard(reader.doc, a)).toMatchObject({
      kind: 'problem',
      text: 'Nincs busz',
      authorId: anna.participantId,
      site: 'Alsóváros',
      x: 10,
      y: 20,
      groupId: null,
    });
    expect(listCards(reader.doc)).toHaveLength(3);

    // Each step: sent, acknowledged, then seen by the reader exactly as the rules say.
    const step = async (sent: Intent[], seen: () => boolean, what: string) => {
      const results = await applyIntents(annaControl, boardId, sent);
      await waitFor(() => results.every((result) => holds(reader, effectOf(result))), what);
      expect(seen(), what).toBe(true);
    };
    await step(
      [
        intent('card:edit', { cardId: a, text: 'Nincs esti busz' }),
        intent('card:move', { cardId: a, area: 'resources' }),
      ],
      () =>
        getCard(reader.doc, a)?.text === 'Nincs esti busz' && getCard(reader.doc, a)?.area === 'resources',
      'edit and move',
    );
    const g1 = newId();
    await step(
      [intent('card:group-with', { cardId: a, targetId: b, groupId: g1 })],
      () =>
        getGroup(reader.doc, g1) !== undefined &&
        getCard(reader.doc, a)?.groupId === g1 &&
        getCard(reader.doc, b)?.groupId === g1,
      'a group of two',
    );
    // Dropped on a card that has a group: it joins that group, the new id is not used.
    const unused = newId();
    await step(
      [intent('card:group-with', { cardId: c, targetId: b, groupId: unused })],
      () => getCard(reader.doc, c)?.groupId === g1 && getGroup(reader.doc, unused) === undefined,
      'joining by drop',
    );
    await step(
      // A position from a device of API v3 is taken as the area it falls in (x 900: the resources).
      [intent('card:leave-group', { cardId: c, x: 900, y: 100 })],
      () => getCard(reader.doc, c)?.groupId === null && getCard(reader.doc, c)?.area === 'resources',
      'leaving the group',
    );
    const g2 = newId();
    await step(
      [
        intent('group:create', { groupId: g2, cardIds: [c], title: 'Egészség' }),
        intent('card:join-group', { cardId: a, groupId: g2 }),
        intent('group:rename', { groupId: g1, title: 'Közlekedés' }),
        intent('group:move', { groupId: g2, area: 'problems' }),
      ],
      () =>
        getGroup(reader.doc, g2)?.title === 'Egészség' &&
        getGroup(reader.doc, g2)?.area === 'problems' &&
        getCard(reader.doc, a)?.groupId === g2 &&
        getGroup(reader.doc, g1)?.title === 'Közlekedés',
      'create, join, rename, move',
    );
    await step(
      [intent('group:dissolve', { groupId: g2 })],
      () =>
        getGroup(reader.doc, g2) === undefined &&
        [a, c].every(
          (id) => getCard(reader.doc, id)?.groupId === null && getCard(reader.doc, id)?.area === 'problems',
        ),
      'the dissolved group, its cards where it was',
    );
    await step(
      [intent('card:delete', { cardId: b })],
      () => getCard(reader.doc, b) === undefined && listCards(reader.doc).length === 2,
      'the deleted card',
    );
    expect(listGroups(reader.doc).map((group) => group.id)).toEqual([g1]);
  });

  it('answers each intent in order: refused ones change nothing, a bad batch is refused whole', async () => {
    const { boardId, annaControl, reader } = await workshop();
    const good = addCardIntent('Jó kártya');
    const results = await sendIntents(annaControl, boardId, [
      intent('card:edit', { cardId: 'missing', text: 'x' }),
      good,
      addCardIntent('x'.repeat(MAX_CARD_TEXT + 1)),
      addCardIntent('   '),
      intent('group:rename', { groupId: 'missing', title: 'x' }),
      intent('card:group-with', { cardId: good.cardId, targetId: good.cardId, groupId: newId() }),
    ]);
    expect(results.map((result) => (result.ok ? 'ok' : result.code))).toEqual([
      'card-not-found',
      'ok',
      'text-too-long',
      'text-empty',
      'group-not-found',
      'invalid-setting',
    ]);
    expect(results.filter((result) => !result.ok).every((result) => !result.ok && result.final)).toBe(true);
    await waitFor(() => holds(reader, effectOf(results[1])), 'the good card');

    // Off the board, an unknown field, an unknown type, no id: the batch is refused, nothing applied.
    const valid = addCardIntent('Ez sem kerül fel');
    for (const bad of [
      { ...addCardIntent('messze'), x: MAX_COORDINATE + 1 },
      { ...addCardIntent('extra'), authorId: 'someone-else' },
      { id: newId(), type: 'card:steal', cardId: good.cardId },
      { type: 'card:delete', cardId: good.cardId },
    ]) {
      const ack = await annaControl.ask('intents', { boardId, intents: [valid, bad] });
      expect(ack).toMatchObject({ ok: false, code: 'invalid-payload' });
    }
    expect(await annaControl.ask('intents', { boardId, intents: [] })).toMatchObject({
      code: 'invalid-payload',
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(listCards(reader.doc).map((card) => card.text)).toEqual(['Jó kártya']);
  });

  it('applies batches a phone sends back to back in the order it sent them', async () => {
    const { boardId, annaControl } = await workshop();
    // As the phone's outbox may: each card's move goes right after its add, unanswered yet. The add's
    // author takes longer to work out (its settlement, on a board that may be anonymous) than the move's.
    const acks = [];
    for (let n = 0; n < 10; n++) {
      const card = addCardIntent(`Sorrend ${n}`);
      const move = intent('card:move', { cardId: card.cardId, x: 40 * n, y: 300 });
      acks.push(
        ...(await Promise.all(
          [card, move].map((sent) => annaControl.ask('intents', { boardId, intents: [sent] })),
        )),
      );
    }
    const codes = acks.map((ack) => {
      const result = 'results' in ack ? (ack.results as IntentResult[])[0] : undefined;
      return result?.ok ? 'ok' : (result?.code ?? JSON.stringify(ack));
    });
    expect(codes).toEqual(acks.map(() => 'ok'));
  });

  it("keeps authorship: Béla cannot change Anna's card, but may group it; the moderator may edit it", async () => {
    const { boardId, annaControl, belaControl, moderator, reader } = await workshop();
    const annas = await addCardVia(annaControl, boardId, 'Anna kártyája');
    const belas = await addCardVia(belaControl, boardId, 'Béla kártyája');
    for (const sent of [
      intent('card:edit', { cardId: annas, text: 'Béla írta át' }),
      intent('card:move', { cardId: annas, x: 900, y: 900 }),
      intent('card:delete', { cardId: annas }),
    ]) {
      expect(await one(belaControl, boardId, sent)).toEqual({
        id: sent.id,
        ok: false,
        code: 'not-author',
        error: expect.any(String),
        final: true,
      });
    }
    // Grouping is the room's shared work.
    const group = newId();
    const grouped = await one(
      belaControl,
      boardId,
      intent('card:group-with', { cardId: belas, targetId: annas, groupId: group }),
    );
    const edited = await one(
      moderator,
      boardId,
      intent('card:edit', { cardId: annas, text: 'Moderátor javította' }),
    );
    await waitFor(
      () => holds(reader, effectOf(grouped)) && holds(reader, effectOf(edited)),
      'the allowed changes',
    );
    expect(getCard(reader.doc, annas)).toMatchObject({
      text: 'Moderátor javította',
      area: 'problems',
      groupId: group,
    });
  });

  it('follows the phases and the lock', async () => {
    const { boardId, annaControl, moderator, reader } = await workshop();
    const card = await addCardVia(annaControl, boardId, 'Gyűjtéskor');
    const codes = async (control: ControlClient, sent: Intent[]) =>
      (await sendIntents(control, boardId, sent)).map((result) => (result.ok ? 'ok' : result.code));
    const settings = async (changes: Record<string, unknown>) =>
      expect(await moderator.ask('board:settings', { boardId, settings: changes })).toEqual({ ok: true });

    await settings({ phase: 'vote' });
    expect(
      await codes(annaControl, [
        addCardIntent('Szavazáskor'),
        intent('card:edit', { cardId: card, text: 'x' }),
      ]),
    ).toEqual(['not-in-this-phase', 'not-in-this-phase']);
    await settings({ cardsDuringVote: true });
    expect(await codes(annaControl, [addCardIntent('Szavazáskor, engedéllyel')])).toEqual(['ok']);
    await settings({ phase: 'discuss' });
    expect(await codes(annaControl, [addCardIntent('Megbeszéléskor')])).toEqual(['not-in-this-phase']);
    // The moderator facilitates in every phase.
    expect(await codes(moderator, [intent('card:move', { cardId: card, area: 'resources' })])).toEqual([
      'ok',
    ]);

    await settings({ phase: 'collect', locked: true });
    expect(
      await codes(annaControl, [addCardIntent('Zárva'), intent('card:delete', { cardId: card })]),
    ).toEqual(['board-locked', 'board-locked']);
    expect(await codes(moderator, [addCardIntent('A moderátor zárva is ír')])).toEqual(['ok']);
    await settings({ locked: false });
    expect(await codes(annaControl, [addCardIntent('Feloldva')])).toEqual(['ok']);

    await waitFor(() => listCards(reader.doc).length === 4, 'the cards that were allowed');
    expect(
      listCards(reader.doc)
        .map((c) => c.text)
        .sort(),
    ).toEqual(['A moderátor zárva is ír', 'Feloldva', 'Gyűjtéskor', 'Szavazáskor, engedéllyel']);
    expect(getCard(reader.doc, card)?.area).toBe('resources');
  });

  it('answers a replayed intent id with the stored result and applies it once, even after a phase change', async () => {
    const { boardId, annaControl, moderator, reader } = await workshop();
    const sent = addCardIntent('Egyszer');
    const first = await one(annaControl, boardId, sent);
    expect(first).toEqual({
      id: sent.id,
      ok: true,
      effect: { client: expect.any(Number), clock: expect.any(Number) },
    });
    expect(await one(annaControl, boardId, sent)).toEqual(first);
    // The same id twice in one batch, and under it a different change: the id is what counts.
    const twice = addCardIntent('Kétszer egy kötegben');
    const [a, b, c] = await sendIntents(annaControl, boardId, [
      twice,
      twice,
      { ...addCardIntent('Más tartalom, régi azonosító'), id: sent.id },
    ]);
    expect(b).toEqual(a);
    expect(c).toEqual(first);
    // The phase now refuses new cards; the replay still gets its stored answer, a new intent does not.
    expect(await moderator.ask('board:settings', { boardId, settings: { phase: 'discuss' } })).toEqual({
      ok: true,
    });
    expect(await one(annaControl, boardId, sent)).toEqual(first);
    expect(await one(annaControl, boardId, addCardIntent('Új'))).toMatchObject({
      ok: false,
      code: 'not-in-this-phase',
    });
    await waitFor(() => holds(reader, effectOf(a)), 'the cards');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(
      listCards(reader.doc)
        .map((card) => card.text)
        .sort(),
    ).toEqual(['Egyszer', 'Kétszer egy kötegben']);
  });

  it("refuses an intent id another participant used, and a card id that was ever on the board ('id-taken')", async () => {
    const { boardId, annaControl, belaControl, moderator, reader } = await workshop();
    const annas = addCardIntent('Anna kártyája');
    const applied = await one(annaControl, boardId, annas);
    const stolen = { ...addCardIntent('Béla kártyája'), id: annas.id };
    expect(await one(belaControl, boardId, stolen)).toEqual({
      id: annas.id,
      ok: false,
      code: 'id-taken',
      error: expect.any(String),
      final: true,
    });
    // Even the moderator cannot take over a participant's intent id.
    expect(await one(moderator, boardId, { ...stolen, cardId: newId() })).toMatchObject({ code: 'id-taken' });

    // A deleted card's id stays dead, and an id of a group is no card id.
    await applyIntents(annaControl, boardId, [intent('card:delete', { cardId: annas.cardId })]);
    const readd = { ...addCardIntent('Újra'), cardId: annas.cardId };
    expect(await one(annaControl, boardId, readd)).toMatchObject({
      ok: false,
      code: 'id-taken',
      final: true,
    });
    const card = await addCardVia(annaControl, boardId, 'Csoportban');
    const group = newId();
    await applyIntents(annaControl, boardId, [
      intent('group:create', { groupId: group, cardIds: [card], title: '' }),
    ]);
    expect(
      await one(annaControl, boardId, { ...addCardIntent('Csoport-azonosítóval'), cardId: group }),
    ).toMatchObject({
      code: 'id-taken',
    });
    expect(
      await one(belaControl, boardId, intent('group:create', { groupId: card, cardIds: [card], title: '' })),
    ).toMatchObject({
      code: 'id-taken',
    });
    await waitFor(() => holds(reader, effectOf(applied)), 'the first card');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(listCards(reader.doc).map((c) => c.text)).toEqual(['Csoportban']);
  });

  it('meters intents: a card quota per participant (not the moderator), and a rate that passes', async () => {
    const { boardId, annaControl, belaControl, moderator, reader } = await workshop();
    const batches = (count: number) =>
      Array.from({ length: Math.ceil(count / 50) }, (_, b) =>
        Array.from({ length: Math.min(50, count - b * 50) }, (_, i) => addCardIntent(`Kártya ${b * 50 + i}`)),
      );
    for (const batch of batches(MAX_CARDS_PER_PARTICIPANT)) await applyIntents(annaControl, boardId, batch);
    // Her budget refills at a few intents a second: the next card is checked, and refused for good.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await one(annaControl, boardId, addCardIntent('Egy túl sok'))).toMatchObject({
      ok: false,
      code: 'quota-exceeded',
      final: true,
    });
    for (const batch of batches(MAX_CARDS_PER_PARTICIPANT)) await applyIntents(moderator, boardId, batch);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await one(moderator, boardId, addCardIntent('A moderátornak nincs kvótája'))).toMatchObject({
      ok: true,
    });

    // Béla sends moves faster than his budget: the excess is refused for now (not final) and not applied.
    const card = await addCardVia(belaControl, boardId, 'Béla mozgatja');
    const areaOf = (i: number) => (i % 2 === 0 ? 'problems' : 'resources');
    const moves = Array.from({ length: 150 }, (_, i) =>
      intent('card:move', { cardId: card, area: areaOf(i) }),
    );
    const results: IntentResult[] = [];
    for (let at = 0; at < moves.length; at += 50) {
      results.push(...(await sendIntents(belaControl, boardId, moves.slice(at, at + 50))));
    }
    const refused = results.filter((result) => !result.ok);
    expect(results.filter((result) => result.ok).length).toBeGreaterThanOrEqual(99);
    expect(refused.length).toBeGreaterThan(40);
    for (const result of refused) expect(result).toMatchObject({ code: 'rate-limited', final: false });
    const lastApplied = results.findLastIndex((result) => result.ok);
    await waitFor(() => holds(reader, effectOf(results[lastApplied])), 'the last applied move');
    expect(getCard(reader.doc, card)?.area).toBe(areaOf(lastApplied));
    // Sent again later with the same id, a refused one is applied.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const last = moves[moves.length - 1] as Intent;
    const retried = await one(belaControl, boardId, last);
    expect(retried).toMatchObject({ ok: true });
    await waitFor(() => holds(reader, effectOf(retried)), 'the retried move');
    expect(getCard(reader.doc, card)?.area).toBe(areaOf(149));
    expect(listCards(reader.doc)).toHaveLength(2 * MAX_CARDS_PER_PARTICIPANT + 2);
  });

  it("refuses a viewer's intents and intents for another session's board, as a whole", async () => {
    const { session, boardId, annaControl, reader } = await workshop();
    const other = await createSession(kaptar.server);
    const projector = await kaptar.control(session.viewerToken);
    expect(await projector.ask('intents', { boardId, intents: [addCardIntent('Kivetítő')] })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    for (const elsewhere of [other.boards[0]?.id, 'no-such-board']) {
      expect(
        await annaControl.ask('intents', { boardId: elsewhere, intents: [addCardIntent('Máshová')] }),
      ).toMatchObject({ ok: false, code: 'unknown-board' });
    }
    const otherReader = await kaptar.board(other.boards[0]?.id as string, other.moderatorToken);
    await addCardVia(annaControl, boardId, 'A saját táblámra');
    await waitFor(() => listCards(reader.doc).length === 1, 'the card on her own board');
    expect(listCards(reader.doc).map((card) => card.text)).toEqual(['A saját táblámra']);
    expect(listCards(otherReader.doc)).toEqual([]);
  });

  it('acknowledges only what is on disk, and answers replays after a restart', async () => {
    const first = await startServer();
    stopLater.push(first);
    const { session, boardId, anna, bela, annaControl, belaControl } = await workshop(first);
    const sent = addCardIntent('Lemezen');
    const result = await one(annaControl, boardId, sent);
    expect(result.ok).toBe(true);
    // Read from the file by a connection of its own, the moment the ack is in.
    const disk = onDisk(first.dataDir, boardId);
    expect(listCards(disk.doc).map((card) => card.text)).toEqual(['Lemezen']);
    expect(disk.intents).toEqual([{ intent_id: sent.id, participant_id: anna.participantId }]);
    await applyIntents(annaControl, boardId, [intent('card:delete', { cardId: sent.cardId })]);
    const kept = addCardIntent('Megmarad');
    const keptResult = await one(belaControl, boardId, kept);

    stopLater.splice(0);
    await first.stop();
    const second = await startServer({ dataDir: first.dataDir });
    stopLater.push(second);
    const annaAgain = await kaptar.control(anna.participantToken, second);
    const reader = await kaptar.board(boardId, session.moderatorToken, second);
    expect(listCards(reader.doc).map((card) => card.text)).toEqual(['Megmarad']);
    // The replay gets the stored answer and adds nothing; the dead id stays dead.
    expect(await one(annaAgain, boardId, sent)).toEqual(result);
    // Béla's intent id is not Anna's to replay.
    expect(await one(annaAgain, boardId, kept)).toMatchObject({ code: 'id-taken' });
    expect(await one(annaAgain, boardId, { ...addCardIntent('Újra'), cardId: sent.cardId })).toMatchObject({
      code: 'id-taken',
    });
    const belaAgain = await kaptar.control(bela.participantToken, second);
    expect(await one(belaAgain, boardId, kept)).toEqual(keptResult);
    const fresh = await kaptar.board(boardId, session.moderatorToken, second);
    expect(holds(fresh, effectOf(keptResult))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(listCards(reader.doc).map((card) => card.text)).toEqual(['Megmarad']);
  });

  it('reports a storage failure met while answering intents on /api/health, and recovers by itself', async () => {
    const { boardId, annaControl, reader } = await workshop();
    const store = kaptar.server.app.store;
    const getBoard = store.getBoard.bind(store);
    // The disk fails under a read, as a dying disk does: the store says so in its own terms.
    store.getBoard = () => Promise.reject(new StorageFailure('disk I/O error'));
    try {
      expect(
        await annaControl.ask('intents', { boardId, intents: [addCardIntent('Rossz lemezen')] }),
      ).toMatchObject({ ok: false, code: 'storage-unavailable' });
    } finally {
      store.getBoard = getBoard;
    }
    const health = async () => (await fetch(`${kaptar.server.url}/api/health`)).status;
    expect(await health()).toBe(503);
    // The store is probed every second while failing; it answers again, and so does the board.
    const deadline = Date.now() + 5000;
    while ((await health()) !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await health()).toBe(200);
    await addCardVia(annaControl, boardId, 'Javítás után');
    await waitFor(() => listCards(reader.doc).length === 1, 'the card after recovery');
  });

  it('takes a full batch of the longest cards a phone can write in one control message', async () => {
    const { boardId, annaControl, reader } = await workshop();
    // 280 characters outside the BMP (4 bytes each in UTF-8), at the far corner of the board, with
    // fractional coordinates: the largest card:add an honest outbox sends, a whole batch of them.
    const text = '\u{1F3D8}'.repeat(MAX_CARD_TEXT);
    expect([...text].length).toBe(MAX_CARD_TEXT);
    const corner = -MAX_COORDINATE + 0.123456789012;
    const batch = Array.from({ length: MAX_INTENTS_PER_BATCH }, () =>
      addCardIntent(text, 'resource', { x: corner, y: corner }),
    );
    expect(Buffer.byteLength(JSON.stringify({ boardId, intents: batch }))).toBeGreaterThan(60_000);
    const results = await applyIntents(annaControl, boardId, batch);
    await waitFor(() => results.every((result) => holds(reader, effectOf(result))), 'the long cards');
    expect(listCards(reader.doc).every((card) => card.text === text)).toBe(true);
  });
});
