/** y-websocket message framing: the envelope around the sync protocol. */
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';

/** Message types of the y-websocket protocol (first varint of every message). */
export const MESSAGE = { sync: 0, awareness: 1, auth: 2, queryAwareness: 3 } as const;

/** Sub-types of a sync message (y-protocols/sync). */
export const SYNC = {
  step1: syncProtocol.messageYjsSyncStep1,
  step2: syncProtocol.messageYjsSyncStep2,
  update: syncProtocol.messageYjsUpdate,
} as const;

/** The answer to a sync request: `missing`, the part of the board the replica lacks. */
export function syncStep2Message(missing: Uint8Array): Uint8Array {
  return syncMessage(SYNC.step2, missing);
}

export function updateMessage(update: Uint8Array): Uint8Array {
  return syncMessage(SYNC.update, update);
}

function syncMessage(type: number, update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE.sync);
  encoding.writeVarUint(encoder, type);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
