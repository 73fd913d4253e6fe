/** Typed card operations: the only way server and client change cards. */
import * as Y from 'yjs';
import { BoardError } from './errors.js';
import { newId } from './ids.js';
import { readMeta } from './meta.js';
import { assertMayAct, type BoardAction, type BoardRole } from './rules.js';
import { type Card, type CardMap, cardsRoot, groupsRoot, isCardKind, MAX_CARDS_PER_BOARD } from './schema.js';
import { checkCardKind, checkPosition, normalizeCardText } from './validation.js';

/** Who is acting. Moderators may change any card; participants only their own. */
export interface Actor {
  participantId: string;
  role: BoardRole;
}

/** What an author writes; id, author, time and group are set by the board. */
export type NewCard = Omit<Card, 'id' | 'createdAt' | 'groupId' | 'authorId'>;

export function addCard(doc: Y.Doc, actor: Actor, input: NewCard, now: number = Date.now()): Card {
  assertMayAct(actor.role, 'addCard', readMeta(doc));
  if (countCards(doc) >= MAX_CARDS_PER_BOARD) {
    throw new BoardError('board-full', `A board holds at most ${MAX_CARDS_PER_BOARD} cards`);
  }
  const card: Card = {
    id: newId(),
    kind: checkCardKind(input.kind),
    text: normalizeCardText(input.text),
    authorId: actor.participantId,
    site: input.site,
    x: input.x,
    y: input.y,
    createdAt: now,
    groupId: null,
  };
  checkPosition(card.x, card.y);
  doc.transact(() => {
    const map: CardMap = new Y.Map();
    for (const [field, value] of Object.entries(card)) {
      if (field !== 'id' && value !== null) map.set(field, value);
    }
    cardsRoot(doc).set(card.id, map);
  });
  return card;
}

export function editCard(doc: Y.Doc, actor: Actor, id: string, text: string): void {
  const map = writableCard(doc, actor, id, 'editCard');
  const normalized = normalizeCardText(text);
  doc.transact(() => map.set('text', normalized));
}

export function moveCard(doc: Y.Doc, actor: Actor, id: string, x: number, y: number): void {
  const map = writableCard(doc, actor, id, 'moveCard');
  checkPosition(x, y);
  doc.transact(() => {
    map.set('x', x);
    map.set('y', y);
  });
}

export function deleteCard(doc: Y.Doc, actor: Actor, id: string): void {
  writableCard(doc, actor, id, 'deleteCard');
  doc.transact(() => cardsRoot(doc).delete(id));
}

export function getCard(doc: Y.Doc, id: string): Card | undefined {
  const map = cardsRoot(doc).get(id);
  return map ? readCard(doc, id, map) : undefined;
}

/** How many cards the board holds (cheap: no reading of the cards). */
export function countCards(doc: Y.Doc): number {
  return cardsRoot(doc).size;
}

/** All well-formed cards, oldest first. Malformed entries are skipped, never shown. */
export function listCards(doc: Y.Doc): Card[] {
  const cards: Card[] = [];
  forEachCard(doc, (card) => cards.push(card));
  return cards.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** Visits every well-formed card in no particular order: cheaper than `listCards` for counting. */
export function forEachCard(doc: Y.Doc, visit: (card: Card) => void): void {
  cardsRoot(doc).forEach((map, id) => {
    const card = readCard(doc, id, map);
    if (card) visit(card);
  });
}

/** Whether the actor may change this card's text or position (authorship, not phase). */
export function canChangeCard(actor: Actor, card: Pick<Card, 'authorId'>): boolean {
  return (
    actor.role === 'moderator' || (actor.role === 'participant' && card.authorId === actor.participantId)
  );
}

/** Calls `onChange` with the full card list whenever any card or group changes; returns the unsubscribe. */
export function observeCards(doc: Y.Doc, onChange: (cards: Card[]) => void): () => void {
  const handler = () => onChange(listCards(doc));
  // Groups matter too: a dissolved group turns its cards back into loose cards.
  const roots = [cardsRoot(doc), groupsRoot(doc)];
  for (const root of roots) root.observeDeep(handler);
  return () => {
    for (const root of roots) root.unobserveDeep(handler);
  };
}

/**
 * Calls `onChange` with the ids of the cards each transaction added or changed (removed ones
 * are left out), and whether the change was made here. Unlike `observeCards` it reads nothing
 * else, so it stays cheap on a board of thousands of cards.
 */
export function observeChangedCards(
  doc: Y.Doc,
  onChange: (cardIds: string[], local: boolean) => void,
): () => void {
  const root = cardsRoot(doc);
  const handler = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction) => {
    const ids = new Set<string>();
    for (const event of events) {
      if (event.target !== root) ids.add(String(event.path[0]));
      else if (event instanceof Y.YMapEvent) {
        for (const key of event.keysChanged) if (root.has(key)) ids.add(key);
      }
    }
    if (ids.size > 0) onChange([...ids], transaction.local);
  };
  root.observeDeep(handler);
  return () => root.unobserveDeep(handler);
}

/** The card's Y.Map after the phase, lock and authorship checks. */
export function writableCard(doc: Y.Doc, actor: Actor, id: string, action: BoardAction): CardMap {
  assertMayAct(actor.role, action, readMeta(doc));
  const map = cardsRoot(doc).get(id);
  const card = map && readCard(doc, id, map);
  if (!map || !card) throw new BoardError('card-not-found', `No card ${id} on this board`);
  if (action !== 'group' && !canChangeCard(actor, card)) {
    throw new BoardError('not-author', 'Only the author or a moderator can change this card');
  }
  return map;
}

function readCard(doc: Y.Doc, id: string, map: CardMap): Card | undefined {
  const kind = map.get('kind');
  const text = map.get('text');
  const x = map.get('x');
  const y = map.get('y');
  if (!isCardKind(kind) || typeof text !== 'string' || typeof x !== 'number' || typeof y !== 'number') {
    return undefined;
  }
  const groupId = map.get('groupId');
  return {
    id,
    kind,
    text,
    x,
    y,
    authorId: String(map.get('authorId') ?? ''),
    site: String(map.get('site') ?? ''),
    createdAt: Number(map.get('createdAt') ?? 0),
    // A card left pointing at a dissolved group (concurrent edits) is simply loose.
    groupId: typeof groupId === 'string' && groupsRoot(doc).has(groupId) ? groupId : null,
  };
}
