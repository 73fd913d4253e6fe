/**
 * The y-websocket wire format, byte by byte: what a hand-made client sends (any message, with any
 * payload) and how it reads what it received. Built on lib0 alone, so nothing stock filters it.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** First varint of every message, and the sub-type of a sync message (y-protocols). */
export const MESSAGE = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;
export const SYNC = { step1: 0, step2: 1, update: 2 } as const;

function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

function syncMessage(type: number, payload: Uint8Array): Uint8Array {
  return message((encoder) => {
    encoding.writeVarUint(encoder, MESSAGE.sync);
    encoding.writeVarUint(encoder, type);
    encoding.writeVarUint8Array(encoder, payload);
  });
}

/** "Send me what I lack": the state vector of the sender's replica (the empty one: `[0]`). */
export const syncStep1 = (stateVector: Uint8Array = new Uint8Array([0])) =>
  syncMessage(SYNC.step1, stateVector);
export const syncStep2 = (update: Uint8Array) => syncMessage(SYNC.step2, update);
export const syncUpdate = (update: Uint8Array) => syncMessage(SYNC.update, update);

/** An awareness message carrying `update` (y-protocols/awareness encoding, or anything at all). */
export const awarenessMessage = (update: Uint8Array) =>
  message((encoder) => {
    encoding.writeVarUint(encoder, MESSAGE.awareness);
    encoding.writeVarUint8Array(encoder, update);
  });

/**
 * An awareness update claiming `clients` participants (client ids from `firstClientId` on), each
 * with a state of `stateBytes` characters: fake cursors, or one huge state.
 */
export function fakeAwarenessUpdate(clients: number, stateBytes: number, firstClientId = 1): Uint8Array {
  const state = JSON.stringify({ user: { name: 'x'.repeat(Math.max(0, stateBytes - 20)) } });
  return message((encoder) => {
    encoding.writeVarUint(encoder, clients);
    for (let i = 0; i < clients; i++) {
      encoding.writeVarUint(encoder, firstClientId + i);
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarString(encoder, state);
    }
  });
}

/** What a received frame is, read from its header (and its payload's size). */
export type FrameKind =
  | 'sync-step1'
  | 'sync-step2'
  | 'sync-update'
  | 'awareness'
  | 'query-awareness'
  | 'other';

export interface ReadFrame {
  kind: FrameKind;
  /** The Yjs update (step 2 or update) or state vector (step 1); empty for the others. */
  payload: Uint8Array;
}

export function readFrame(frame: Uint8Array): ReadFrame {
  const decoder = decoding.createDecoder(frame);
  const type = decoding.readVarUint(decoder);
  if (type === MESSAGE.awareness) return { kind: 'awareness', payload: new Uint8Array() };
  if (type === MESSAGE.queryAwareness) return { kind: 'query-awareness', payload: new Uint8Array() };
  if (type !== MESSAGE.sync) return { kind: 'other', payload: new Uint8Array() };
  const syncType = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  const kinds: Record<number, FrameKind> = {
    [SYNC.step1]: 'sync-step1',
    [SYNC.step2]: 'sync-step2',
    [SYNC.update]: 'sync-update',
  };
  return { kind: kinds[syncType] ?? 'other', payload };
}
