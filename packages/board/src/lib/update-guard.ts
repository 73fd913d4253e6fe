/**
 * Reads an incoming Yjs update against the server's copy of the board,
 * without applying it, and reports what it would write: which roots, whether
 * it creates cards, and any card field that breaks the invariants. The room
 * host decides from this report (and the sender's role) to apply, drop or
 * refuse the update.
 *
 * Yjs omits an item's parent and key when the item has a left or right
 * neighbour (its origin), so the location is found through those neighbours,
 * in the update itself or in the server's document, as Yjs does on integrate.
 */
import * as Y from 'yjs';
import { isCardKind, PROTECTED_ROOTS, ROOT } from './schema.js';
import { isValidStoredText } from './validation.js';

export interface UpdateReport {
  /** Broken invariants or unknown places; such an update is refused. */
  problems: string[];
  /** Protected roots (votes, meta) the update would write or delete in. */
  protectedRoots: Set<string>;
  /** Cards the update would create. */
  newCards: number;
  /** Card id -> the fields the update writes or deletes on that card. */
  cardFields: Map<string, Set<string>>;
  /** Cards the update would delete. */
  deletedCards: Set<string>;
  /** The author written into each card the update creates. */
  newCardAuthors: Map<string, unknown>;
}

interface Location {
  /** Root map name, or null when the item lands in a deleted (garbage collected) place. */
  root: string | null;
  /** Map key of the item in its immediate parent. */
  key: string | null;
  /** Whether the immediate parent is a nested type (a card map) rather than the root. */
  nested: boolean;
  /** For an item inside a nested type: the key of that type in the root (the card id). */
  parentKey: string | null;
}

const KNOWN_ROOTS: ReadonlySet<string> = new Set(Object.values(ROOT));
const LANDS_NOWHERE: Location = { root: null, key: null, nested: false, parentKey: null };

const CARD_FIELD_CHECKS: Record<string, (value: unknown) => boolean> = {
  kind: isCardKind,
  text: isValidStoredText,
};

class UnknownPlace extends Error {}

/** Throws if the bytes are not a Yjs update at all (callers close the connection). */
export function inspectUpdate(doc: Y.Doc, update: Uint8Array): UpdateReport {
  const report: UpdateReport = {
    problems: [],
    protectedRoots: new Set(),
    newCards: 0,
    cardFields: new Map(),
    deletedCards: new Set(),
    newCardAuthors: new Map(),
  };
  const touchField = (cardId: string | null, key: string | null) => {
    if (cardId === null || key === null) return;
    const fields = report.cardFields.get(cardId) ?? new Set<string>();
    fields.add(key);
    report.cardFields.set(cardId, fields);
  };
  const { structs, ds } = Y.decodeUpdate(update);
  // Every struct of the update, so neighbours can be found in it (merged items and garbage-collected
  // ranges included, as in any full state).
  const carried = new Map<number, Array<Y.Item | Y.GC>>();
  const unknown: Y.Item[] = [];
  for (const struct of structs) {
    if (!(struct instanceof Y.Item || struct instanceof Y.GC)) continue;
    const list = carried.get(struct.id.client) ?? [];
    list.push(struct);
    carried.set(struct.id.client, list);
    // Content the board already has is ignored by Yjs: a client that reloads from its local copy
    // sends the whole board again, the server's own writes included.
    const known = struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client);
    if (struct instanceof Y.Item && !known) unknown.push(struct);
  }
  const locate = locator(doc, carried);

  for (const item of unknown) {
    let where: Location;
    try {
      where = locate(item);
    } catch (error) {
      if (!(error instanceof UnknownPlace)) throw error;
      report.problems.push('refers to content the board does not have');
      continue;
    }
    if (where.root === null) continue;
    if (!KNOWN_ROOTS.has(where.root)) report.problems.push(`writes to unknown root "${where.root}"`);
    if (PROTECTED_ROOTS.has(where.root)) report.protectedRoots.add(where.root);
    if (where.root !== ROOT.cards) continue;
    if (!where.nested && item.content instanceof Y.ContentType) report.newCards++;
    if (where.nested) touchField(where.parentKey, where.key);
    if (
      where.nested &&
      where.key === 'authorId' &&
      where.parentKey !== null &&
      item.content instanceof Y.ContentAny
    ) {
      report.newCardAuthors.set(where.parentKey, item.content.arr.at(-1));
    }
    const check = where.nested && where.key !== null ? CARD_FIELD_CHECKS[where.key] : undefined;
    // An overwritten value travels as deleted content: nothing to check. Any other content type
    // (a string chunk, a nested type) would bypass the value check.
    const deleted = item.content instanceof Y.ContentDeleted;
    if (check && !deleted && !(item.content instanceof Y.ContentAny && item.content.arr.every(check))) {
      report.problems.push(`invalid card ${where.key}`);
    }
  }

  for (const [client, ranges] of ds.clients) {
    for (const { clock, len } of ranges) {
      for (const struct of storedStructs(doc, client, clock, clock + len)) {
        // Every update carries the sender's whole delete set; deletions the board already has change nothing.
        if (!(struct instanceof Y.Item) || struct.deleted) continue;
        const root = rootOfIntegrated(struct);
        if (root && PROTECTED_ROOTS.has(root)) report.protectedRoots.add(root);
        if (root !== ROOT.cards) continue;
        const container = struct.parent as Y.AbstractType<unknown>;
        if (container._item === null && struct.parentSub !== null) report.deletedCards.add(struct.parentSub);
        else touchField(container._item?.parentSub ?? null, struct.parentSub);
      }
    }
  }
  return report;
}

function locator(doc: Y.Doc, carried: Map<number, Array<Y.Item | Y.GC>>) {
  const seen = new Map<Y.Item, Location>();

  const locate = (item: Y.Item): Location => {
    const known = seen.get(item);
    if (known) return known;
    const where = resolve(item);
    seen.set(item, where);
    return where;
  };

  // A neighbour or parent id: first in this update, then in the board.
  const find = (id: Y.ID): { item: Y.Item; integrated: boolean } | 'gc' => {
    const fromUpdate = carried
      .get(id.client)
      ?.find((struct) => struct.id.clock <= id.clock && id.clock < struct.id.clock + struct.length);
    if (fromUpdate) return fromUpdate instanceof Y.Item ? { item: fromUpdate, integrated: false } : 'gc';
    const [stored] = storedStructs(doc, id.client, id.clock, id.clock + 1);
    if (!stored) throw new UnknownPlace();
    return stored instanceof Y.Item ? { item: stored, integrated: true } : 'gc';
  };

  const resolve = (item: Y.Item): Location => {
    const parent: unknown = item.parent;
    if (typeof parent === 'string')
      return { root: parent, key: item.parentSub, nested: false, parentKey: null };
    if (parent instanceof Y.ID) {
      const found = find(parent);
      // Written into a card deleted meanwhile: Yjs deletes it on arrival.
      if (found === 'gc' || (found.integrated && found.item.deleted)) return LANDS_NOWHERE;
      const root = found.integrated ? rootOfIntegrated(found.item, true) : locate(found.item).root;
      return { root, key: item.parentSub, nested: true, parentKey: found.item.parentSub };
    }
    // No parent info: Yjs takes it from the neighbours; a deleted neighbour means it lands nowhere.
    const neighbours = [item.origin, item.rightOrigin].filter((id): id is Y.ID => id !== null);
    if (neighbours.length === 0) throw new UnknownPlace();
    const found = neighbours.map(find);
    const usable = found.find((f) => f !== 'gc');
    if (found.includes('gc') || !usable) return LANDS_NOWHERE;
    if (!usable.integrated) return locate(usable.item);
    const container = usable.item.parent as Y.AbstractType<unknown> | null;
    if (!container) return LANDS_NOWHERE;
    return {
      root: rootOfType(container),
      key: usable.item.parentSub,
      nested: container._item !== null,
      parentKey: container._item?.parentSub ?? null,
    };
  };

  return locate;
}

/** Root name of an item already in the board; `ofContent` asks for the type the item holds. */
function rootOfIntegrated(item: Y.Item, ofContent = false): string | null {
  if (ofContent && item.content instanceof Y.ContentType) return rootOfType(item.content.type);
  const parent = item.parent as Y.AbstractType<unknown> | null;
  return parent ? rootOfType(parent) : null;
}

function rootOfType(type: Y.AbstractType<unknown>): string | null {
  let current = type;
  while (current._item !== null) {
    const up = current._item.parent as Y.AbstractType<unknown> | null;
    if (!up) return null;
    current = up;
  }
  try {
    return Y.findRootTypeKey(current);
  } catch {
    return null;
  }
}

/** Structs of `client` in the board covering clocks [from, to). */
function storedStructs(doc: Y.Doc, client: number, from: number, to: number): Array<Y.Item | Y.GC> {
  const structs = doc.store.clients.get(client) as Array<Y.Item | Y.GC> | undefined;
  const last = structs?.at(-1);
  if (!structs || !last || from >= last.id.clock + last.length) return [];
  const found: Array<Y.Item | Y.GC> = [];
  for (let index = Y.findIndexSS(structs, from); index < structs.length; index++) {
    const struct = structs[index] as Y.Item | Y.GC;
    if (struct.id.clock >= to) break;
    found.push(struct);
  }
  return found;
}
