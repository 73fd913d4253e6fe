/**
 * How another session feels while an attack runs: an honest phone of session B adds a card by
 * intent and a stock y-websocket reader of B waits until it holds it; the health route answers.
 * Each probe is timed from the send to the reader seeing the card (or the 200).
 */
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
  return `intent round trip p95 ${round(p95(trips.intent))} ms, largest ${round(Math.max(...trips.intent))} ms (n=${trips.intent.length}), health p95 ${round(p95(trips.health))} ms (n=${trips.health.length})`;
}

/**
 * Probes are due on a fixed schedule whether or not the previous one has answered (open loop), and
 * each is timed from when it was due: a prober that waits for each answer, or times from when its
 * timer finally ran, would not notice the server holding the event loop between two probes.
 */
const INTENT_INTERVAL_MS = 50;
/** Five a second: under the 600 requests a minute an address may send, with room for the test's own. */
const HEALTH_INTERVAL_MS = 200;
/** Writers take turns: each sends one probe per 200 ms, under its 4 intents a second, so no budget is hit. */
const WRITERS = 4;
const CARDS_PER_WRITER = 90;

export interface ProbeRun<T> {
  result: T;
  trips: RoundTrips;
  /** The test process's largest resident memory meanwhile (the server is in it), MiB. */
  peakRssMiB: number;
}

export interface SessionProbe {
  /** Probes until `attack` settles (at least `minimumMs`); returns the round trips measured meanwhile. */
  during<T>(attack: () => Promise<T>, minimumMs?: number): Promise<ProbeRun<T>>;
}

const RSS_SAMPLE_MS = 25;

/** Session B: its own board, a stock reader, and writers that take turns. */
export async function sessionProbe(kaptar: Harness): Promise<SessionProbe> {
  const session = await createSession(kaptar.server, 'Másik műhely');
  const boardId = session.boards[0]?.id as string;
  const reader: BoardClient = await kaptar.board(boardId, session.viewerToken);
  const cards = reader.doc.getMap('cards');
  const writers: ControlClient[] = [];
  for (let i = 0; i < WRITERS; i++) {
    const phone = await joinSession(kaptar.server, session.joinCode, `Próba ${i}`, 'Felsőtelep');
    writers.push(await kaptar.control(phone.participantToken));
  }
  let sent = 0;

  async function intentTrip(due: number): Promise<number> {
    if (sent >= WRITERS * CARDS_PER_WRITER) throw new Error('the probe has used its writers’ card quotas');
    const writer = writers[sent++ % WRITERS] as ControlClient;
    const intent = addCardIntent(`Próba ${sent}`);
    const [result] = await sendIntents(writer, boardId, [intent]);
    if (!result?.ok) throw new Error(`the probe's intent was refused: ${JSON.stringify(result)}`);
    await waitFor(() => cards.has(intent.cardId), "the probe's card on B's reader", 5000);
    return performance.now() - due;
  }

  async function healthTrip(due: number): Promise<number> {
    const response = await fetch(`${kaptar.server.url}/api/health`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`health answered ${response.status}`);
    return performance.now() - due;
  }

  return {
    async during(attack, minimumMs = 500) {
      const trips: RoundTrips = { intent: [], health: [] };
      const inFlight: Array<Promise<void>> = [];
      // Every probe due before the attack ended is sent, even one whose timer could only run after
      // it: a stall in the attack's last step (a long synchronous write) is measured too.
      let endedAt = Number.POSITIVE_INFINITY;
      const schedule = async (interval: number, trip: (due: number) => Promise<number>, into: number[]) => {
        const first = performance.now();
        for (let tick = 1; first + tick * interval <= endedAt; tick++) {
          const due = first + tick * interval;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
          if (due <= endedAt) inFlight.push(trip(due).then((took) => void into.push(took)));
        }
      };
      const loops = [
        schedule(INTENT_INTERVAL_MS, intentTrip, trips.intent),
        schedule(HEALTH_INTERVAL_MS, healthTrip, trips.health),
      ];
      let peakRss = process.memoryUsage.rss();
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
      }, RSS_SAMPLE_MS);
      const started = Date.now();
      try {
        const result = await attack();
        const left = minimumMs - (Date.now() - started);
        if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
        return { result, trips, peakRssMiB: peakRss / 1024 / 1024 };
      } finally {
        clearInterval(sampler);
        endedAt = performance.now();
        await Promise.all(loops);
        await Promise.all(inFlight);
      }
    },
  };
}
