/**
 * Restoring a snapshot as a forward change. The board is edited, key by key,
 * until it holds what the snapshot holds; nothing is swapped. Phones keep
 * offline copies of the board, and a swapped-in old state would let those
 * copies merge the very content the restore removed straight back.
 */
import * as Y from 'yjs';
import { listCards } from './cards.js';
import { listGroups } from './groups.js';
import { isId } from './ids.js';
import { readMeta, updateMeta } from './meta.js';
import { modelOf, type PatchOp, retiredIds } from './model.js';
import { cardsRoot, groupsRoot, ROOT, votesRoot } from './schema.js';

/**
 * Makes every root of `board` equal to the same root in `snapshot`, in one transaction. The
 * snapshot is read through its typed contents first: one saved by an earlier version may hold junk.
 */
export function restoreContent(board: Y.Doc, snapshot: Y.Doc): void {
  const clean = rebuildDoc(snapshot).doc;
  board.transact(() => {
    for (const root of Object.values(ROOT)) mirrorMap(board.getMap(root), clean.getMap(root));
  });
  clean.destroy();
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

/**
 * A fresh document holding what `old` holds, read through the typed fields: cards, groups,
 * settings and votes. Anything else (a plain value where a card belongs, an unknown root, a field
 * of the wrong type) is left behind and counted. Used for archives and for boards saved by an
 * earlier version, which any client could write.
 */
export function rebuildDoc(old: Y.Doc): { doc: Y.Doc; dropped: number } {
  const doc = new Y.Doc();
  // Ids a device cannot name in an intent (the wire's pattern) would make every batch naming them fail.
  const cards = listCards(old).filter((card) => isId(card.id));
  const groups = listGroups(old).filter((group) => isId(group.id));
  const model = modelOf(doc);
  doc.transact(() => {
    // Deleted ids stay dead: an old copy of the board on a phone must not bring a removed card back.
    for (const id of retiredIds(old)) {
      const root: Y.Map<unknown> = doc.getMap(cardsRoot(old)._map.has(id) ? ROOT.cards : ROOT.groups);
      root.set(id, new Y.Map());
      root.delete(id);
    }
    updateMeta(doc, readMeta(old));
    model.apply([
      ...groups.map((group): PatchOp => ({ op: 'group:put', group })),
      ...cards.map((card): PatchOp => ({ op: 'card:put', card })),
    ]);
    const votes = votesRoot(doc);
    for (const card of cards) {
      const ballots = votesRoot(old).get(card.id);
      if (!(ballots instanceof Y.Map)) continue;
      // Counted in a plain Map: a Y.Map not yet in a document reports size 0 whatever it holds,
      // so checking the copy's size dropped every ballot (archives, old boards, rollbacks).
      const valid = new Map<string, number>();
      ballots.forEach((count, participantId) => {
        if (typeof count === 'number' && Number.isInteger(count) && count > 0)
          valid.set(participantId, count);
      });
      if (valid.size > 0) votes.set(card.id, new Y.Map<number>([...valid]));
    }
  });
  const before = cardsRoot(old).size + groupsRoot(old).size;
  return { doc, dropped: before - cards.length - groups.length };
}
