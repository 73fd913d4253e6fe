/**
 * Restoring a snapshot as a forward change. The board is edited, key by key,
 * until it holds what the snapshot holds; nothing is swapped. Phones keep
 * offline copies of the board, and a swapped-in old state would let those
 * copies merge the very content the restore removed straight back.
 */
import * as Y from 'yjs';
import { ROOT } from './schema.js';

/** Makes every root of `board` equal to the same root in `snapshot`, in one transaction. */
export function restoreContent(board: Y.Doc, snapshot: Y.Doc): void {
  board.transact(() => {
    for (const root of Object.values(ROOT)) mirrorMap(board.getMap(root), snapshot.getMap(root));
  });
}

function mirrorMap(target: Y.Map<unknown>, source: Y.Map<unknown>): void {
  for (const key of [...target.keys()]) {
    if (!source.has(key)) target.delete(key);
  }
  source.forEach((value, key) => {
    const current = target.get(key);
    if (value instanceof Y.Map) {
      if (current instanceof Y.Map) {
        mirrorMap(current, value);
      } else {
        const fresh = new Y.Map<unknown>();
        target.set(key, fresh);
        mirrorMap(fresh, value);
      }
    } else if (JSON.stringify(current) !== JSON.stringify(value)) {
      target.set(key, value);
    }
  });
}

/** A snapshot's document, read-only in spirit: built from its stored full state. */
export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}
