/**
 * A secret ballot survives kill -9: every vote the server acknowledged (each ack is sent once the
 * ballot is fsynced) is in the ballots after a restart, the votes stay hidden, and the totals
 * revealed afterwards are those ballots added up.
 */
import { voteTotals } from '@kaptar/board';
import type { Ack, JoinReply, PrivateView } from '@kaptar/protocol';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type ControlClient, connectControl } from '../support/control-client.js';
import { storageEngines } from '../support/engines.js';
import { hiddenVote } from '../support/hidden-vote.js';
import { type ServerProcess, startServerProcess } from '../support/process-server.js';
import { joinSession, waitFor } from '../support/server.js';
import { type BoardClient, connectSynced } from '../support/yjs-client.js';
import { record } from './figures.js';

const VOTERS = 20;
const BUDGET = 10;
const GAP_MS = 15;

let server: ServerProcess | undefined;
const open: Array<BoardClient | ControlClient> = [];
afterEach(async () => {
  for (const client of open.splice(0)) 'destroy' in client ? client.destroy() : client.close();
  await server?.kill('SIGTERM');
});
function track<T extends BoardClient | ControlClient>(client: T): T {
  open.push(client);
  return client;
}

type Ballot = Record<string, number>;
const key = (voter: number, cardId: string) => `${voter}/${cardId}`;

for (const engine of storageEngines()) {
  describe.skipIf(engine.skip !== null)(`a crash in the middle of a secret ballot (${engine.name})`, () => {
    afterAll(() => engine.done());
    it('kill -9 while 20 participants vote with votes hidden: no acknowledged vote is lost, the votes stay hidden, the revealed totals are the ballots', async () => {
      server = await startServerProcess({ databaseUrl: await engine.database() });
      const running = server;
      const vote = await hiddenVote(running, 'Áramszünet szavazás közben', BUDGET);
      const { session, boardId, cardIds } = vote;
      const _moderator = track(vote.moderator);
      const joins: JoinReply[] = await Promise.all(
        Array.from({ length: VOTERS }, (_, i) =>
          joinSession(running, session.joinCode, `Lakó ${i}`, 'Alsóváros'),
        ),
      );
      const voters = await Promise.all(
        joins.map(async (j) => track(await connectControl(running.url, j.participantToken))),
      );

      // Each voter taps one vote after another (the next once the last is answered); the server dies meanwhile.
      const sent = new Map<string, number>();
      const acked = new Map<string, number>();
      const voting = voters.map(async (voter, v) => {
        for (let n = 0; n < BUDGET && voter.socket.connected; n++) {
          const cardId = cardIds[(v + n * (1 + (v % 3))) % cardIds.length] as string;
          sent.set(key(v, cardId), (sent.get(key(v, cardId)) ?? 0) + 1);
          let ack: Ack;
          try {
            ack = await voter.socket.timeout(2000).emitWithAck('vote', { boardId, cardId, delta: 1 });
          } catch {
            return; // no answer: the server is gone
          }
          if (!ack.ok) throw new Error(`vote refused: ${ack.code}`);
          acked.set(key(v, cardId), (acked.get(key(v, cardId)) ?? 0) + 1);
          await new Promise((resolve) => setTimeout(resolve, GAP_MS));
        }
      });
      await waitFor(
        () => [...acked.values()].reduce((a, b) => a + b, 0) >= 80,
        'some votes acknowledged',
        10_000,
      );
      await running.kill('SIGKILL');
      await Promise.all(voting);
      const ackedCount = [...acked.values()].reduce((a, b) => a + b, 0);
      const sentCount = [...sent.values()].reduce((a, b) => a + b, 0);
      expect(ackedCount).toBeLessThan(VOTERS * BUDGET);
      for (const voter of voters) voter.close();

      await running.restart();
      // The votes are still hidden: a fresh replica holds no total.
      const replica = track(await connectSynced(running.wsUrl, boardId, session.viewerToken));
      expect(replica.doc.getMap('meta').get('votesHidden')).toBe(true);
      expect(replica.doc.getMap('tallies').size).toBe(0);

      // Each voter's stored ballot holds every acknowledged vote, and no vote that was never sent.
      const stored: Ballot[] = [];
      for (const join of joins) {
        const control = track(await connectControl(running.url, join.participantToken));
        const ack = await control.ask('board:private', { boardId });
        expect(ack.ok).toBe(true);
        stored.push((ack.mine as PrivateView).ballot);
        control.close();
      }
      let lost = 0;
      let appliedUnacked = 0;
      for (const [v, ballot] of stored.entries()) {
        for (const cardId of cardIds) {
          const have = ballot[cardId] ?? 0;
          const wanted = acked.get(key(v, cardId)) ?? 0;
          lost += Math.max(0, wanted - have);
          appliedUnacked += Math.max(0, have - wanted);
          expect(have, `voter ${v}, card ${cardId}`).toBeGreaterThanOrEqual(wanted);
          expect(have, `voter ${v}, card ${cardId}`).toBeLessThanOrEqual(sent.get(key(v, cardId)) ?? 0);
        }
      }
      expect(lost).toBe(0);

      // The reveal: the totals are the stored ballots added up.
      const expected: Ballot = {};
      for (const ballot of stored)
        for (const [cardId, n] of Object.entries(ballot)) expected[cardId] = (expected[cardId] ?? 0) + n;
      const again = track(await connectControl(running.url, session.moderatorToken));
      expect(await again.ask('board:settings', { boardId, settings: { votesHidden: false } })).toEqual({
        ok: true,
      });
      const sorted = (totals: Ballot) =>
        JSON.stringify(Object.entries(totals).sort(([a], [b]) => a.localeCompare(b)));
      await waitFor(
        () => sorted(Object.fromEntries(voteTotals(replica.doc))) === sorted(expected),
        'the revealed totals on the replica',
      );
      const revealed = [...voteTotals(replica.doc).values()].reduce((a, b) => a + b, 0);
      expect(revealed).toBeGreaterThanOrEqual(ackedCount);

      record({
        scenario: `kill -9 during a hidden vote (${engine.name})`,
        faults: 1,
        survived: lost === 0,
        cardsLost: 0,
        duplicates: 0,
        note: `${VOTERS} voters, ${sentCount} votes sent, ${ackedCount} acknowledged before the kill, ${lost} of them lost; ${appliedUnacked} applied without an answer; ${revealed} revealed`,
      });
    });
  });
}
