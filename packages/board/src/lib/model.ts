/**
 * What the operations read and write: a board as a model, either the server's Y.Doc or a plain
 * copy on a phone (the replica with the phone's pending intents drawn over it). The rules are
 * written once, in cards.ts and groups.ts, against this model; each operation checks what it
 * reads, then hands the model a patch of plain writes.
 */
import * as Y from 'yjs';
import { readMeta } from './meta.js';
import {
  type BoardMeta,
  type Card,
  type CardMap,
  cardsRoot,
  type Group,
  type GroupMap,
  groupsRoot,
  isCardKind,
} from './schema.js';
import { isCoordinate, isValidStoredText } from './validation.js';

/** One plain write. A card's `groupId: null` takes the card out of its group. */
export type PatchOp =
  /** `draft`: during silent collect, the card reaches only its author and the moderator. */
  | { op: 'card:put'; card: Card; draft?: boolean }
  | { op: 'card:set'; id: string; fields: Partial<Pick<Card, 'text' | 'area' | 'kind' | 'groupId'>> }
  | { op: 'card:remove'; id: string }
  | { op: 'group:put'; group: Group }
  | { op: 'group:set'; id: string; fields: Partial<Pick<Group, 'title' | 'area'>> }
  | { op: 'group:remove'; id: string };

export interface BoardModel {
  meta(): BoardMeta;
  card(id: string): Card | undefined;
  group(id: string): Group | undefined;
  cards(): Card[];
  cardCount(): number;
  /** Cards by this author (the quota check): cheaper than reading every card. */
  cardCountBy(authorId: string): number;
  groupCount(): number;
  /** Whether the id names a card or group now or ever did: ids are never reused on a board. */
  idUsed(id: string): boolean;
  /** Whether the card is a silent-collect draft (only the server's board holds drafts). */
  isDraft(id: string): boolean;
  apply(patch: PatchOp[]): void;
}

/** The operations take a Y.Doc (server, tests) or a model (a phone's overlay). */
export type BoardTarget = Y.Doc | BoardModel;

const docModels = new WeakMap<Y.Doc, BoardModel>();

export function modelOf(target: BoardTarget): BoardModel {
  if (!(target instanceof Y.Doc)) return target;
  let model = docModels.get(target);
  if (!model) {
    model = new DocModel(target);
    docModels.set(target, model);
  }
  return model;
}

/** Each card's author and the number of cards per author. */
interface AuthorIndex {
  authorOf: Map<string, string>;
  countBy: Map<string, number>;
}

/** A board document read and written through its typed fields. */
class DocModel implements BoardModel {
  constructor(private readonly doc: Y.Doc) {}

  meta(): BoardMeta {
    return readMeta(this.doc);
  }

  card(id: string): Card | undefined {
    const map = cardsRoot(this.doc).get(id);
    return map instanceof Y.Map ? readCard(this.doc, id, map) : undefined;
  }

  group(id: string): Group | undefined {
    const map = groupsRoot(this.doc).get(id);
    return map instanceof Y.Map ? readGroup(id, map) : undefined;
  }

  cards(): Card[] {
    const cards: Card[] = [];
    cardsRoot(this.doc).forEach((map, id) => {
      const card = map instanceof Y.Map ? readCard(this.doc, id, map) : undefined;
      if (card) cards.push(card);
    });
    return cards;
  }

  cardCount(): number {
    return this.authors().authorOf.size;
  }

  cardCountBy(authorId: string): number {
    return this.authors().countBy.get(authorId) ?? 0;
  }

  /**
   * Who wrote each card, kept up to date as the cards root changes. Counting by walking the
   * cards on every add (a Y.Map's size walks it too) made one phone's burst of adds on a
   * 1,500-card board hold the server's event loop for 70-120 ms.
   */
  private authorIndex: AuthorIndex | null = null;

  private authors(): AuthorIndex {
    if (this.authorIndex) return this.authorIndex;
    const index: AuthorIndex = { authorOf: new Map(), countBy: new Map() };
    const root = cardsRoot(this.doc);
    const track = (id: string) => {
      const previous = index.authorOf.get(id);
      if (previous !== undefined) index.countBy.set(previous, (index.countBy.get(previous) ?? 1) - 1);
      index.authorOf.delete(id);
      const map = root.get(id);
      const author = map instanceof Y.Map ? readCard(this.doc, id, map)?.authorId : undefined;
      if (author === undefined) return;
      index.authorOf.set(id, author);
      index.countBy.set(author, (index.countBy.get(author) ?? 0) + 1);
    };
    for (const id of root.keys()) track(id);
    // Observers run when a transaction ends, before the next intent's checks read the index.
    root.observe((event) => {
      for (const id of event.keysChanged) track(id);
    });
    this.authorIndex = index;
    return index;
  }

  groupCount(): number {
    return groupsRoot(this.doc).size;
  }

  idUsed(id: string): boolean {
    // A Y.Map keeps the last item of every key it ever held, deleted or not (also after a reload
    // from an encoded state): `_map` is the only place that tells a deleted id from a new one.
    return hasEverHeld(cardsRoot(this.doc), id) || hasEverHeld(groupsRoot(this.doc), id);
  }

  isDraft(_id: string): boolean {
    return false;
  }

  apply(patch: PatchOp[]): void {
    // Written as untyped maps: the patch's fields are the typed ones, checked by the operations.
    const cards = cardsRoot(this.doc) as unknown as Y.Map<Y.Map<unknown>>;
    const groups = groupsRoot(this.doc) as unknown as Y.Map<Y.Map<unknown>>;
    this.doc.transact(() => {
      for (const change of patch) {
        switch (change.op) {
          case 'card:put': {
            // Drafts live in the server's private state (server-board.ts), never in a document.
            if (change.draft) throw new Error('a draft cannot be written to a shared document');
            // An anonymous board's cards carry no author at all, not even an empty one; a card its
            // author wrote carries no `enteredBy` either (documents from before it read as '').
            const { authorId, enteredBy, ...fields } = withoutId(change.card);
            cards.set(
              change.card.id,
              fill(new Y.Map(), {
                ...fields,
                ...(authorId ? { authorId } : {}),
                ...(enteredBy ? { enteredBy } : {}),
              }),
            );
            break;
          }
          case 'card:set': {
            const map = cards.get(change.id);
            if (map) fill(map, change.fields);
            break;
          }
          case 'card:remove':
            cards.delete(change.id);
            break;
          case 'group:put':
            groups.set(change.group.id, fill(new Y.Map(), withoutId(change.group)));
            break;
          case 'group:set': {
            const map = groups.get(change.id);
            if (map) fill(map, change.fields);
            break;
          }
          case 'group:remove':
            groups.delete(change.id);
            break;
        }
      }
    });
  }
}

function hasEverHeld(map: { _map: Map<string, unknown> }, key: string): boolean {
  return map._map.has(key);
}

/** Ids of cards and groups the document held once and deleted since (see `idUsed`). */
export function retiredIds(doc: Y.Doc): string[] {
  const retired: string[] = [];
  for (const root of [cardsRoot(doc), groupsRoot(doc)]) {
    for (const id of root._map.keys()) if (!root.has(id)) retired.push(id);
  }
  return retired;
}

function withoutId<T extends { id: string }>(value: T): Omit<T, 'id'> {
  const { id: _id, ...rest } = value;
  return rest;
}

/** Sets each field; a null removes it (a card out of its group has no `groupId`). */
function fill(map: Y.Map<unknown>, fields: object): Y.Map<unknown> {
  for (const [field, value] of Object.entries(fields)) {
    if (value === null) map.delete(field);
    else if (value !== undefined) map.set(field, value);
  }
  return map;
}

/**
 * A plain copy of a board: what a phone shows is its replica with its own pending intents
 * applied to such a copy, through the very operations the server runs.
 */
export class PlainBoard implements BoardModel {
  private readonly cardsById: Map<string, Card>;
  private readonly groupsById: Map<string, Group>;
  private readonly used: Set<string>;

  constructor(
    cards: readonly Card[],
    groups: readonly Group[],
    private readonly boardMeta: BoardMeta,
  ) {
    this.cardsById = new Map(cards.map((card) => [card.id, card]));
    this.groupsById = new Map(groups.map((group) => [group.id, group]));
    this.used = new Set([...this.cardsById.keys(), ...this.groupsById.keys()]);
  }

  meta(): BoardMeta {
    return this.boardMeta;
  }

  card(id: string): Card | undefined {
    const card = this.cardsById.get(id);
    // As on the document: a card pointing at a group that is gone is loose.
    return card?.groupId && !this.groupsById.has(card.groupId) ? { ...card, groupId: null } : card;
  }

  group(id: string): Group | undefined {
    return this.groupsById.get(id);
  }

  cards(): Card[] {
    return [...this.cardsById.keys()].map((id) => this.card(id) as Card);
  }

  groups(): Group[] {
    return [...this.groupsById.values()];
  }

  cardCount(): number {
    return this.cardsById.size;
  }

  cardCountBy(authorId: string): number {
    let count = 0;
    for (const card of this.cardsById.values()) if (card.authorId === authorId) count++;
    return count;
  }

  groupCount(): number {
    return this.groupsById.size;
  }

  idUsed(id: string): boolean {
    return this.used.has(id);
  }

  isDraft(_id: string): boolean {
    return false;
  }

  apply(patch: PatchOp[]): void {
    for (const change of patch) {
      switch (change.op) {
        case 'card:put':
          this.cardsById.set(change.card.id, change.card);
          this.used.add(change.card.id);
          break;
        case 'card:set': {
          const card = this.cardsById.get(change.id);
          if (card) this.cardsById.set(change.id, { ...card, ...change.fields });
          break;
        }
        case 'card:remove':
          this.cardsById.delete(change.id);
          break;
        case 'group:put':
          this.groupsById.set(change.group.id, change.group);
          this.used.add(change.group.id);
          break;
        case 'group:set': {
          const group = this.groupsById.get(change.id);
          if (group) this.groupsById.set(change.id, { ...group, ...change.fields });
          break;
        }
        case 'group:remove':
          this.groupsById.delete(change.id);
          break;
      }
    }
  }
}

/** A card as typed fields; anything malformed is not a card (never shown, never exported). */
export function readCard(doc: Y.Doc, id: string, map: CardMap): Card | undefined {
  const kind = map.get('kind');
  const text = map.get('text');
  const x = map.get('x');
  const y = map.get('y');
  if (!isCardKind(kind) || !isValidStoredText(text) || !isCoordinate(x) || !isCoordinate(y)) {
    return undefined;
  }
  const groupId = map.get('groupId');
  const createdAt = map.get('createdAt');
  const area = map.get('area');
  return {
    id,
    kind,
    text: text as string,
    area: typeof area === 'string' ? area : '',
    x,
    y,
    authorId: String(map.get('authorId') ?? ''),
    site: String(map.get('site') ?? ''),
    enteredBy: String(map.get('enteredBy') ?? ''),
    createdAt: typeof createdAt === 'number' && Number.isFinite(createdAt) ? createdAt : 0,
    // A card left pointing at a dissolved group (concurrent edits) is simply loose.
    groupId: typeof groupId === 'string' && groupsRoot(doc).get(groupId) instanceof Y.Map ? groupId : null,
  };
}

export function readGroup(id: string, map: GroupMap): Group | undefined {
  const x = map.get('x');
  const y = map.get('y');
  if (!isCoordinate(x) || !isCoordinate(y)) return undefined;
  const title = map.get('title');
  const color = map.get('color');
  const area = map.get('area');
  const createdAt = map.get('createdAt');
  return {
    id,
    title: typeof title === 'string' ? title : '',
    area: typeof area === 'string' ? area : '',
    createdAt: typeof createdAt === 'number' && Number.isFinite(createdAt) ? createdAt : 0,
    x,
    y,
    color: typeof color === 'number' && Number.isInteger(color) && color >= 0 ? color % GROUP_COLORS : 0,
  };
}

/** Colours are picked in turn so neighbouring groups differ. */
export const GROUP_COLORS = 6;
