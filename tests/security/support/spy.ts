/**
 * A hand-made device that keeps everything it is sent: a raw websocket on the board's Yjs room
 * (every frame, as bytes) and a raw socket.io connection (every engine.io packet as received:
 * events and the answers to its own commands alike). Questions about privacy are asked of those
 * bytes, never of what a view would draw from them.
 */
import type { Ack } from '@kaptar/protocol';
import * as Y from 'yjs';
import { waitFor } from '../../support/server.js';
import { openSyncedRawRoom, type RawRoom } from './raw-room.js';
import { connectRecording, type RecordingControl } from './recording-control.js';
import { syncStep1 } from './y-frames.js';

/** One socket.io packet as the server sent it, and what it says. */
export interface ControlPacket {
  raw: string;
  /** `event` for a server event, `ack` for the answer to a command of this device. */
  type: 'event' | 'ack' | 'other';
  /** The event's name (events only). */
  name?: string;
  /** The event's payload, or the ack's answer. */
  data?: unknown;
}

export interface Spy {
  readonly label: string;
  readonly room: RawRoom;
  readonly control: RecordingControl;
  /** Every control packet received so far, decoded (the raw string kept beside it). */
  packets(from?: number): ControlPacket[];
  /** How many control packets / Yjs frames have arrived: a mark to look at what came after it. */
  mark(): { packets: number; frames: number };
  /** The events of one name received so far, payloads only. */
  events(name: string, from?: number): unknown[];
  /** Every Yjs frame received so far (from a frame index on), as one buffer. */
  yjsBytes(from?: number): Buffer;
  /** Every control packet received so far (from a packet index on), as one string. */
  controlText(from?: number): string;
  /** Yjs update frames (relayed changes, not answers to sync requests) since a frame index. */
  updatesSince(from: number): number;
  /** A document built from every Yjs frame received: what this device holds. */
  replica(): Y.Doc;
  /** Sends a command and waits for the answer (recorded like everything else). */
  ask(event: string, payload: unknown): Promise<Ack & Record<string, unknown>>;
  /**
   * Waits until everything the server sent before now has arrived on both sockets: a `clock`
   * command on the control connection, a sync request on the room (each answered in order).
   */
  barrier(): Promise<void>;
  close(): void;
}

/** socket.io's packet encoding (socket.io-parser): type digit, optional ack id, JSON. */
export function decodePacket(raw: string | Uint8Array): ControlPacket {
  if (typeof raw !== 'string') return { raw: Buffer.from(raw).toString('latin1'), type: 'other' };
  const match = /^([0-6])(\d*)([[{].*)?$/s.exec(raw);
  if (!match) return { raw, type: 'other' };
  const [, type, , json] = match;
  let data: unknown;
  try {
    data = json === undefined ? undefined : JSON.parse(json);
  } catch {
    return { raw, type: 'other' };
  }
  if (type === '2' && Array.isArray(data))
    return { raw, type: 'event', name: String(data[0]), data: data[1] };
  if (type === '3' && Array.isArray(data)) return { raw, type: 'ack', data: data[0] };
  return { raw, type: 'other', data };
}

export async function openSpy(
  server: { url: string; wsUrl: string },
  boardId: string,
  token: string,
  label: string,
): Promise<Spy> {
  const room = await openSyncedRawRoom(server.wsUrl, boardId, token);
  const control = await connectRecording(server.url, token);
  const decoded: ControlPacket[] = [];
  const packets = (from = 0) => {
    while (decoded.length < control.packets.length) {
      decoded.push(decodePacket(control.packets[decoded.length] as string | Uint8Array));
    }
    return decoded.slice(from);
  };
  let syncs = 0;
  return {
    label,
    room,
    control,
    packets,
    mark: () => ({ packets: control.packets.length, frames: room.frames.length }),
    events: (name, from = 0) =>
      packets(from)
        .filter((packet) => packet.type === 'event' && packet.name === name)
        .map((packet) => packet.data),
    yjsBytes: (from = 0) => Buffer.concat(room.frames.slice(from)),
    controlText: (from = 0) =>
      packets(from)
        .map((packet) => packet.raw)
        .join('\n'),
    updatesSince: (from) =>
      room
        .kinds()
        .slice(from)
        .filter((kind) => kind === 'sync-update').length,
    replica: () => room.replica(),
    ask: (event, payload) => control.ask(event, payload),
    async barrier() {
      await control.socket.timeout(5000).emitWithAck('clock');
      // The answer to a sync request comes after every update relayed before it.
      const doc = room.replica();
      const answered = room.kinds().filter((kind) => kind === 'sync-step2').length;
      room.send(syncStep1(Y.encodeStateVector(doc)));
      doc.destroy();
      syncs++;
      await waitFor(
        () => room.kinds().filter((kind) => kind === 'sync-step2').length > answered,
        `${label}: the answer to sync request ${syncs}`,
      );
    },
    close() {
      room.close();
      control.close();
    },
  };
}

/** Whether a buffer or string holds `needle` (UTF-8), anywhere. */
export function holds(haystack: Buffer | string, needle: string): boolean {
  return typeof haystack === 'string' ? haystack.includes(needle) : haystack.includes(Buffer.from(needle));
}

/** Lets the server's throttled views (the moderator's, every 250 ms) go out, then a barrier on each spy. */
export async function settle(spies: Spy[], ms = 400): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  await Promise.all(spies.map((spy) => spy.barrier()));
}
