/**
 * The secret ballot under pressure: 20 participants vote at once at the edge of their budgets
 * while votes are hidden. Every answer is exact, no replica holds a total until the reveal, each
 * voter gets their own ballot back (after a reload, after a restart), and at the reveal the totals
 * on every replica are the ballots added up.
 */
import { voteTotals } from '@kaptar/board';
import type { JoinReply, PrivateView } from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../support/cleanup.js';
import { type ControlClient, connectControl } from '../support/control-client.js';
import { hiddenVote } from '../support/hidden-vote.js';
import { joinSession, startServer, type TestServer, waitFor } from '../support/server.js';
import { type BoardClient, connectSynced } from '../support/yjs-client.js';

const VOTERS = 20;
const BUDGET = 3;
/** Each voter fires this many votes at once: two more than the budget. */
const FIRED = 5;

const { cleanup, track } = cleanupAfterEach();

type Ballot = Record<string, number>;
const sorted = (ballot: Ballot) => Object.entries(ballot).sort(([a], [b]) => a.localeCompare(b));

/** Each replica's totals: the tallies root, read as the board does. */
const totalsOn = (replica: BoardClient) => Object.fromEntries(voteTotals(replica.doc));

/** Waits until every replica holds the moderator's latest timer: everything relayed before it has arrived. */
async function barrier(moderator: ControlClient, boardId: string, replicas: BoardClient[]) {
  const durationMs = 60_000 + Math.floor(Math.random() * 1_000_000);
  expect(await moderator.ask('board:timer', { boardId, durationMs })).toEqual({ ok: true });
  await waitFor(
    () =>
      replicas.every(
        (r) =>
          (r.doc.getMap('meta').get('timer') as { durationMs?: number } | undefined)?.durationMs ===
          durationMs,
      ),
    'the timer on every replica',
  );
}

describe('a secret ballot, 20 voters at the edge of their budgets', () => {
  it('answers every vote exactly, shows no total while hidden, returns each ballot after a reload and a restart, and the revealed totals are the ballots', async () => {
    const first: TestServer = await startServer();
    let server = first;
    cleanup.push(() => server.stop());
    const vote = await hiddenVote(server, 'Titkos szavazás', BUDGET);
    const { session, boardId, cardIds } = vote;
    const moderator = track(vote.moderator);

    const joins: JoinReply[] = [];
    for (let i = 0; i < VOTERS; i++) {
      joins.push(
        await joinSession(server, session.joinCode, `Lakó ${i}`, i % 2 ? 'Alsóváros' : 'Felsőtelep'),
      );
    }
    const voters = await Promise.all(
      joins.map(async (j) => track(await connectControl(server.url, j.participantToken))),
    );
    const replicaTokens = [
      session.moderatorToken,
      session.viewerToken,
      (joins[0] as JoinReply).participantToken,
    ];
    let replicas = await Promise.all(
      replicaTokens.map(async (t) => track(await connectSynced(server.wsUrl, boardId, t))),
    );

    // Everyone fires five votes at the same moment (some twice on one card); the budget is three.
    const aims = voters.map((_, v) =>
      Array.from(
        { length: FIRED },
        (_, k) => cardIds[(v + (k % 3 === 2 ? 0 : k)) % cardIds.length] as string,
      ),
    );
    const acks = await Promise.all(
      voters.map((voter, v) =>
        Promise.all((aims[v] ?? []).map((cardId) => voter.ask('vote', { boardId, cardId, delta: 1 }))),
      ),
    );
    // The ballots, from the acknowledgements alone.
    const ballots: Ballot[] = acks.map((answers, v) => {
      const ballot: Ballot = {};
      answers.forEach((ack, k) => {
        const cardId = aims[v]?.[k] as string;
        if (ack.ok) ballot[cardId] = (ballot[cardId] ?? 0) + 1;
      });
      return ballot;
    });
    for (const [v, answers] of acks.entries()) {
      const accepted = answers.filter((ack) => ack.ok);
      expect(accepted, `voter ${v}`).toHaveLength(BUDGET);
      // One at a time on the server: the three accepted votes left 2, 1 and 0.
      expect(accepted.map((ack) => ack.remaining).sort()).toEqual([0, 1, 2]);
      expect(answers.filter((ack) => !ack.ok).map((ack) => !ack.ok && ack.code)).toEqual(
        Array.from({ length: FIRED - BUDGET }, () => 'vote-budget-exhausted'),
      );
      // Each accepted vote says how many of this voter's votes are on its card: the largest is the count.
      const onCard: Ballot = {};
      answers.forEach((ack, k) => {
        const cardId = aims[v]?.[k] as string;
        if (ack.ok) onCard[cardId] = Math.max(onCard[cardId] ?? 0, ack.onCard as number);
      });
      expect(sorted(onCard)).toEqual(sorted(ballots[v] ?? {}));
    }
    const expected: Ballot = {};
    for (const ballot of ballots)
      for (const [cardId, n] of Object.entries(ballot)) expected[cardId] = (expected[cardId] ?? 0) + n;
    expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBe(VOTERS * BUDGET);

    // While hidden: no replica holds a total, once everything relayed so far has arrived.
    await barrier(moderator, boardId, replicas);
    for (const replica of replicas) {
      expect(totalsOn(replica)).toEqual({});
      expect(replica.doc.getMap('tallies').size).toBe(0);
      expect(replica.doc.share.has('votes')).toBe(false);
    }

    const ownBallot = async (control: ControlClient) => {
      const ack = await control.ask('board:private', { boardId });
      expect(ack.ok).toBe(true);
      return (ack.mine as PrivateView).ballot;
    };
    // Each voter's own ballot, on the same connection and after a reload (a new connection).
    for (const [v, voter] of voters.entries())
      expect(sorted(await ownBallot(voter)), `voter ${v}`).toEqual(sorted(ballots[v] ?? {}));
    for (const [v, join] of joins.entries()) {
      const reloaded = track(await connectControl(server.url, join.participantToken));
      expect(sorted(await ownBallot(reloaded)), `voter ${v} after a reload`).toEqual(
        sorted(ballots[v] ?? {}),
      );
      reloaded.close();
    }
    const progress = await moderator.ask('board:private', { boardId });
    expect(progress.facilitation).toEqual({ boardId, drafts: [], voted: VOTERS, voters: VOTERS });

    // A restart on the same data folder: ballots and the hidden state are kept, budgets still hold.
    for (const step of cleanup.splice(1).reverse()) await step();
    await first.stop();
    server = await startServer({ dataDir: first.dataDir });
    const again = await Promise.all(
      joins.map(async (j) => track(await connectControl(server.url, j.participantToken))),
    );
    replicas = await Promise.all(
      replicaTokens.map(async (t) => track(await connectSynced(server.wsUrl, boardId, t))),
    );
    const moderatorAgain = track(await connectControl(server.url, session.moderatorToken));
    for (const replica of replicas) {
      expect(replica.doc.getMap('meta').get('votesHidden')).toBe(true);
      expect(totalsOn(replica)).toEqual({});
      expect(replica.doc.getMap('tallies').size).toBe(0);
    }
    for (const [v, voter] of again.entries()) {
      expect(sorted(await ownBallot(voter)), `voter ${v} after the restart`).toEqual(
        sorted(ballots[v] ?? {}),
      );
    }
    const over = await Promise.all(
      again.map((voter) => voter.ask('vote', { boardId, cardId: cardIds[0], delta: 1 })),
    );
    expect(over.map((ack) => !ack.ok && ack.code)).toEqual(again.map(() => 'vote-budget-exhausted'));

    // The reveal: every replica's totals are the ballots added up, card by card.
    expect(await moderatorAgain.ask('board:settings', { boardId, settings: { votesHidden: false } })).toEqual(
      { ok: true },
    );
    await waitFor(
      () => replicas.every((r) => JSON.stringify(sorted(totalsOn(r))) === JSON.stringify(sorted(expected))),
      'the revealed totals on every replica',
    );
    for (const replica of replicas) expect(sorted(totalsOn(replica))).toEqual(sorted(expected));
  });
});
