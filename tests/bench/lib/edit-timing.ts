/**
 * How the load generator times edits without applying them. An edit is known by one Yjs id
 * (client, clock) of the items it made, and by who made it (a participant's key). The sender
 * notes when it sent the edit and that id; a receiver notes, for each message, which id ranges
 * per client it carries, when it arrived and who received it (a server may merge several edits
 * into one message). The coordinator joins the two.
 *
 * Which id names an edit depends on who writes the items:
 * - On a relay the participant writes them itself: the id of its first new item, read from its
 *   own document before the edit (`nextEdit`).
 * - On Kaptár the server writes them for the participant's intent, and says where in the ack:
 *   `effect` is the server document's client id and its clock right after the change, so the
 *   intent's items end at `effect.clock` (exclusive). The id is the last item,
 *   (effect.client, effect.clock - 1): each intent is one transaction on the server, stored and
 *   relayed in one message, so a receiver holds the whole intent with the message that holds
 *   that clock (`intentEdit`). The ack may come before or after that message; only the clock
 *   matters, and the time noted is when the intent was emitted.
 */
import type { IntentEffect } from '@kaptar/protocol';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';

export interface EditId {
  client: number;
  clock: number;
}

/** The id of the next edit `doc` makes (its first new item). */
export function nextEdit(doc: Y.Doc): EditId {
  return { client: doc.clientID, clock: Y.getState(doc.store, doc.clientID) };
}

/** The id of an intent's change: the last item the server made for it. */
export function intentEdit(effect: IntentEffect): EditId {
  return { client: effect.client, clock: effect.clock - 1 };
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

/** How a receiver reads the id ranges of an arrived update. */
export interface ArrivalReading {
  /** Not noted: a relay's echo of the receiver's own edits carries its own client id. */
  skipClient: number;
  /** The receiving participant's key: an edit does not count as delivered to its sender. */
  receiver: number;
  /**
   * Every message holds at most one edit per client (participants write their own updates and a
   * relay passes each on as it came), so a one-client update is read from its header alone.
   * Not so on Kaptár: one client (the server) writes every edit, and a message holds a batch.
   */
  oneEditPerClient: boolean;
  /**
   * Kaptár: every message to a receiver continues the one before (one writer, batches relayed in
   * order to every member), so a one-client update is read from its header alone too: it runs from
   * its first clock to the next message's (closed in `deliveryDelays`). Parsing every message in
   * full cost the load processes more than reading the relays' messages did.
   */
  contiguous: boolean;
}

/** The end of a range that runs until the next message's first clock (see `contiguous`). */
const OPEN_END = -1;

/**
 * Id ranges with a time and a participant each, in parallel arrays (cheap to grow and to send
 * over IPC). Edits made are ranges of one clock.
 */
export class TimedRanges {
  private clients: number[] = [];
  private from: number[] = [];
  private to: number[] = [];
  private times: number[] = [];
  private who: number[] = [];

  note(client: number, from: number, to: number, at: number, who: number): void {
    this.clients.push(client);
    this.from.push(from);
    this.to.push(to);
    this.times.push(at);
    this.who.push(who);
  }

  /** Notes the edit `id` made by `who`, sent at `at`. */
  noteEdit(id: EditId, at: number, who: number): void {
    this.note(id.client, id.clock, id.clock + 1, at, who);
  }

  /**
   * Notes every client's range in `update` as received by `reading.receiver`. The header of a
   * one-client update (format v1: number of clients, then number of structs, client, clock)
   * gives its first clock; with one edit per message, that is the edit's. Anything else is
   * parsed in full for its exact ranges.
   */
  noteUpdate(update: Uint8Array, reading: ArrivalReading, at: number): void {
    const decoder = decoding.createDecoder(update);
    const clients = decoding.readVarUint(decoder);
    if (clients === 1 && (reading.oneEditPerClient || reading.contiguous)) {
      decoding.readVarUint(decoder);
      const client = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const end = reading.oneEditPerClient ? clock + 1 : OPEN_END;
      if (client !== reading.skipClient) this.note(client, clock, end, at, reading.receiver);
      return;
    }
    const meta = Y.parseUpdateMeta(update);
    for (const [client, from] of meta.from) {
      const to = meta.to.get(client) ?? from;
      if (client !== reading.skipClient && to > from) this.note(client, from, to, at, reading.receiver);
    }
  }

  get length(): number {
    return this.clients.length;
  }

  take(): TimedRangeArrays {
    const taken = {
      clients: Float64Array.from(this.clients),
      from: Float64Array.from(this.from),
      to: Float64Array.from(this.to),
      times: Float64Array.from(this.times),
      who: Float64Array.from(this.who),
    };
    this.clients = [];
    this.from = [];
    this.to = [];
    this.times = [];
    this.who = [];
    return taken;
  }
}

export interface TimedRangeArrays {
  clients: Float64Array;
  from: Float64Array;
  to: Float64Array;
  times: Float64Array;
  /** The sender of an edit made, the receiver of an arrival. */
  who: Float64Array;
}

interface MadeEdit {
  clock: number;
  at: number;
  sender: number;
}

/**
 * For every arrival range, the delay of each edit it holds that another participant made
 * (edits made: ranges of one clock, see above).
 */
export function deliveryDelays(made: TimedRangeArrays[], arrived: TimedRangeArrays[]): Float64Array {
  closeOpenRanges(arrived);
  const byClient = new Map<number, MadeEdit[]>();
  for (const part of made) {
    part.clients.forEach((client, i) => {
      const edits = byClient.get(client) ?? [];
      edits.push({
        clock: part.from[i] as number,
        at: part.times[i] as number,
        sender: part.who[i] as number,
      });
      byClient.set(client, edits);
    });
  }
  for (const edits of byClient.values()) edits.sort((a, b) => a.clock - b.clock);
  const delays: number[] = [];
  for (const part of arrived) {
    part.clients.forEach((client, i) => {
      const edits = byClient.get(client);
      if (!edits) return;
      const to = part.to[i] as number;
      const receiver = part.who[i] as number;
      const at = part.times[i] as number;
      for (let e = firstAtOrAfter(edits, part.from[i] as number); e < edits.length; e++) {
        const edit = edits[e] as MadeEdit;
        if (edit.clock >= to) break;
        if (edit.sender !== receiver) delays.push(at - edit.at);
      }
    });
  }
  return Float64Array.from(delays);
}

/** Ends each open range at the first clock of the receiver's next range of the same client. */
function closeOpenRanges(arrived: TimedRangeArrays[]): void {
  const lines = new Map<string, Array<{ part: TimedRangeArrays; i: number }>>();
  for (const part of arrived) {
    part.clients.forEach((client, i) => {
      const key = `${client}/${part.who[i]}`;
      const line = lines.get(key) ?? [];
      line.push({ part, i });
      lines.set(key, line);
    });
  }
  for (const line of lines.values()) {
    if (!line.some(({ part, i }) => part.to[i] === OPEN_END)) continue;
    line.sort((a, b) => (a.part.from[a.i] as number) - (b.part.from[b.i] as number));
    line.forEach(({ part, i }, k) => {
      if (part.to[i] !== OPEN_END) return;
      const next = line[k + 1];
      part.to[i] = next ? (next.part.from[next.i] as number) : Number.POSITIVE_INFINITY;
    });
  }
}

function firstAtOrAfter(edits: MadeEdit[], clock: number): number {
  let low = 0;
  let high = edits.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((edits[mid] as MadeEdit).clock < clock) low = mid + 1;
    else high = mid;
  }
  return low;
}
