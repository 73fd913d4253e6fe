/**
 * The reveal of a silent collect at workshop size: 500 drafts from 20 phones, 3 of which are
 * offline when the moderator reveals, holding their last 5 drafts unsent. Every draft lands on
 * the board exactly once, as it was drafted (id, author, time), laid out by the server so that no
 * two share a place; the late ones arrive afterwards as ordinary cards. The time of the reveal is
 * printed.
 */
import {
  CANVAS_STYLE,
  type CardKind,
  findTemplate,
  layoutBoard,
  listCards,
  listGroups,
  overlappingPairs,
  readMeta,
} from '@kaptar/board';
import type { FacilitationView, Intent, IntentResult, JoinReply } from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import { useServer } from '../support/harness.js';
import { applyIntents, intent, sendIntents } from '../support/intents.js';
import { createSession, joinSession, waitFor } from '../support/server.js';

const kaptar = useServer();

const PHONES = 20;
const DRAFTS_EACH = 25;
const OFFLINE = 3;
const HELD_BACK = 5;

describe('the reveal of a silent collect', () => {
  it('500 drafts from 20 phones, 3 offline at the reveal: each card on the board exactly once, as drafted; the late ones as normal cards', async () => {
    const session = await createSession(kaptar.server, 'Nagy csendes gyűjtés');
    const boardId = session.boards[0]?.id as string;
    const moderator = await kaptar.control(session.moderatorToken);
    expect(await moderator.ask('board:settings', { boardId, settings: { silentCollect: true } })).toEqual({
      ok: true,
    });
    const joins: JoinReply[] = [];
    for (let p = 0; p < PHONES; p++) {
      joins.push(
        await joinSession(kaptar.server, session.joinCode, `Lakó ${p}`, p % 2 ? 'Alsóváros' : 'Felsőtelep'),
      );
    }
    const phones = await Promise.all(joins.map((join) => kaptar.control(join.participantToken)));
    // One replica watches the reveal live (the test's clients share the server's process: one is
    // enough to time it); a second one syncs afresh afterwards.
    const replicas = [await kaptar.board(boardId, session.viewerToken)];

    // Each phone drafts 25 cards into the board's two areas: it sees only its own drafts. The
    // layout draws them in their areas, in order, with every other card, after the reveal.
    const kinds: CardKind[] = Array.from({ length: DRAFTS_EACH }, (_, n) => (n % 3 ? 'problem' : 'resource'));
    const drafts: Intent[][] = joins.map((_, p) =>
      kinds.map((kind, n) =>
        intent('card:add', {
          cardId: `p${p}-n${n}-${Math.random().toString(36).slice(2, 10)}`,
          kind,
          text: `Lakó ${p} ötlete ${n}`,
          area: kind === 'problem' ? 'problems' : 'resources',
        }),
      ),
    );
    const offline = new Set(Array.from({ length: OFFLINE }, (_, i) => PHONES - 1 - i));
    const held = (p: number) => (offline.has(p) ? HELD_BACK : 0);
    await Promise.all(
      phones.map((phone, p) =>
        applyIntents(phone, boardId, (drafts[p] ?? []).slice(0, DRAFTS_EACH - held(p))),
      ),
    );
    for (const p of offline) phones[p]?.close();

    const drafted = PHONES * DRAFTS_EACH - OFFLINE * HELD_BACK;
    const view = await moderator.ask('board:private', { boardId });
    const facilitation = view.facilitation as FacilitationView;
    expect(facilitation.drafts).toHaveLength(drafted);
    for (const replica of replicas) expect(listCards(replica.doc)).toEqual([]);
    const authorOf = new Map<string, string>();
    for (const [p, list] of drafts.entries()) {
      for (const sent of list)
        authorOf.set(
          (sent as Extract<Intent, { type: 'card:add' }>).cardId,
          joins[p]?.participantId as string,
        );
    }
    const asDrafted = new Map(facilitation.drafts.map((draft) => [draft.id, draft]));
    for (const draft of facilitation.drafts) expect(draft.authorId).toBe(authorOf.get(draft.id));

    // The reveal, timed from the command to the moment a replica holds every card.
    const [first] = replicas;
    if (!first) throw new Error('no replica');
    const cardsRoot = first.doc.getMap('cards');
    const arrived = new Promise<number>((resolve) => {
      const check = () => {
        if (cardsRoot.size < drafted) return;
        first.doc.off('update', check);
        resolve(performance.now());
      };
      first.doc.on('update', check);
    });
    const started = performance.now();
    const ack = await moderator.ask('board:settings', { boardId, settings: { silentCollect: false } });
    const acked = performance.now();
    expect(ack).toEqual({ ok: true });
    const onReplica = await arrived;
    console.info(
      `reveal of ${drafted} drafts from ${PHONES - OFFLINE} + ${OFFLINE} phones: acknowledged after ${(acked - started).toFixed(1)} ms, all on a replica after ${(onReplica - started).toFixed(1)} ms`,
    );
    replicas.push(await kaptar.board(boardId, session.moderatorToken));
    await waitFor(
      () => replicas.every((r) => r.doc.getMap('cards').size === drafted),
      'every card on every replica',
    );

    for (const replica of replicas) {
      const cards = listCards(replica.doc);
      expect(cards).toHaveLength(drafted);
      expect(new Set(cards.map((card) => card.id)).size).toBe(drafted);
      for (const card of cards) {
        const draft = asDrafted.get(card.id);
        expect(draft, card.id).toBeDefined();
        expect([card.authorId, card.createdAt, card.text, card.kind, card.area]).toEqual([
          draft?.authorId,
          draft?.createdAt,
          draft?.text,
          draft?.kind,
          draft?.area,
        ]);
      }
      // Every revealed card has a place of its own on the board's picture.
      const drawn = layoutBoard(
        { template: findTemplate(readMeta(replica.doc).template), cards, groups: listGroups(replica.doc) },
        CANVAS_STYLE,
        { locale: 'hu' },
      );
      expect(drawn.cards).toHaveLength(drafted);
      expect(overlappingPairs(drawn.cards)).toBe(0);
    }
    const none = await moderator.ask('board:private', { boardId });
    expect((none.facilitation as FacilitationView).drafts).toEqual([]);

    // The offline phones come back and send what waited, the same intents with the same ids; an
    // outbox that is not sure of its earlier answers replays those too: answered, not applied again.
    const late: Array<{ p: number; results: IntentResult[] }> = [];
    for (const p of offline) {
      const phone = await kaptar.control(joins[p]?.participantToken as string);
      const replay = await sendIntents(phone, boardId, (drafts[p] ?? []).slice(0, DRAFTS_EACH - HELD_BACK));
      expect(replay.every((result) => result.ok)).toBe(true);
      late.push({
        p,
        results: await sendIntents(phone, boardId, (drafts[p] ?? []).slice(DRAFTS_EACH - HELD_BACK)),
      });
    }
    for (const { results } of late)
      expect(results.map((result) => result.ok)).toEqual(results.map(() => true));
    const total = PHONES * DRAFTS_EACH;
    await waitFor(
      () => replicas.every((r) => r.doc.getMap('cards').size === total),
      'the late cards on every replica',
    );
    await kaptar.server.app.rooms.withRoom(boardId, (room) => room.flush());
    for (const replica of replicas) {
      const cards = listCards(replica.doc);
      expect(cards).toHaveLength(total);
      expect(new Set(cards.map((card) => card.id)).size).toBe(total);
      const byId = new Map(cards.map((card) => [card.id, card]));
      for (const p of offline) {
        for (const sent of (drafts[p] ?? []).slice(DRAFTS_EACH - HELD_BACK)) {
          const add = sent as Extract<Intent, { type: 'card:add' }>;
          const card = byId.get(add.cardId);
          // An ordinary card: in the area its phone put it in, by its author, after the reveal.
          expect(card, add.cardId).toMatchObject({
            authorId: joins[p]?.participantId,
            text: add.text,
            area: add.area,
          });
          expect(card?.createdAt).toBeGreaterThan(Math.max(...facilitation.drafts.map((d) => d.createdAt)));
        }
      }
    }
    const after = await moderator.ask('board:private', { boardId });
    expect((after.facilitation as FacilitationView).drafts).toEqual([]);
  });

  it('a rollback to a moment of the silent collect keeps that moment’s drafts: each is a draft again or a card, once', async () => {
    const session = await createSession(kaptar.server, 'Visszaállítás csendes gyűjtésre');
    const boardId = session.boards[0]?.id as string;
    const moderator = await kaptar.control(session.moderatorToken);
    const anna = await joinSession(kaptar.server, session.joinCode, 'Anna', 'Alsóváros');
    const phone = await kaptar.control(anna.participantToken);
    const reader = await kaptar.board(boardId, session.viewerToken);
    expect(await moderator.ask('board:settings', { boardId, settings: { silentCollect: true } })).toEqual({
      ok: true,
    });
    const drafted = [
      intent('card:add', { cardId: `d1-${Date.now()}`, kind: 'problem', text: 'Nincs orvos', x: 40, y: 40 }),
      intent('card:add', { cardId: `d2-${Date.now()}`, kind: 'resource', text: 'Van iskola', x: 40, y: 40 }),
    ];
    await applyIntents(phone, boardId, drafted);
    const bearer = { authorization: `Bearer ${session.moderatorToken}`, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${kaptar.server.url}${path}`, {
        method: 'POST',
        headers: bearer,
        body: JSON.stringify(body),
      });
      expect(response.status, path).toBeLessThan(300);
      return (await response.json()) as { id: string };
    };
    // A snapshot while the drafts wait, then the reveal, then the rollback to that snapshot.
    const snapshot = await post(`/api/boards/${boardId}/snapshots`, { name: 'Csendes gyűjtés közben' });
    expect(await moderator.ask('board:settings', { boardId, settings: { silentCollect: false } })).toEqual({
      ok: true,
    });
    await waitFor(() => listCards(reader.doc).length === 2, 'the revealed cards');
    await post(`/api/boards/${boardId}/snapshots/${snapshot.id}/restore`, { mode: 'rollback' });
    await kaptar.server.app.rooms.withRoom(boardId, (room) => room.flush());
    await new Promise((resolve) => setTimeout(resolve, 200));

    const view = await moderator.ask('board:private', { boardId });
    const drafts = (view.facilitation as FacilitationView).drafts.map((draft) => draft.id);
    const cards = listCards(reader.doc).map((card) => card.id);
    // Today both are empty: the drafts stay retired and the rollback removes the revealed cards.
    for (const sent of drafted) {
      const id = (sent as Extract<Intent, { type: 'card:add' }>).cardId;
      expect(
        [...drafts, ...cards].filter((x) => x === id),
        id,
      ).toEqual([id]);
    }
  });

  it('a board copied from a snapshot of the silent collect takes no draft: revealed on the copy, they would go public', async () => {
    const session = await createSession(kaptar.server, 'Másolat csendes gyűjtésből');
    const boardId = session.boards[0]?.id as string;
    const moderator = await kaptar.control(session.moderatorToken);
    const anna = await joinSession(kaptar.server, session.joinCode, 'Anna', 'Alsóváros');
    const phone = await kaptar.control(anna.participantToken);
    expect(await moderator.ask('board:settings', { boardId, settings: { silentCollect: true } })).toEqual({
      ok: true,
    });
    await applyIntents(phone, boardId, [
      intent('card:add', {
        cardId: `titok-${Date.now()}`,
        kind: 'problem',
        text: 'Titkos gond',
        x: 40,
        y: 40,
      }),
    ]);
    const headers = { authorization: `Bearer ${session.moderatorToken}`, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown) =>
      (await (
        await fetch(`${kaptar.server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
      ).json()) as { id?: string; boardId?: string };
    const snapshot = await post(`/api/boards/${boardId}/snapshots`, { name: 'Csendben' });
    const copy = await post(`/api/boards/${boardId}/snapshots/${snapshot.id}/restore`, { mode: 'new-board' });
    const copyId = copy.boardId as string;
    expect(
      await moderator.ask('board:settings', { boardId: copyId, settings: { silentCollect: false } }),
    ).toEqual({
      ok: true,
    });
    const reader = await kaptar.board(copyId, session.viewerToken);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(listCards(reader.doc)).toEqual([]);
    // The original still keeps Anna's draft, for its own reveal.
    const view = await moderator.ask('board:private', { boardId });
    expect((view.facilitation as FacilitationView).drafts.map((draft) => draft.text)).toEqual([
      'Titkos gond',
    ]);
  });
});
