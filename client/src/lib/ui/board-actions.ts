/**
 * What a person can do to cards and groups from either view (canvas or phone list). Each action
 * is an intent: checked at once against what this device shows (the board's own rules, so a
 * refusal is immediate and translated), then queued in the outbox for the server, which checks
 * it again and is the only one to write the board.
 */
import {
  applyIntent,
  BoardError,
  type BoardIntent,
  type CardKind,
  type IntentAuthor,
  MAX_CARD_TEXT,
  MAX_GROUP_TITLE,
  newId,
  suggestCardPosition,
} from '@kaptar/board';
import type { IntentErrorCode } from '@kaptar/protocol';
import { t } from '../i18n/index.svelte.js';
import type { BoardSync } from '../sync/board-sync.svelte.js';

/** A translated message if the board refused, else null. */
export type Refusal = string | null;

export function refusalText(code: IntentErrorCode): string {
  return t(`error.${code}`, { max: MAX_CARD_TEXT, maxTitle: MAX_GROUP_TITLE });
}

export interface BoardActions {
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

export function boardActions(sync: BoardSync, author: IntentAuthor): BoardActions {
  const at = (value: number) => Math.round(value);
  const act = (intent: BoardIntent): Refusal => {
    try {
      applyIntent(sync.view(), author, intent);
    } catch (error) {
      if (error instanceof BoardError) return refusalText(error.code);
      throw error;
    }
    sync.outbox.add({ id: newId(), ...intent });
    return null;
  };
  return {
    add: (kind, text) =>
      act({ type: 'card:add', cardId: newId(), kind, text, ...suggestCardPosition(sync.view(), kind) }),
    edit: (cardId, text) => act({ type: 'card:edit', cardId, text }),
    move: (cardId, x, y) => act({ type: 'card:move', cardId, x: at(x), y: at(y) }),
    remove: (cardId) => act({ type: 'card:delete', cardId }),
    groupWith: (cardId, targetId) => act({ type: 'card:group-with', cardId, targetId, groupId: newId() }),
    addToGroup: (cardId, groupId) => act({ type: 'card:join-group', cardId, groupId }),
    newGroup: (cardId) => act({ type: 'group:create', groupId: newId(), cardIds: [cardId], title: '' }),
    leaveGroup: (cardId, x, y) => act({ type: 'card:leave-group', cardId, x: at(x), y: at(y) }),
    renameGroup: (groupId, title) => act({ type: 'group:rename', groupId, title }),
    moveGroup: (groupId, x, y) => act({ type: 'group:move', groupId, x: at(x), y: at(y) }),
    dissolveGroup: (groupId) => act({ type: 'group:dissolve', groupId }),
  };
}
