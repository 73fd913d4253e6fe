/** Typed card operations: the only way server and client change cards. */
import * as Y from 'yjs';
import { BoardError } from './errors.js';
import { newCardId } from './ids.js';
import { type Card, type CardMap, cardsRoot, isCardKind } from './schema.js';
import { checkCardKind, checkPosition, normalizeCardText } from './validation.js';

/** Who is acting. Moderators may change any card; participants only their own. */
export interface Actor {
  participantId: string;
  isModerator: boolean;
}

/** What an author writes; the id and time are added by `addCard`. */
export type NewCard = Omit<Card, 'id' | 'createdAt'>;

export function addCard(doc: Y.Doc, input: NewCard, now: number = Date.now()): Card {
  const card: Card = {
    id: newCardId(),
    kind: checkCardKind(input.kind),
    text: normalizeCardText(input.text),
    authorId: input.authorId,
    site: input.site,
    x: input.x,
    y: input.y,
    createdAt: now,
  };
  checkPosition(card.x, card.y);
  doc.transact(() => {
    const map: CardMap = new Y.Map();
    for (const [field, value] of Object.entries(card)) {
      if (field !== 'id') map.set(field, value);
    }
    cardsRoot(doc).set(card.id, map);
  });
  return card;
}

export function editCard(doc: Y.Doc, actor: Actor, id: string, text: string): void {
  const map = writableCard(doc, actor, id);
  const normalized = normalizeCardText(text);
  doc.transact(() => map.set('text', normalized));
}

export function moveCard(doc: Y.Doc, actor: Actor, id: string, x: number, y: number): void {
  const map = writableCard(doc, actor, id);
  checkPosition(x, y);
  doc.transact(() => {
    map.set('x', x);
    map.set('y', y);
  });
}

export function deleteCard(doc: Y.Doc, actor: Actor, id: string): void {
  writableCard(doc, actor, id);
  doc.transact(() => cardsRoot(doc).delete(id));
}

export function getCard(doc: Y.Doc, id: string): Card | undefined {
  const map = cardsRoot(doc).get(id);
  return map ? readCard(id, map) : undefined;
}

/** All well-formed cards, oldest first. Malformed entries are skipped, never shown. */
export function listCards(doc: Y.Doc): Card[] {
  const cards: Card[] = [];
  cardsRoot(doc).forEach((map, id) => {
    const card = readCard(id, map);
    if (card) cards.push(card);
  });
  return cards.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

export function canChangeCard(actor: Actor, card: Pick<Card, 'authorId'>): boolean {
  return actor.isModerator || card.authorId === actor.participantId;
}

/** Calls `onChange` with the full card list whenever any card changes; returns the unsubscribe. */
export function observeCards(doc: Y.Doc, onChange: (cards: Card[]) => void): () => void {
  const root = cardsRoot(doc);
  const handler = () => onChange(listCards(doc));
  root.observeDeep(handler);
  return () => root.unobserveDeep(handler);
}

function writableCard(doc: Y.Doc, actor: Actor, id: string): CardMap {
  const map = cardsRoot(doc).get(id);
  const card = map && readCard(id, map);
  if (!map || !card) throw new BoardError('card-not-found', `No card ${id} on this board`);
  if (!canChangeCard(actor, card)) {
    throw new BoardError('not-author', 'Only the author or a moderator can change this card');
  }
  return map;
}

function readCard(id: string, map: CardMap): Card | undefined {
  const kind = map.get('kind');
  const text = map.get('text');
  const x = map.get('x');
  const y = map.get('y');
  if (!isCardKind(kind) || typeof text !== 'string' || typeof x !== 'number' || typeof y !== 'number') {
    return undefined;
  }
  return {
    id,
    kind,
    text,
    x,
    y,
    authorId: String(map.get('authorId') ?? ''),
    site: String(map.get('site') ?? ''),
    createdAt: Number(map.get('createdAt') ?? 0),
  };
}
