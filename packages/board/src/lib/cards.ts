/**
 * Typed card operations: the only way server and client change cards. Each reads the board
 * model, checks the rules, then writes one patch: on the server's document (an intent), or on
 * a phone's plain copy (the intent drawn before the server has answered).
 */
import * as Y from 'yjs';
import { BoardError } from './errors.js';
import { newId } from './ids.js';
import { type BoardModel, type BoardTarget, modelOf } from './model.js';
import { assertMayAct, type BoardAction, type BoardRole } from './rules.js';
import {
  type Card,
  cardsRoot,
  groupsRoot,
  MAX_CARDS_PER_BOARD,
  MAX_CARDS_PER_PARTICIPANT,
} from './schema.js';
import { areaKind, areaOf, findTemplate, kindInArea } from './templates.js';
import { checkArea, checkCardKind, checkPosition, normalizeCardText } from './validation.js';

/** Who is acting. Moderators may change any card; participants only their own. */
export interface Actor {
  participantId: string;
  role: BoardRole;
}

/**
 * What an author writes; author, time and group are set by the board. The id is made by the
 * author's device (random, so an offline card keeps it), or here when none is given. Without an
 * area (a device of an earlier version) the card goes to the area its position falls in, else
 * the first of its kind (`areaOf`).
 */
export type NewCard = Omit<
  Card,
  'id' | 'createdAt' | 'groupId' | 'authorId' | 'enteredBy' | 'area' | 'x' | 'y'
> & {
  id?: string;
  area?: string;
  x?: number;
  y?: number;
  /** The moderator who types it for the actor, a resident without a phone (Card.enteredBy). */
  enteredBy?: string;
};

export function addCard(target: BoardTarget, actor: Actor, input: NewCard, now: number = Date.now()): Card {
  const board = modelOf(target);
  assertMayAct(actor.role, 'addCard', board.meta());
  if (board.cardCount() >= MAX_CARDS_PER_BOARD) {
    throw new BoardError('board-full', `A board holds at most ${MAX_CARDS_PER_BOARD} cards`);
  }
  if (actor.role !== 'moderator' && board.cardCountBy(actor.participantId) >= MAX_CARDS_PER_PARTICIPANT) {
    throw new BoardError('quota-exceeded', `One person may add at most ${MAX_CARDS_PER_PARTICIPANT} cards`);
  }
  const id = input.id ?? newId();
  if (board.idUsed(id)) throw new BoardError('id-taken', 'This card id is already used on the board');
  const { x = 0, y = 0 } = input;
  checkPosition(x, y);
  const template = findTemplate(board.meta().template);
  const area =
    input.area === undefined ? areaOf(template, { kind: input.kind, x, y }) : checkArea(template, input.area);
  const card: Card = {
    id,
    kind: kindInArea(template, area, checkCardKind(input.kind)),
    text: normalizeCardText(input.text),
    authorId: actor.participantId,
    site: input.site,
    enteredBy: input.enteredBy ?? '',
    area,
    x,
    y,
    createdAt: now,
    groupId: null,
  };
  // In silent collect a participant's card waits, private, until the moderator reveals them all.
  const draft = board.meta().silentCollect && actor.role === 'participant';
  board.apply([draft ? { op: 'card:put', card, draft } : { op: 'card:put', card }]);
  return card;
}

export function editCard(target: BoardTarget, actor: Actor, id: string, text: string): void {
  const board = modelOf(target);
  writableCard(board, actor, id, 'editCard');
  board.apply([{ op: 'card:set', id, fields: { text: normalizeCardText(text) } }]);
}

/**
 * Moves a loose card to another area of the board (a card in a group moves with its group); an
 * area of one kind makes it that kind (the problems and resources map: moved is reclassified).
 */
export function moveCard(target: BoardTarget, actor: Actor, id: string, area: string): void {
  const board = modelOf(target);
  const card = writableCard(board, actor, id, 'moveCard');
  const template = findTemplate(board.meta().template);
  const to = checkArea(template, area);
  board.apply([{ op: 'card:set', id, fields: { area: to, kind: areaKind(template, to) ?? card.kind } }]);
}

export function deleteCard(target: BoardTarget, actor: Actor, id: string): void {
  const board = modelOf(target);
  writableCard(board, actor, id, 'deleteCard');
  board.apply([{ op: 'card:remove', id }]);
}

export function getCard(doc: Y.Doc, id: string): Card | undefined {
  return modelOf(doc).card(id);
}

/** All well-formed cards, oldest first. Malformed entries are skipped, never shown. */
export function listCards(doc: Y.Doc): Card[] {
  return modelOf(doc)
    .cards()
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** Visits every well-formed card in no particular order: cheaper than `listCards` for counting. */
export function forEachCard(doc: Y.Doc, visit: (card: Card) => void): void {
  for (const card of modelOf(doc).cards()) visit(card);
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

/** The card after the phase, lock and authorship checks. */
export function writableCard(board: BoardModel, actor: Actor, id: string, action: BoardAction): Card {
  assertMayAct(actor.role, action, board.meta());
  const card = board.card(id);
  if (!card) throw new BoardError('card-not-found', `No card ${id} on this board`);
  if (action !== 'group' && !canChangeCard(actor, card)) {
    throw new BoardError('not-author', 'Only the author or a moderator can change this card');
  }
  return card;
}
