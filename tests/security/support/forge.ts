/**
 * Forged Yjs updates, as a hostile participant would build them with the raw Yjs API: from a
 * copy of the board, or from nothing at all.
 */
import * as Y from 'yjs';

/** Only the change `change` makes to a copy of `base`: what a hand-made client would send. */
export function forgeChange(base: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const forged = new Y.Doc();
  Y.applyUpdate(forged, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(forged);
  change(forged);
  const update = Y.encodeStateAsUpdate(forged, before);
  forged.destroy();
  return update;
}

/** One update that puts `count` empty maps into `groups`: cheap to send, costly to hold and draw. */
export function manyGroupMaps(count: number): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    const groups = doc.getMap('groups');
    for (let i = 0; i < count; i++) groups.set(i.toString(36), new Y.Map());
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/**
 * An update with no new content and a delete set for clocks `from`..`from + length` of the
 * server's Yjs client, which it has not written yet. Applied by a replica, it would wait and
 * delete whatever the server writes there next: the next cards, votes, settings.
 */
export function futureDeletion(serverClientId: number, from: number, length: number): Uint8Array {
  const source = new Y.Doc();
  source.clientID = serverClientId;
  // Written by the "server" id from clock 0 up to `from + length`, then deleted: the delete set
  // covers the future range; only that part of the update (no structs) is sent.
  const scratch = source.getArray<number>('scratch');
  scratch.insert(
    0,
    Array.from({ length: from + length }, (_, i) => i),
  );
  const beforeDelete = Y.encodeStateVector(source);
  scratch.delete(from, length);
  const deletion = Y.encodeStateAsUpdate(source, beforeDelete);
  source.destroy();
  return deletion;
}
