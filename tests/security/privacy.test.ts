/**
 * Private until revealed, proven on the wire. Every device here is hand-made (support/spy.ts): a
 * raw websocket on the board's Yjs room and a raw socket.io connection that keep every byte the
 * server sends, events and answers alike. The assertions read those bytes, never a view.
 *
 * What a hand-made client can still infer, honestly (none of it is the content itself):
 * - Silent collect: nothing. A draft sends no Yjs frame and no control packet to anyone but its
 *   author and the moderator (this suite counts the frames: zero), so other phones cannot even tell
 *   that someone wrote one. Only at the limit: `board-full` counts drafts, so a device adding the
 *   board's 2 001st card learns that 2 000 cards (drafts included) exist. A draft id is taken
 *   (`id-taken`), but ids are random: guessing one is hopeless. The moderator sees every draft
 *   and, on an ordinary board, its author, by design.
 * - Hidden votes: participants and the projector receive nothing at all while others vote (zero
 *   frames). The moderator receives a `facilitation` frame (at most every 250 ms) whenever a ballot
 *   changes: so the moderator learns *that* someone voted at that moment, and `voted` tells when a
 *   person placed a first vote or took back their last. Removing a card while votes are hidden may
 *   lower `voted` (votes on removed cards stop counting): the moderator then learns that someone had
 *   all their votes on that card. Once votes are visible, totals change live, so anyone watching
 *   a person tap sees which total moved: visible votes are not secret.
 * - Anonymous boards: a card appears on every replica right after its author's tap, with the
 *   server's `createdAt`, and the presence list says who is online: someone who watches the room
 *   (or a phone screen) can connect the two, and edits likewise; when one participant alone is
 *   online, every new card is theirs. Revealed drafts keep their `createdAt` too, so whoever noted
 *   when each person was typing can match the times. A shown settlement narrows the author down to
 *   the 3 or more people who named it, and joining is open to anyone with the code: two made-up
 *   participants who name the one-person hamlet Kisfalu make its third "resident", and her next
 *   cards then show Kisfalu (the moderator sees the extra names in the participant list). The text
 *   itself may name its author. The author's own device learns which cards are theirs
 *   (`private.ownCards`), anyone learns that a card is not theirs (`not-author`, also for a draft
 *   whose id they know); the archive lists the session's people (not who wrote what).
 */
import {
  CANVAS_STYLE,
  findTemplate,
  layoutBoard,
  listCards,
  newId,
  overlappingPairs,
  readMeta,
} from '@kaptar/board';
import type {
  CreateSessionReply,
  FacilitationView,
  Intent,
  IntentResult,
  JoinReply,
  PrivateView,
  SessionArchive,
} from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ControlClient } from '../support/control-client.js';
import { useServer } from '../support/harness.js';
import { addCardIntent, applyIntents, intent } from '../support/intents.js';
import { createSession, joinSession, waitFor } from '../support/server.js';
import { holds, openSpy, type Spy, settle } from './support/spy.js';

const kaptar = useServer();

interface People {
  session: CreateSessionReply;
  boardId: string;
  joins: JoinReply[];
}

async function people(title: string, who: Array<[name: string, site: string]>): Promise<People> {
  const session = await createSession(kaptar.server, title);
  const joins: JoinReply[] = [];
  for (const [name, site] of who) joins.push(await joinSession(kaptar.server, session.joinCode, name, site));
  return { session, boardId: session.boards[0]?.id as string, joins };
}

const spies: Spy[] = [];
async function spy(boardId: string, token: string, label: string): Promise<Spy> {
  const opened = await openSpy(kaptar.server, boardId, token, label);
  spies.push(opened);
  return opened;
}

/** Closes every spy of the test (the harness closes its own clients). */
function closeSpies(): void {
  for (const opened of spies.splice(0)) opened.close();
}

/** An intent batch as a hand-made device sends it; the results, or a throw with the batch's refusal. */
async function write(who: Spy, boardId: string, intents: Intent[]): Promise<IntentResult[]> {
  const ack = await who.ask('intents', { boardId, intents });
  if (!ack.ok) throw new Error(`${who.label}: intents refused: ${ack.code}`);
  return ack.results as IntentResult[];
}

/** The settings command as the moderator's device sends it; throws unless accepted. */
async function settings(moderator: Spy, boardId: string, patch: Record<string, unknown>) {
  const ack = await moderator.ask('board:settings', { boardId, settings: patch });
  expect(ack, JSON.stringify(patch)).toEqual({ ok: true });
}

/** Which of the needles a spy's frames hold anywhere (Yjs bytes or control packets), from a mark on. */
function found(
  who: Spy,
  needles: string[],
  from: { packets: number; frames: number } = { packets: 0, frames: 0 },
): string[] {
  const bytes = who.yjsBytes(from.frames);
  const text = who.controlText(from.packets);
  return needles.filter((needle) => holds(bytes, needle) || holds(text, needle));
}

/**
 * Control packets that name a card and a person together: the link that must not exist. The
 * presence list names people (and no card); cards and ballots name no person.
 */
function linking(who: Spy, cardIds: string[], persons: string[], from = 0): string[] {
  return who
    .packets(from)
    .map((packet) => packet.raw)
    .filter((raw) => cardIds.some((id) => raw.includes(id)) && persons.some((p) => raw.includes(p)));
}

/** Live entries of the tallies root, and any value left in its items (deleted ones hold none). */
function talliesIn(doc: Y.Doc): { live: Record<string, unknown>; values: number } {
  const tallies = doc.getMap('tallies');
  let values = 0;
  for (const structs of doc.store.clients.values()) {
    for (const struct of structs) {
      if (
        struct instanceof Y.Item &&
        struct.parent === tallies &&
        !(struct.content instanceof Y.ContentDeleted)
      )
        values++;
    }
  }
  return { live: tallies.toJSON(), values };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function participantIdOf(sessionId: string, token: string): Promise<string> {
  const response = await fetch(`${kaptar.server.url}/api/sessions/${sessionId}`, { headers: bearer(token) });
  return ((await response.json()) as { me: { participantId: string } }).me.participantId;
}

/** Every read a moderator has of a board's outcome: exports, a snapshot and its read, compare, report, archive. */
async function everyRead(server: { url: string }, session: CreateSessionReply, boardId: string) {
  const get = async (path: string) => {
    const response = await fetch(`${server.url}${path}`, { headers: bearer(session.moderatorToken) });
    expect(response.status, path).toBe(200);
    return response.text();
  };
  const snapshot = await fetch(`${server.url}/api/boards/${boardId}/snapshots`, {
    method: 'POST',
    headers: { ...bearer(session.moderatorToken), 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Adatvédelmi pillanatkép' }),
  });
  expect(snapshot.status).toBe(201);
  const { id } = (await snapshot.json()) as { id: string };
  const reads: Record<string, string> = {};
  for (const format of ['json', 'csv', 'md', 'svg']) {
    reads[format] = await get(`/api/boards/${boardId}/export?format=${format}`);
    reads[`snapshot-${format}`] = await get(`/api/boards/${boardId}/export?format=${format}&snapshot=${id}`);
  }
  reads.snapshot = await get(`/api/boards/${boardId}/snapshots/${id}`);
  reads.snapshots = await get(`/api/boards/${boardId}/snapshots`);
  reads.compare = await get(`/api/boards/${boardId}/compare?from=${id}`);
  reads.report = await get(`/api/sessions/${session.sessionId}/report`);
  const archive = JSON.parse(await get(`/api/sessions/${session.sessionId}/archive`)) as SessionArchive;
  // The archive lists the session's people (as the presence list does); the rest is about boards.
  const { participants, ...boards } = archive;
  reads.archive = JSON.stringify(boards);
  // Each board and snapshot as the archive holds it (plain content, format version 2).
  const contents = [...archive.boards, ...archive.snapshots].map((b) => b.content);
  return { reads, contents, participants };
}

describe('silent collect, seen by a hand-made client', () => {
  it('a participant and the projector receive no other draft (no text, no id, no frame at all); after the reveal everyone gets every card as drafted', async () => {
    const { session, boardId, joins } = await people('Csendes gyűjtés', [
      ['Anna', 'Alsóváros'],
      ['Béla', 'Felsőtelep'],
      ['Cili', 'Alsóváros'],
    ]);
    const [anna, bela, cili] = joins as [JoinReply, JoinReply, JoinReply];
    try {
      const moderator = await spy(boardId, session.moderatorToken, 'moderator');
      const hostile = await spy(boardId, anna.participantToken, 'Anna');
      const projector = await spy(boardId, session.viewerToken, 'projector');
      const watchers = [hostile, projector];
      const phones = [
        await kaptar.control(bela.participantToken),
        await kaptar.control(cili.participantToken),
      ];
      await settings(moderator, boardId, { silentCollect: true });
      await settle(spies);
      const start = spies.map((s) => s.mark());

      const marker = newId();
      const drafted = phones.map((_, p) =>
        Array.from({ length: 3 }, (_, n) =>
          addCardIntent(`Titok-${marker}-${p}-${n} falu`, n ? 'problem' : 'resource'),
        ),
      );
      await Promise.all(phones.map((phone, p) => applyIntents(phone, boardId, drafted[p] ?? [])));
      const own = addCardIntent(`Sajat-${marker} ötlet`);
      expect(await write(hostile, boardId, [own])).toMatchObject([{ ok: true }]);
      await settle(spies);

      const theirs = drafted.flat();
      const secrets = [
        ...theirs.map((i) => i.text),
        ...theirs.map((i) => i.cardId),
        ...theirs.map((i) => i.id),
        `Titok-${marker}`,
      ];
      // Positive controls: the channels work, and this search would find the texts if they came.
      const facilitation = moderator.events('facilitation').at(-1) as FacilitationView;
      expect(facilitation.drafts.map((d) => d.id).sort()).toEqual(
        [...theirs.map((i) => i.cardId), own.cardId].sort(),
      );
      expect(
        found(
          moderator,
          theirs.map((i) => i.text),
        ).length,
      ).toBe(theirs.length);
      const annaPrivate = hostile.events('private').at(-1) as PrivateView;
      expect(annaPrivate.drafts.map((d) => [d.id, d.text, d.authorId])).toEqual([
        [own.cardId, own.text, anna.participantId],
      ]);
      const asked = await hostile.ask('board:private', { boardId });
      expect(asked).toMatchObject({
        ok: true,
        mine: { drafts: [{ id: own.cardId }], ballot: {}, ownCards: [] },
      });
      expect(asked).not.toHaveProperty('facilitation');
      expect(await projector.ask('board:private', { boardId })).toMatchObject({
        ok: false,
        code: 'forbidden',
      });

      // Nothing of the others' drafts, anywhere in what Anna or the projector received.
      for (const watcher of watchers) {
        expect(found(watcher, secrets), watcher.label).toEqual([]);
        expect(watcher.events('facilitation'), watcher.label).toEqual([]);
      }
      expect(projector.events('private')).toEqual([]);
      // Not even a frame: no device's room was sent anything while phones drafted (the moderator's neither).
      for (const [i, s] of spies.entries()) expect(s.updatesSince(start[i]?.frames ?? 0), s.label).toBe(0);
      // The moderator's board document holds no draft either: drafts travel on the control plane only.
      expect(theirs.filter((i) => holds(moderator.yjsBytes(), i.text))).toEqual([]);
      // Anna's packets since drafting began (but the presence list): her own acks and views, naming nobody.
      const annaSince = hostile.packets(start[1]?.packets).filter((p) => p.name !== 'presence');
      expect(
        annaSince.filter((p) => p.raw.includes(bela.participantId) || p.raw.includes(cili.participantId)),
      ).toEqual([]);

      // The reveal: every draft onto the board, once, with its id, author, time and text.
      await settings(moderator, boardId, { silentCollect: false });
      const all = [...theirs, own];
      await waitFor(
        () =>
          spies.every((s) => {
            const ids = new Set(listCards(s.replica()).map((card) => card.id));
            return all.every((i) => ids.has(i.cardId));
          }),
        'every draft on every replica',
      );
      const drafts = new Map(facilitation.drafts.map((d) => [d.id, d]));
      for (const s of spies) {
        const cards = listCards(s.replica());
        expect(cards).toHaveLength(all.length);
        for (const card of cards) {
          const draft = drafts.get(card.id);
          expect(draft, s.label).toBeDefined();
          expect({
            text: card.text,
            authorId: card.authorId,
            createdAt: card.createdAt,
            kind: card.kind,
          }).toEqual({
            text: draft?.text,
            authorId: draft?.authorId,
            createdAt: draft?.createdAt,
            kind: draft?.kind,
          });
        }
        // Each drawn in a place of its own.
        const drawn = layoutBoard(
          { template: findTemplate(readMeta(s.replica()).template), cards, groups: [] },
          CANVAS_STYLE,
          { locale: 'hu' },
        );
        expect(overlappingPairs(drawn.cards), s.label).toBe(0);
      }
      // Now the texts are in Anna's bytes: the search above was able to find them.
      expect(
        found(
          hostile,
          theirs.map((i) => i.text),
        ).length,
      ).toBe(theirs.length);
      await settle(spies);
      expect((hostile.events('private').at(-1) as PrivateView).drafts).toEqual([]);
      expect((moderator.events('facilitation').at(-1) as FacilitationView).drafts).toEqual([]);
      // A draft sent after the reveal (a phone that was offline) arrives as a normal card, for everyone.
      const late = addCardIntent(`Kesei-${marker}`);
      await applyIntents(phones[0] as ControlClient, boardId, [late]);
      await waitFor(
        () => spies.every((s) => listCards(s.replica()).some((card) => card.id === late.cardId)),
        'the late card on every replica',
      );
    } finally {
      closeSpies();
    }
  });
});

describe('hidden votes, seen by a hand-made client', () => {
  it('no frame to a participant, the projector or the moderator carries a total or another person’s ballot; after the reveal, totals only', async () => {
    const { session, boardId, joins } = await people('Titkos szavazás', [
      ['Anna', 'Alsóváros'],
      ['Béla', 'Felsőtelep'],
      ['Cili', 'Alsóváros'],
      ['Dóra', 'Felsőtelep'],
    ]);
    try {
      const moderator = await spy(boardId, session.moderatorToken, 'moderator');
      const projector = await spy(boardId, session.viewerToken, 'projector');
      const voters: Spy[] = [];
      for (const join of joins) voters.push(await spy(boardId, join.participantToken, join.participantId));
      const voterIds = joins.map((j) => j.participantId);
      const cards = [
        addCardIntent('Nincs busz'),
        addCardIntent('Nincs orvos'),
        addCardIntent('Van iskola', 'resource'),
        addCardIntent('Bolt'),
      ];
      const cardIds = cards.map((c) => c.cardId);
      expect((await write(moderator, boardId, cards)).every((r) => r.ok)).toBe(true);
      await settings(moderator, boardId, { phase: 'vote', voteBudget: 3, votesHidden: true });
      await settle(spies);
      const start = spies.map((s) => s.mark());

      const [a, b, c, d] = cardIds as [string, string, string, string];
      // Anna 2 + 1, Béla 1 + 1 + 1, Cili all 3 on one card, Dóra none; one vote taken back and given again.
      const ballots: string[][] = [[a, a, b], [a, c, d], [b, b, b], []];
      const acks = await Promise.all(
        ballots.map(async (ballot, v) => {
          const answers = [];
          for (const cardId of ballot)
            answers.push(await voters[v]?.ask('vote', { boardId, cardId, delta: 1 }));
          return answers;
        }),
      );
      expect(acks.flat().every((ack) => ack?.ok)).toBe(true);
      expect(await voters[0]?.ask('vote', { boardId, cardId: b, delta: -1 })).toEqual({
        ok: true,
        onCard: 0,
        remaining: 1,
      });
      expect(await voters[0]?.ask('vote', { boardId, cardId: b, delta: 1 })).toEqual({
        ok: true,
        onCard: 1,
        remaining: 0,
      });
      // Over budget: refused, nothing said about anyone else.
      expect(await voters[0]?.ask('vote', { boardId, cardId: c, delta: 1 })).toMatchObject({
        ok: false,
        code: 'vote-budget-exhausted',
      });
      await settle(spies);

      const ballotOf = (v: number) => {
        const mine: Record<string, number> = {};
        for (const cardId of ballots[v] ?? []) mine[cardId] = (mine[cardId] ?? 0) + 1;
        return mine;
      };
      const totals: Record<string, number> = {};
      for (const ballot of ballots) for (const cardId of ballot) totals[cardId] = (totals[cardId] ?? 0) + 1;

      const checkHidden = () => {
        for (const [i, s] of spies.entries()) {
          // Not one Yjs frame went out while people voted, to anyone.
          expect(s.updatesSince(start[i]?.frames ?? 0), s.label).toBe(0);
          const replica = s.replica();
          expect(talliesIn(replica), s.label).toEqual({ live: {}, values: 0 });
          expect(replica.share.has('votes'), s.label).toBe(false);
          // The board document never names a voter.
          expect(
            voterIds.filter((id) => holds(s.yjsBytes(), id)),
            s.label,
          ).toEqual([]);
          // No control packet names a card and a person together.
          expect(linking(s, cardIds, voterIds), s.label).toEqual([]);
        }
        // The projector and the moderator were sent no card id at all while the votes were hidden.
        for (const s of [projector, moderator]) {
          const from = start[spies.indexOf(s)]?.packets ?? 0;
          expect(
            cardIds.filter((id) => holds(s.controlText(from), id)),
            s.label,
          ).toEqual([]);
        }
        for (const [v, voter] of voters.entries()) {
          expect(voter.events('facilitation'), voter.label).toEqual([]);
          // Each private frame is this voter's own ballot as it stood: never more, never a total.
          const mine = ballotOf(v);
          for (const view of voter.events('private') as PrivateView[]) {
            for (const [cardId, votes] of Object.entries(view.ballot))
              expect(votes).toBeLessThanOrEqual(mine[cardId] ?? 0);
          }
          // Votes acknowledged, own ones only: onCard never counts anyone else's.
          for (const packet of voter.packets()) {
            if (packet.type !== 'ack') continue;
            const data = packet.data as { onCard?: number };
            if (data.onCard !== undefined) expect(data.onCard).toBeLessThanOrEqual(3);
          }
        }
        for (const view of moderator.events('facilitation') as FacilitationView[]) {
          expect(Object.keys(view).sort()).toEqual(['boardId', 'drafts', 'voted', 'voters']);
          expect(view.drafts).toEqual([]);
        }
        expect(projector.events('private')).toEqual([]);
        expect(projector.events('facilitation')).toEqual([]);
      };
      checkHidden();
      // The searches can find what they look for: the presence list names every voter, and each
      // voter's own private frame carries their ballot.
      expect(found(moderator, voterIds)).toEqual(voterIds);
      for (const [v, voter] of voters.entries()) {
        if (ballots[v]?.length)
          expect((voter.events('private').at(-1) as PrivateView).ballot).toEqual(ballotOf(v));
      }
      // The moderator's progress: 3 of 4 have voted, and nothing else.
      expect(moderator.events('facilitation').at(-1)).toEqual({ boardId, drafts: [], voted: 3, voters: 4 });
      for (const [v, voter] of voters.entries()) {
        const asked = await voter.ask('board:private', { boardId });
        expect(asked, voter.label).toEqual({
          ok: true,
          mine: { boardId, drafts: [], ballot: ballotOf(v), ownCards: [] },
        });
      }
      // The moderator's own view asks for the same: no ballot of theirs, progress only.
      expect(await moderator.ask('board:private', { boardId })).toEqual({
        ok: true,
        mine: { boardId, drafts: [], ballot: {}, ownCards: [] },
        facilitation: { boardId, drafts: [], voted: 3, voters: 4 },
      });
      // While hidden, the reads of the board (exports, report, archive) carry no total either.
      const hiddenReads = await everyRead(kaptar.server, session, boardId);
      const exported = JSON.parse(hiddenReads.reads.json as string) as { cards: Array<{ votes: number }> };
      expect(exported.cards.map((card) => card.votes)).toEqual([0, 0, 0, 0]);
      expect(JSON.parse(hiddenReads.reads.report as string).boards[0].topProblems).toEqual([]);
      for (const [what, text] of Object.entries(hiddenReads.reads)) {
        expect(
          voterIds.filter((id) => text.includes(id)),
          what,
        ).toEqual([]);
      }
      for (const content of hiddenReads.contents) {
        expect(content.cards.map((card) => card.votes)).toEqual(content.cards.map(() => 0));
      }
      checkHidden();

      // The reveal: totals appear on every replica, equal to the ballots; still no ballot anywhere.
      const reveal = spies.map((s) => s.mark());
      await settings(moderator, boardId, { votesHidden: false });
      await waitFor(
        () =>
          spies.every(
            (s) =>
              JSON.stringify(sorted(s.replica().getMap('tallies').toJSON())) ===
              JSON.stringify(sorted(totals)),
          ),
        'the totals on every replica',
      );
      await settle(spies);
      for (const [i, s] of spies.entries()) {
        expect(linking(s, cardIds, voterIds), s.label).toEqual([]);
        expect(
          voterIds.filter((id) => holds(s.yjsBytes(), id)),
          s.label,
        ).toEqual([]);
        // The reveal was one update with the totals, nothing per person.
        expect(s.updatesSince(reveal[i]?.frames ?? 0), s.label).toBe(1);
      }
      for (const [v, voter] of voters.entries()) {
        for (const view of voter.events('private') as PrivateView[]) {
          for (const [cardId, votes] of Object.entries(view.ballot))
            expect(votes).toBeLessThanOrEqual(ballotOf(v)[cardId] ?? 0);
        }
      }
      const shown = await everyRead(kaptar.server, session, boardId);
      for (const [what, text] of Object.entries(shown.reads)) {
        expect(
          voterIds.filter((id) => text.includes(id)),
          what,
        ).toEqual([]);
      }
      const votesByCard = Object.fromEntries(
        (JSON.parse(shown.reads.json as string) as { cards: Array<{ id: string; votes: number }> }).cards
          .filter((card) => card.votes > 0)
          .map((card) => [card.id, card.votes]),
      );
      expect(sorted(votesByCard)).toEqual(sorted(totals));
      // The archive carries the totals, and no ballot (its text holds no voter, checked above).
      const [archived] = shown.contents;
      expect(
        sorted(
          Object.fromEntries(
            archived?.cards.filter((card) => card.votes > 0).map((c) => [c.id, c.votes]) ?? [],
          ),
        ),
      ).toEqual(sorted(totals));

      // Hidden again: the totals are withdrawn; a device syncing afresh gets none, not even in deleted items.
      await settings(moderator, boardId, { votesHidden: true });
      const fresh = await spy(boardId, session.viewerToken, 'fresh projector');
      expect(talliesIn(fresh.replica())).toEqual({ live: {}, values: 0 });
    } finally {
      closeSpies();
    }
  });

  it('a copy of the board made from a snapshot of the hidden vote shows no total while the original hides them', async () => {
    const { session, boardId, joins } = await people('Titkos szavazás másolata', [
      ['Anna', 'Alsóváros'],
      ['Béla', 'Felsőtelep'],
    ]);
    try {
      const moderator = await spy(boardId, session.moderatorToken, 'moderator');
      const cards = [addCardIntent('Nincs busz'), addCardIntent('Nincs orvos')];
      expect((await write(moderator, boardId, cards)).every((r) => r.ok)).toBe(true);
      await settings(moderator, boardId, { phase: 'vote', votesHidden: true });
      const [a, b] = cards.map((card) => card.cardId) as [string, string];
      for (const [join, cardId] of [
        [joins[0], a],
        [joins[0], a],
        [joins[1], b],
      ] as const) {
        const voter = await kaptar.control(join?.participantToken as string);
        expect(await voter.ask('vote', { boardId, cardId, delta: 1 })).toMatchObject({ ok: true });
      }
      // The moderator copies the board from a snapshot of this moment and reveals the copy.
      const post = async (path: string, body: unknown) => {
        const response = await fetch(`${kaptar.server.url}${path}`, {
          method: 'POST',
          headers: { ...bearer(session.moderatorToken), 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return (await response.json()) as { id?: string; boardId?: string };
      };
      const snapshot = await post(`/api/boards/${boardId}/snapshots`, { name: 'Szavazás közben' });
      const copy = await post(`/api/boards/${boardId}/snapshots/${snapshot.id}/restore`, {
        mode: 'new-board',
      });
      const copyId = copy.boardId as string;
      await moderator.ask('board:settings', { boardId: copyId, settings: { votesHidden: false } });
      const onCopy = await spy(copyId, session.moderatorToken, 'moderator on the copy');
      const original = await spy(boardId, session.moderatorToken, 'moderator on the original');
      expect(original.replica().getMap('meta').get('votesHidden')).toBe(true);
      // While the original board hides its votes, no total of them reaches the moderator: not
      // through a copy either (today the copy shows {a: 2, b: 1}: the hidden totals).
      expect(talliesIn(onCopy.replica()).live).toEqual({});
    } finally {
      closeSpies();
    }
  });
});

function sorted(record: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(record).sort(([x], [y]) => x.localeCompare(y));
}

describe('an anonymous board, seen by a hand-made client', () => {
  it('no frame to anyone, and no export, report or archive, ties a card to its author’s id or name; a settlement named by fewer than 3 is left off', async () => {
    const { session, boardId, joins } = await people('Névtelen tábla', [
      ['Anna Rejtő', 'Kisfalu'],
      ['Béla Bújó', 'Felsőtelep'],
      ['Cili Csendes', 'Felsőtelep'],
      ['Dóra Diszkrét', 'Felsőtelep'],
      ['Emil Elrejtett', 'Hegyhát'],
      ['Feri Fedett', 'Hegyhát'],
    ]);
    const [anna] = joins as [JoinReply];
    const ids = joins.map((j) => j.participantId);
    const names = [
      'Anna Rejtő',
      'Béla Bújó',
      'Cili Csendes',
      'Dóra Diszkrét',
      'Emil Elrejtett',
      'Feri Fedett',
    ];
    try {
      const moderator = await spy(boardId, session.moderatorToken, 'moderator');
      // The projector is one of the spies: every check below runs on it too.
      await spy(boardId, session.viewerToken, 'projector');
      const phones: Spy[] = [];
      for (const join of joins) phones.push(await spy(boardId, join.participantToken, join.participantId));
      const [annaPhone, belaPhone, ciliPhone, , emilPhone] = phones as [Spy, Spy, Spy, Spy, Spy];
      const moderatorId = await participantIdOf(session.sessionId, session.moderatorToken);
      await settings(moderator, boardId, { anonymous: true });

      const add = async (who: Spy, text: string) => {
        const card = addCardIntent(text);
        expect(await write(who, boardId, [card]), text).toMatchObject([{ ok: true }]);
        return card.cardId;
      };
      const annaCards = [await add(annaPhone, 'Nincs orvos Kisfaluban'), await add(annaPhone, 'Nincs járda')];
      const belaCard = await add(belaPhone, 'Van közösségi ház');
      const emilCard = await add(emilPhone, 'Nincs busz a hegyre');
      const moderatorCard = await add(moderator, 'A moderátor kártyája');
      // Anonymous or not is chosen while the board is empty only.
      expect(
        await moderator.ask('board:settings', { boardId, settings: { anonymous: false } }),
      ).toMatchObject({
        ok: false,
        code: 'invalid-setting',
      });

      // Silent collect on an anonymous board: the moderator sees drafts, not their authors.
      await settings(moderator, boardId, { silentCollect: true });
      const annaDraft = await add(annaPhone, 'Titkos ötletem');
      const ciliDraft = await add(ciliPhone, 'Cili titka');
      await settle(spies);
      const facilitation = moderator.events('facilitation').at(-1) as FacilitationView;
      expect(facilitation.drafts.map((d) => [d.id, d.authorId]).sort()).toEqual(
        [
          [annaDraft, ''],
          [ciliDraft, ''],
        ].sort(),
      );
      await settings(moderator, boardId, { silentCollect: false });

      // The author still edits (and alone deletes) their own cards; nobody else can, and the moderator cannot single them out.
      const [annaFirst] = annaCards as [string];
      expect(
        await write(annaPhone, boardId, [intent('card:edit', { cardId: annaFirst, text: 'Nincs orvos' })]),
      ).toMatchObject([{ ok: true }]);
      expect(
        await write(belaPhone, boardId, [
          intent('card:edit', { cardId: annaFirst, text: 'Átírva' }),
          intent('card:delete', { cardId: annaFirst }),
        ]),
      ).toMatchObject([
        { ok: false, code: 'not-author' },
        { ok: false, code: 'not-author' },
      ]);
      expect(
        await moderator.ask('board:undo-participant', { boardId, participantId: anna.participantId }),
      ).toMatchObject({ ok: false, code: 'forbidden' });

      const cardIds = [...annaCards, belaCard, emilCard, moderatorCard, annaDraft, ciliDraft];
      await waitFor(
        () => spies.every((s) => listCards(s.replica()).length === cardIds.length),
        'every card on every replica',
      );
      await settle(spies);
      // The moderator is a person too (and wrote a card): on the wire, their id goes with no card either.
      const persons = [...ids, ...names];
      const onTheWire = [...persons, moderatorId];
      for (const s of spies) {
        const cards = listCards(s.replica());
        expect(
          cards.map((card) => card.authorId),
          s.label,
        ).toEqual(cards.map(() => ''));
        // The board document carries no person at all: no id, no name.
        expect(
          onTheWire.filter((p) => holds(s.yjsBytes(), p)),
          s.label,
        ).toEqual([]);
        // No control packet to anyone names a card together with a person.
        // (A phone's own views name its own person: what they tell a device about itself is no leak.)
        const others = onTheWire.filter((p) => p !== s.label && p !== names[ids.indexOf(s.label)]);
        expect(linking(s, cardIds, others), s.label).toEqual([]);
        // The settlement: Felsőtelep (named by 3) is shown; Kisfalu (1) and Hegyhát (2) are not.
        const site = new Map(cards.map((card) => [card.id, card.site]));
        expect(
          [...annaCards, belaCard, emilCard, annaDraft, ciliDraft].map((id) => site.get(id)),
          s.label,
        ).toEqual(['', '', 'Felsőtelep', '', '', 'Felsőtelep']);
      }
      // The presence list names people (so the searches above can find them), and no card.
      expect(found(moderator, names)).toEqual(names);
      for (const s of spies) {
        for (const list of s.events('presence')) {
          expect(
            cardIds.filter((id) => JSON.stringify(list).includes(id)),
            s.label,
          ).toEqual([]);
        }
      }
      // Anna's own device learns her cards, and only hers; nobody else is told whose a card is.
      const annaView = annaPhone.events('private').at(-1) as PrivateView;
      expect([...annaView.ownCards].sort()).toEqual([...annaCards, annaDraft].sort());
      expect(await annaPhone.ask('board:private', { boardId })).toMatchObject({
        ok: true,
        mine: { ownCards: expect.arrayContaining([...annaCards, annaDraft]) },
      });
      for (const s of spies.filter((s) => s !== annaPhone)) {
        const told = (s.events('private') as PrivateView[]).flatMap((view) => view.ownCards);
        expect(
          told.filter((id) => annaCards.includes(id) || id === annaDraft),
          s.label,
        ).toEqual([]);
      }
      expect((ciliPhone.events('private').at(-1) as PrivateView).ownCards).toEqual([ciliDraft]);

      // Exports, snapshot reads, compare, the report and the archive: no author, by id or by name.
      const { reads, contents, participants } = await everyRead(kaptar.server, session, boardId);
      for (const [what, text] of Object.entries(reads)) {
        expect(
          persons.filter((p) => text.includes(p)),
          what,
        ).toEqual([]);
      }
      const exported = JSON.parse(reads.json as string) as { cards: Array<{ author: string }> };
      expect(exported.cards.map((card) => card.author)).toEqual(exported.cards.map(() => ''));
      // Not even as the moderator's name, in the session's language (Hungarian) or English.
      expect(reads.csv).not.toMatch(/Moder[aá]tor/);
      for (const content of contents) {
        expect(content.cards.filter((card) => card.authorId !== '')).toEqual([]);
      }
      expect(participants).toHaveLength(joins.length + 2);
    } finally {
      closeSpies();
    }
  });
});
