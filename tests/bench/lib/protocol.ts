import type { Dialect } from './dialects.js';
import type { TimedRangeArrays } from './edit-timing.js';

/** Messages between the benchmark's coordinator (run.ts) and its load processes (load-worker.ts). */

/**
 * How a server takes edits: as Yjs updates its clients write (the relays), or as intents on the
 * control plane that the server applies itself (Kaptár, whose Yjs rooms are read-only).
 */
export type WritePath = 'yjs' | 'intents';

/** One simulated participant: a stock y-websocket client on one board, and optionally socket.io. */
export interface SimulatedPerson {
  participantId: string;
  boardId: string;
  /** Loopback address it connects from (see addresses.ts). */
  address: string;
  /** Kaptár's participant token; the reference relay takes none. */
  token?: string;
  /** Also opens the socket.io control connection (Kaptár only; needed to write there). */
  control?: boolean;
  /** A stock y-websocket client with the whole board; otherwise a wire client (lib/wire-client.ts). */
  stock: boolean;
}

/** A person as a load process holds it: `key` names it in edit timings (lib/edit-timing.ts). */
export interface PlacedPerson extends SimulatedPerson {
  key: number;
}

/** What a stock client's board looked like at the end: equal digests on one board mean it converged. */
export interface BoardDigest {
  boardId: string;
  cards: number;
  digest: string;
}

/** One participant of a join storm: joins with the code, then opens the board and the control plane. */
export interface ScheduledJoin {
  name: string;
  site: string;
  address: string;
  /** When to start, after the storm begins. */
  atMs: number;
}

export interface PlannedVote {
  /** Index into the worker's people. */
  person: number;
  cardId: string;
  /** When to send, after the burst begins. */
  atMs: number;
}

export type ToWorker =
  | {
      type: 'connect';
      yjsUrl: string;
      dialect: Dialect;
      writes: WritePath;
      serverUrl?: string;
      people: PlacedPerson[];
    }
  | { type: 'edit'; warmupMs: number; durationMs: number; intervalMs: number; addShare: number }
  | { type: 'join'; serverUrl: string; yjsUrl: string; joinCode: string; joins: ScheduledJoin[] }
  | { type: 'vote'; votes: PlannedVote[] }
  | { type: 'close' };

export type FromWorker =
  | { type: 'started' }
  | { type: 'connected'; failures: string[] }
  | {
      type: 'edited';
      /** Measured edits sent (made holds those whose id is known: all but refused intents). */
      sent: number;
      made: TimedRangeArrays;
      arrived: TimedRangeArrays;
      /** Why measured edits were refused or got no answer (intents only). */
      refused: string[];
      /** From sending each measured intent to its ack (intents only). */
      acks: Float64Array;
      boards: BoardDigest[];
    }
  | { type: 'joined'; latencies: Float64Array; failures: string[] }
  | { type: 'voted'; latencies: Float64Array; refused: string[] };
