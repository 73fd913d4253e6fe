/**
 * How the load generator times edits without applying them: an edit is known by the id
 * (client, clock) of its first new item. The sender notes when it made the edit with that id;
 * a receiver notes, for each message, which id ranges per client it carries and when it
 * arrived (a server may merge several edits into one message). The coordinator joins the two.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';

/** The id of the next edit `doc` makes. */
export function nextEdit(doc: Y.Doc): { client: number; clock: number } {
  return { client: doc.clientID, clock: Y.getState(doc.store, doc.clientID) };
}

const MESSAGE_SYNC = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

/** The update in a y-websocket sync message, or undefined for any other message. */
export function updateOfMessage(message: Uint8Array): Uint8Array | undefined {
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return undefined;
  const syncType = decoding.readVarUint(decoder);
  if (syncType !== SYNC_STEP2 && syncType !== SYNC_UPDATE) return undefined;
  return decoding.readVarUint8Array(decoder);
}

/**
 * Id ranges with a time each, in parallel arrays (cheap to grow and to send over IPC). Edits
 * made are ranges of one clock.
 */
export class TimedRanges {
  private clients: number[] = [];
  private from: number[] = [];
  private to: number[] = [];
  private times: number[] = [];

  note(client: number, from: number, to: number, at: number): void {
    this.clients.push(client);
    this.from.push(from);
    this.to.push(to);
    this.times.push(at);
  }

  /**
   * Notes every client's range in `update`, except `skipClient`'s (a relay's echo of our own).
   * A one-client update is read from its header alone (update format v1: number of clients,
   * then number of structs, client, clock): a simulated participant edits once a second, so
   * such a message holds one edit. Merged updates of several clients are parsed in full.
   */
  noteUpdate(update: Uint8Array, skipClient: number, at: number): void {
    const decoder = decoding.createDecoder(update);
    const clients = decoding.readVarUint(decoder);
    if (clients === 1) {
      decoding.readVarUint(decoder);
      const client = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      if (client !== skipClient) this.note(client, clock, clock + 1, at);
      return;
    }
    const meta = Y.parseUpdateMeta(update);
    for (const [client, from] of meta.from) {
      if (client !== skipClient) this.note(client, from, meta.to.get(client) ?? from, at);
    }
  }

  take(): TimedRangeArrays {
    const taken = {
      clients: Float64Array.from(this.clients),
      from: Float64Array.from(this.from),
      to: Float64Array.from(this.to),
      times: Float64Array.from(this.times),
    };
    this.clients = [];
    this.from = [];
    this.to = [];
    this.times = [];
    return taken;
  }
}

export interface TimedRangeArrays {
  clients: Float64Array;
  from: Float64Array;
  to: Float64Array;
  times: Float64Array;
}

/** For every arrival range, the delay of each edit it holds (edits made: ranges of one clock). */
export function deliveryDelays(made: TimedRangeArrays[], arrived: TimedRangeArrays[]): Float64Array {
  const byClient = new Map<number, Array<{ clock: number; at: number }>>();
  for (const part of made) {
    part.clients.forEach((client, i) => {
      const edits = byClient.get(client) ?? [];
      edits.push({ clock: part.from[i] as number, at: part.times[i] as number });
      byClient.set(client, edits);
    });
  }
  for (const edits of byClient.values()) edits.sort((a, b) => a.clock - b.clock);
  const delays: number[] = [];
  for (const part of arrived) {
    part.clients.forEach((client, i) => {
      const edits = byClient.get(client);
      if (!edits) return;
      const from = part.from[i] as number;
      const to = part.to[i] as number;
      for (let e = firstAtOrAfter(edits, from); e < edits.length && (edits[e]?.clock ?? to) < to; e++) {
        delays.push((part.times[i] as number) - (edits[e]?.at ?? 0));
      }
    });
  }
  return Float64Array.from(delays);
}

function firstAtOrAfter(edits: Array<{ clock: number }>, clock: number): number {
  let low = 0;
  let high = edits.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((edits[mid]?.clock ?? 0) < clock) low = mid + 1;
    else high = mid;
  }
  return low;
}
