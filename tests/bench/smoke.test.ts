/**
 * The benchmark harness at toy size, in every test run, so that it cannot rot: each scenario
 * runs end to end against real server processes, and its correctness checks must hold (every
 * edit delivered, boards converged, everyone joined, every vote acknowledged and stored).
 * Speed targets are not asserted here: `pnpm bench` measures them at full size.
 */
import { describe, expect, it } from 'vitest';
import { postgresAvailable } from '../support/postgres.js';
import type { ScenarioReport } from './lib/report.js';
import { clientScenario } from './scenarios/client.js';
import { clusterEditsScenario } from './scenarios/cluster-edits.js';
import { editsScenario } from './scenarios/edits.js';
import { joinStormScenario } from './scenarios/join-storm.js';
import { largeBoardScenario } from './scenarios/large-board.js';
import { voteBurstScenario } from './scenarios/vote-burst.js';

/**
 * The targets of a report that are about what arrived, not how fast: each must be there and met
 * (a target checked once per storage engine, every time).
 */
function correctness(report: ScenarioReport, ...whats: string[]) {
  return whats.map((what) => {
    const targets = report.targets.filter((t) => t.what.startsWith(what));
    return {
      what,
      met: targets.length > 0 && targets.every((t) => t.met),
      measured: targets.map((t) => t.measured).join('; '),
    };
  });
}

const allMet = (whats: string[]) => whats.map((what) => expect.objectContaining({ what, met: true }));

describe('pnpm bench, toy size', () => {
  it('live editing: every edit reaches every other participant, on Kaptár (both engines), the reference relay and Hocuspocus alike', async () => {
    const report = await editsScenario({ boards: 2, perBoard: 6, seconds: 2, workers: 2 });
    const whats = [
      'every edit reached',
      'boards converged',
      'the relays it is compared with delivered every edit',
    ];
    expect(correctness(report, ...whats)).toEqual(allMet(whats));
    type Run = { count: number; p95: number; refused: string[]; loop: { busy: number } };
    const figures = report.figures as Record<'reference' | 'hocuspocus' | 'kaptar', Run> & {
      kaptarPostgres?: Run;
    };
    const kaptars = [figures.kaptar, ...(postgresAvailable() === null ? [figures.kaptarPostgres] : [])];
    // Kaptár's edits are intents: none refused, and their arrivals found through the acks' effects.
    for (const kaptar of kaptars) expect(kaptar?.refused).toEqual([]);
    for (const server of [figures.reference, figures.hocuspocus, ...kaptars]) {
      expect(server?.count).toBeGreaterThan(0);
      expect(Number.isFinite(server?.p95)).toBe(true);
      // Every server's event loop was probed while it was measured.
      expect(server?.loop.busy).toBeGreaterThan(0);
    }
  });

  it('live editing on a cluster of three processes behind HAProxy: every edit reaches every other participant', async () => {
    const report = await clusterEditsScenario({ boards: 2, perBoard: 6, seconds: 2, workers: 2 });
    const whats = ['every edit reached every other participant on its board, boards converged (3 processes)'];
    expect(correctness(report, ...whats)).toEqual(allMet(whats));
    const { cluster } = report.figures as { cluster: { refused: string[]; loop: { busy: number } } };
    expect(cluster.refused).toEqual([]);
    // The three processes' event loops were probed while they were measured.
    expect(cluster.loop.busy).toBeGreaterThan(0);
  });

  it('join storm: everyone joins and the moderator sees them online', async () => {
    const report = await joinStormScenario({ people: 12, windowSeconds: 1, workers: 2 });
    const whats = ['all in', 'the moderator sees everyone online'];
    expect(correctness(report, ...whats)).toEqual(allMet(whats));
  });

  it('voting burst: every vote is acknowledged and on the board', async () => {
    const report = await voteBurstScenario({ people: 10, votesEach: 2, windowSeconds: 1, workers: 2 });
    const whats = ['every vote acknowledged'];
    expect(correctness(report, ...whats)).toEqual(allMet(whats));
  });

  it('large board: every card and vote survives restarts; snapshot and cold load are timed', async () => {
    const report = await largeBoardScenario({ cards: 120, votes: 300, repeats: 2 });
    const whats = ['every card and vote stored'];
    expect(correctness(report, ...whats)).toEqual(allMet(whats));
    expect(report.targets.map((t) => t.what)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^cold load/), expect.stringMatching(/^snapshot save/)]),
    );
  });

  it('client: a board opens in Chromium, frames are timed while panning and dragging, bundle sizes read', async () => {
    const report = await clientScenario({ cards: 40 });
    const figures = report.figures as {
      board: { cards: number };
      drag: { frames: number };
      panGrab: { frames: number };
    };
    expect(figures.board.cards).toBe(40);
    expect(figures.drag.frames).toBeGreaterThan(30);
    expect(figures.panGrab.frames).toBeGreaterThan(30);
    expect(report.targets.find((t) => t.what.startsWith('JS a phone loads'))?.measured).toMatch(/kB$/);
  });
});
