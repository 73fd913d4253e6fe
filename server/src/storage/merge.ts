import * as Y from 'yjs';

/** One update holding all of `updates` (Yjs merges them without a document). */
export function mergeAll(updates: Uint8Array[]): Uint8Array {
  return updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates);
}
