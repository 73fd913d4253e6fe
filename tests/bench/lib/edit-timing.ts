/**
 * How the load generator times edits without decoding them: every Yjs update starts with the
 * id (client, clock) of its first new item, and that id is unique to one edit. The sender notes
 * when it made the edit with that id; every receiver notes when a message carrying it arrived.
 * The coordinator joins the two. Reading four varints costs next to nothing, so the generator
 * can listen on thousands of sockets without being the bottleneck.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';

/** Clocks stay far below 2^21 in a benchmark, so (client, clock) fits a safe integer. */
const CLOCK_SPAN = 2 ** 21;

export function editKey(client: number, clock: number): number {
  return client * CLOCK_SPAN + clock;
}

/** The key of the next edit `doc` makes. */
export function nextEditKey(doc: Y.Doc): number {
  return editKey(doc.clientID, Y.getState(doc.store, doc.clientID));
}

const MESSAGE_SYNC = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

/** The id of the first item in a y-websocket sync message, or undefined for anything else. */
export function editIdOfMessage(message: Uint8Array): { client: number; clock: number } | undefined {
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return undefined;
  const syncType = decoding.readVarUint(decoder);
  if (syncType !== SYNC_STEP2 && syncType !== SYNC_UPDATE) return undefined;
  const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
  // Update format v1: number of clients, then per client: number of structs, client, clock.
  if (decoding.readVarUint(update) === 0) return undefined;
  decoding.readVarUint(update);
  const client = decoding.readVarUint(update);
  return { client, clock: decoding.readVarUint(update) };
}

/** Arrivals noted by one process: parallel arrays, cheap to grow and to send over IPC. */
export class Arrivals {
  private keys: number[] = [];
  private times: number[] = [];

  note(key: number, at: number): void {
    this.keys.push(key);
    this.times.push(at);
  }

  take(): { keys: Float64Array; times: Float64Array } {
    const taken = { keys: Float64Array.from(this.keys), times: Float64Array.from(this.times) };
    this.keys = [];
    this.times = [];
    return taken;
  }
}
