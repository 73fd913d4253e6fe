/**
 * How another session feels while an attack runs: an honest phone of session B adds a card by
 * intent and a stock y-websocket reader of B waits until it holds it; the health route answers.
 * Each probe is timed from the send to the reader seeing the card (or the 200).
 */
import { listCards } from '@kaptar/board';
import type { ControlClient } from '../../support/control-client.js';
import type { Harness } from '../../support/harness.js';
import { addCardIntent, sendIntents } from '../../support/intents.js';
import { createSession, joinSession, waitFor } from '../../support/server.js';
import type { BoardClient } from '../../support/yjs-client.js';

export interface RoundTrips {
  intent: number[];
  health: number[];
}

/** The value below which 95 % of the samples lie. */
export function p95(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] as number;
}

export function summary(trips: RoundTrips): string {
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return `intent round trip p95 ${round(p95(trips.intent))} ms (n=${trips.intent.length}), health p95 ${round(p95(trips.health))} ms (n=${trips.health.length})`;
}

/** Cards one writer adds before the next takes over: well below its quota and its burst. */
const CARDS_PER_WRITER = 60;
const PROBE_INTERVAL_MS = 40;

export interface SessionProbe {
  /** Probes until `attack` settles (at least `minimumMs`); returns the round trips measured meanwhile. */
  during<T>(attack: () => Promise<T>, minimumMs?: number): Promise<{ result: T; trips: RoundTrips }>;
}

/** Session B: its own board, a stock reader, and writers that take turns so no budget is ever hit. */
export async function sessionProbe(kaptar: Harness): Promise<SessionProbe> {
  const session = await createSession(kaptar.server, 'Másik műhely');
  const boardId = session.boards[0]?.id as string;
  const reader: BoardClient = await kaptar.board(boardId, session.viewerToken);
  let writer: ControlClient | null = null;
  let written = 0;
  let known = listCards(reader.doc).length;

  async function nextWriter(): Promise<ControlClient> {
    if (writer && written < CARDS_PER_WRITER) return writer;
    const phone = await joinSession(kaptar.server, session.joinCode, `Próba ${known}`, 'Felsőtelep');
    writer = await kaptar.control(phone.participantToken);
    written = 0;
    return writer;
  }

  async function intentTrip(): Promise<number> {
    const phone = await nextWriter();
    const started = performance.now();
    const [result] = await sendIntents(phone, boardId, [addCardIntent(`Próba ${known}`)]);
    if (!result?.ok) throw new Error(`the probe's intent was refused: ${JSON.stringify(result)}`);
    written++;
    known++;
    await waitFor(() => listCards(reader.doc).length >= known, "the probe's card on B's reader", 5000);
    return performance.now() - started;
  }

  async function healthTrip(): Promise<number> {
    const started = performance.now();
    const response = await fetch(`${kaptar.server.url}/api/health`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`health answered ${response.status}`);
    return performance.now() - started;
  }

  return {
    async during(attack, minimumMs = 500) {
      await nextWriter();
      const trips: RoundTrips = { intent: [], health: [] };
      let running = true;
      const loop = async (trip: () => Promise<number>, into: number[]) => {
        while (running) {
          into.push(await trip());
          await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
        }
      };
      const probes = [loop(intentTrip, trips.intent), loop(healthTrip, trips.health)];
      const started = Date.now();
      try {
        const result = await attack();
        const left = minimumMs - (Date.now() - started);
        if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
        return { result, trips };
      } finally {
        running = false;
        await Promise.all(probes);
      }
    },
  };
}
