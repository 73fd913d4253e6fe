/**
 * What a person can do to cards and groups from either view (canvas or
 * phone list), with the board's refusals turned into translated messages.
 */
import * as board from '@kaptar/board';
import { type Actor, BoardError, type CardKind, MAX_CARD_TEXT, MAX_GROUP_TITLE } from '@kaptar/board';
import type * as Y from 'yjs';
import { t } from '../i18n/index.svelte.js';

/** A translated message if the board refused, else null. */
export type Refusal = string | null;

/** Runs a board operation; returns a translated message if the board refused it. */
function attempt(operation: () => unknown): Refusal {
  try {
    operation();
    return null;
  } catch (error) {
    if (error instanceof BoardError)
      return t(`error.${error.code}`, { max: MAX_CARD_TEXT, maxTitle: MAX_GROUP_TITLE });
    throw error;
  }
}

export interface BoardActions {
  actor: Actor;
  add(kind: CardKind, text: string): Refusal;
  edit(id: string, text: string): Refusal;
  move(id: string, x: number, y: number): Refusal;
  remove(id: string): Refusal;
  groupWith(draggedId: string, targetId: string): Refusal;
  addToGroup(cardId: string, groupId: string): Refusal;
  newGroup(cardId: string): Refusal;
  leaveGroup(cardId: string, x: number, y: number): Refusal;
  renameGroup(groupId: string, title: string): Refusal;
  moveGroup(groupId: string, x: number, y: number): Refusal;
  dissolveGroup(groupId: string): Refusal;
}

export function boardActions(doc: Y.Doc, actor: Actor, site: string): BoardActions {
  const at = (value: number) => Math.round(value);
  return {
    actor,
    add: (kind, text) =>
      attempt(() => board.addCard(doc, actor, { kind, text, site, ...board.suggestCardPosition(doc, kind) })),
    edit: (id, text) => attempt(() => board.editCard(doc, actor, id, text)),
    move: (id, x, y) => attempt(() => board.moveCard(doc, actor, id, at(x), at(y))),
    remove: (id) => attempt(() => board.deleteCard(doc, actor, id)),
    groupWith: (draggedId, targetId) => attempt(() => board.groupWith(doc, actor, draggedId, targetId)),
    addToGroup: (cardId, groupId) => attempt(() => board.addToGroup(doc, actor, cardId, groupId)),
    newGroup: (cardId) => attempt(() => board.createGroup(doc, actor, [cardId])),
    leaveGroup: (cardId, x, y) => attempt(() => board.removeFromGroup(doc, actor, cardId, at(x), at(y))),
    renameGroup: (groupId, title) => attempt(() => board.renameGroup(doc, actor, groupId, title)),
    moveGroup: (groupId, x, y) => attempt(() => board.moveGroup(doc, actor, groupId, at(x), at(y))),
    dissolveGroup: (groupId) => attempt(() => board.dissolveGroup(doc, actor, groupId)),
  };
}
