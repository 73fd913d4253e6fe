/**
 * A large board: `cards` cards and `votes` votes, built through the real paths (participants
 * add the cards as intents and vote, both over socket.io). Then: how long a snapshot takes
 * to save (HTTP, moderator), and how long the board takes to open cold after a server restart
 * (a client's connect to synced: token check, loading from SQLite, sync).
 */
import fs from 'node:fs';
import path from 'node:path';
import { type CardKind, MAX_CARDS_PER_PARTICIPANT, voteTotals } from '@kaptar/board';
import { loadBoardDoc } from '@kaptar/server/rooms/board-log';
import { openStore } from '@kaptar/server/storage';
import * as Y from 'yjs';
import { startServerProcess } from '../../support/process-server.js';
import { postJson, waitFor } from '../../support/server.js';
import { connectSynced } from '../../support/yjs-client.js';
import { addressOf } from '../lib/addresses.js';
import { addCards, type ControlSocket, castVote, openControl } from '../lib/control.js';
import { joinWorkshops } from '../lib/people.js';
import { check, type ScenarioReport } from '../lib/report.js';
import { distribution, ms } from '../lib/stats.js';

export interface LargeBoardOptions {
  cards: number;
  votes: number;
  /** Snapshots saved and cold loads measured. */
  repeats: number;
}

/** Votes one participant may cast: the highest budget a moderator can set. */
const VOTES_EACH = 50;
/** Cards per row of the board, so that they lie side by side as on a real one. */
const CARDS_PER_ROW = 40;
/** A person taps at most this often; faster would meet the control plane's rate limit. */
const VOTE_PAUSE_MS = 100;

/** The c-th card: a third of them resources, in rows. */
function cardAt(c: number): { text: string; kind: CardKind; x: number; y: number } {
  return {
    text: `Kártya ${c + 1}`,
    kind: c % 3 === 0 ? 'resource' : 'problem',
    x: 40 + (c % CARDS_PER_ROW) * 224,
    y: 110 + Math.floor(c / CARDS_PER_ROW) * 244,
  };
}

export async function largeBoardScenario(options: LargeBoardOptions): Promise<ScenarioReport> {
  const server = await startServerProcess();
  try {
    const voters = Math.ceil(options.votes / VOTES_EACH);
    const [workshop] = await joinWorkshops(server.url, 1, voters);
    if (!workshop) throw new Error('no workshop');
    const { session, boardId } = workshop;
    const moderatorClient = await connectSynced(server.wsUrl, boardId, session.moderatorToken);
    // The voters write the cards first, each its share in intents: the intent rate (a burst of
    // 100, then 4 a second per person) would keep one moderator at 2 000 cards for minutes.
    const share = Math.ceil(options.cards / voters);
    if (share > MAX_CARDS_PER_PARTICIPANT) throw new Error(`${share} cards each is over the quota`);
    const sockets: ControlSocket[] = await Promise.all(
      workshop.people.map((person, p) => openControl(server.url, person.token as string, addressOf(p))),
    );
    const shares = await Promise.all(
      sockets.map((socket, p) => {
        const first = p * share;
        const count = Math.max(0, Math.min(share, options.cards - first));
        return addCards(
          socket,
          boardId,
          Array.from({ length: count }, (_, i) => cardAt(first + i)),
        );
      }),
    );
    const cardIds = shares.flat();
    const moderator = await openControl(server.url, session.moderatorToken, '127.0.0.1');
    await moderator
      .timeout(5000)
      .emitWithAck('board:settings', { boardId, settings: { phase: 'vote', voteBudget: VOTES_EACH } });

    const votingStarted = performance.now();
    const refused: string[] = [];
    await Promise.all(
      sockets.map(async (socket, p) => {
        const mine = Math.min(VOTES_EACH, options.votes - p * VOTES_EACH);
        for (let v = 0; v < mine; v++) {
          const cardId = cardIds[(p * 7 + v * 13) % cardIds.length] as string;
          const ack = await castVote(socket, { boardId, cardId, delta: 1 });
          if (!ack.ok) refused.push(ack.code);
          await new Promise((resolve) => setTimeout(resolve, VOTE_PAUSE_MS));
        }
        socket.disconnect();
      }),
    );
    const votingSeconds = (performance.now() - votingStarted) / 1000;
    const tallied = () => [...voteTotals(moderatorClient.doc).values()].reduce((sum, n) => sum + n, 0);
    const accepted = options.votes - refused.length;
    await waitFor(() => tallied() === accepted, 'every accepted vote on the board', 30_000);
    const stateBytes = Y.encodeStateAsUpdate(moderatorClient.doc).length;

    const snapshotTimes: number[] = [];
    for (let i = 0; i < options.repeats; i++) {
      const startedAt = performance.now();
      const { status } = await postJson(
        `${server.url}/api/boards/${boardId}/snapshots`,
        { name: `Mérés ${i + 1}` },
        { authorization: `Bearer ${session.moderatorToken}` },
      );
      if (status !== 201) throw new Error(`snapshot answered ${status}`);
      snapshotTimes.push(performance.now() - startedAt);
    }
    moderator.disconnect();
    moderatorClient.destroy();

    const loadTimes: number[] = [];
    const coldTimes: number[] = [];
    let coldCards = 0;
    for (let i = 0; i < options.repeats; i++) {
      await server.kill('SIGTERM');
      // The server's own loading code on the file it left, timed alone.
      const store = await openStore({ dataDir: server.dataDir, databaseUrl: null });
      const loadStarted = performance.now();
      await loadBoardDoc(store, boardId);
      loadTimes.push(performance.now() - loadStarted);
      await store.close();
      await server.restart();
      const startedAt = performance.now();
      const client = await connectSynced(server.wsUrl, boardId, session.moderatorToken);
      coldTimes.push(performance.now() - startedAt);
      coldCards = client.doc.getMap('cards').size;
      client.destroy();
    }
    const dbBytes = fs.statSync(path.join(server.dataDir, 'kaptar.sqlite')).size;
    const snapshot = distribution(snapshotTimes);
    const cold = distribution(coldTimes);
    const load = distribution(loadTimes);
    return {
      scenario: `a board of ${options.cards} cards and ${options.votes} votes`,
      table: {
        'snapshot save (POST, moderator)': {
          p50: ms(snapshot.p50),
          max: ms(snapshot.max),
          runs: snapshot.count,
        },
        'load from SQLite (state + log into a Y.Doc)': {
          p50: ms(load.p50),
          max: ms(load.max),
          runs: load.count,
        },
        'cold open after restart (connect to synced)': {
          p50: ms(cold.p50),
          max: ms(cold.max),
          runs: cold.count,
        },
      },
      targets: [
        check(
          'every card and vote stored',
          `${options.cards} cards, ${options.votes} votes`,
          `${coldCards} cards, ${options.votes - refused.length} votes`,
          coldCards === options.cards && refused.length === 0,
        ),
        check('cold load from SQLite (median)', '< 200 ms', ms(load.p50), load.p50 < 200),
        check('snapshot save (median)', '< 20 ms', ms(snapshot.p50), snapshot.p50 < 20),
      ],
      notes: [
        ...[...new Set(refused)].map((code) => `votes refused: ${code}`),
        `${options.cards} cards as intents and ${options.votes} votes by ${voters} participants over socket.io; the votes in ${votingSeconds.toFixed(1)} s (${Math.round(options.votes / votingSeconds)} votes/s); board state ${(stateBytes / 1024).toFixed(0)} KiB, SQLite file ${(dbBytes / 2 ** 20).toFixed(1)} MiB.`,
      ],
      figures: { options, snapshot, load, cold, votingSeconds, stateBytes, dbBytes, refused: refused.length },
    };
  } finally {
    await server.kill('SIGTERM');
  }
}
