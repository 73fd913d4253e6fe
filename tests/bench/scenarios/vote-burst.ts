/**
 * Voting burst: `people` participants, with the board open and the control plane connected,
 * each cast `votesEach` votes within `windowSeconds`. Every vote must be acknowledged, and the
 * board's tallies must hold every vote.
 */
import { voteTotals } from '@kaptar/board';
import { waitFor } from '../../support/server.js';
import { connectSynced } from '../../support/yjs-client.js';
import { addCards, openControl } from '../lib/control.js';
import { LoadGenerator } from '../lib/load.js';
import { joinWorkshops } from '../lib/people.js';
import type { PlannedVote } from '../lib/protocol.js';
import { check, type ScenarioReport } from '../lib/report.js';
import { distribution, ms, sampleProcesses, usageColumns } from '../lib/stats.js';
import { startKaptar } from '../lib/targets.js';

export interface VoteBurstOptions {
  people: number;
  votesEach: number;
  windowSeconds: number;
  workers: number;
}

const CARDS = 30;

export async function voteBurstScenario(options: VoteBurstOptions): Promise<ScenarioReport> {
  const kaptar = await startKaptar();
  const load = await LoadGenerator.start(options.workers);
  try {
    const serverUrl = kaptar.serverUrl as string;
    const [workshop] = await joinWorkshops(serverUrl, 1, options.people);
    if (!workshop) throw new Error('no workshop');
    const { session, boardId } = workshop;
    // The moderator's replica, to count the votes on the board at the end.
    const board = await connectSynced(kaptar.wsUrl as string, boardId, session.moderatorToken);
    const moderator = await openControl(serverUrl, session.moderatorToken, '127.0.0.1');
    // The moderator writes the cards (intents; a moderator has no card quota).
    const cardIds = await addCards(
      moderator,
      boardId,
      Array.from({ length: CARDS }, (_, i) => ({
        text: `Gond ${i + 1}`,
        kind: 'problem' as const,
        x: 40 + (i % 5) * 224,
        y: 110 + Math.floor(i / 5) * 244,
      })),
    );
    const settings = await moderator
      .timeout(5000)
      .emitWithAck('board:settings', { boardId, settings: { phase: 'vote', voteBudget: options.votesEach } });
    if (!settings.ok) throw new Error(`could not open the vote: ${settings.error}`);
    const failures = await load.connect(
      kaptar,
      workshop.people.map((person) => ({ ...person, control: true })),
    );
    const votes: PlannedVote[] = workshop.people.flatMap((_, person) =>
      Array.from({ length: options.votesEach }, () => ({
        person,
        cardId: cardIds[Math.floor(Math.random() * CARDS)] as string,
        atMs: Math.random() * options.windowSeconds * 1000,
      })),
    );
    const usage = sampleProcesses(kaptar.pids);
    const loadUsage = sampleProcesses(load.pids);
    const { latencies, refused } = await load.vote(votes);
    const used = usage.stop();
    const loadUsed = loadUsage.stop();
    const tallied = () => [...voteTotals(board.doc).values()].reduce((sum, n) => sum + n, 0);
    await waitFor(() => tallied() === votes.length, 'every vote on the board', 10_000).catch(() => {});
    const onBoard = tallied();
    moderator.disconnect();
    board.destroy();
    const acked = distribution(latencies);
    return {
      scenario: `voting burst: ${options.people} participants cast ${options.votesEach} vote(s) each within ${options.windowSeconds} s`,
      table: {
        Kaptár: {
          votes: votes.length,
          acknowledged: acked.count,
          refused: refused.length,
          'on the board': onBoard,
          p50: ms(acked.p50),
          p95: ms(acked.p95),
          p99: ms(acked.p99),
          max: ms(acked.max),
          ...usageColumns(used, loadUsed),
        },
      },
      targets: [
        check(
          'every vote acknowledged and on the board',
          `${votes.length}`,
          `${acked.count} acknowledged, ${onBoard} on the board`,
          acked.count === votes.length && onBoard === votes.length && failures.length === 0,
        ),
        check('p95 acknowledgement', '< 100 ms', ms(acked.p95), acked.p95 < 100),
      ],
      notes: [...new Set(refused)].slice(0, 5).map((reason) => `refused: ${reason}`),
      figures: { options, acked, refused: refused.length, onBoard, server: used, load: loadUsed },
    };
  } finally {
    await load.close();
    await kaptar.stop();
  }
}
