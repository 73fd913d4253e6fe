/**
 * What a person can do to cards from either view (canvas or phone list),
 * with the board's refusals turned into translated messages.
 */
import {
  type Actor,
  addCard,
  BoardError,
  type CardKind,
  deleteCard,
  editCard,
  MAX_CARD_TEXT,
  moveCard,
  suggestCardPosition,
} from '@kaptar/board';
import type * as Y from 'yjs';
import { t } from '../i18n/index.svelte.js';

/** Runs a board operation; returns a translated message if the board refused it. */
function attempt(operation: () => void): string | null {
  try {
    operation();
    return null;
  } catch (error) {
    if (error instanceof BoardError) return t(`error.${error.code}`, { max: MAX_CARD_TEXT });
    throw error;
  }
}

export interface BoardActions {
  actor: Actor;
  add(kind: CardKind, text: string): string | null;
  edit(id: string, text: string): string | null;
  move(id: string, x: number, y: number): string | null;
  remove(id: string): string | null;
}

export function boardActions(doc: Y.Doc, actor: Actor, site: string): BoardActions {
  return {
    actor,
    add: (kind, text) =>
      attempt(() => {
        addCard(doc, { kind, text, authorId: actor.participantId, site, ...suggestCardPosition(doc, kind) });
      }),
    edit: (id, text) => attempt(() => editCard(doc, actor, id, text)),
    move: (id, x, y) => attempt(() => moveCard(doc, actor, id, Math.round(x), Math.round(y))),
    remove: (id) => attempt(() => deleteCard(doc, actor, id)),
  };
}
