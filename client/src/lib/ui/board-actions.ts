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
  type CardChoice,
  type IntentAuthor,
  MAX_CARD_TEXT,
  MAX_GROUP_TITLE,
  newId,
} from '@kaptar/board';
import type { IntentErrorCode } from '@kaptar/protocol';
import { t } from '../i18n/index.svelte.js';
import { type BoardSync, intentAuthor } from '../sync/board-sync.svelte.js';
import type { OnBehalf } from '../sync/outbox.svelte.js';

/** A translated message if the board refused, else null. */
export type Refusal = string | null;

export function refusalText(code: IntentErrorCode): string {
  return t(`error.${code}`, { max: MAX_CARD_TEXT, maxTitle: MAX_GROUP_TITLE });
}

export interface BoardActions {
  /**
   * A new card in the choice's area (CardChoice: the template's areas, or a kind): the resident's
   * when the moderator is entering for a resident without a phone.
   */
  add(choice: Pick<CardChoice, 'area' | 'kind'>, text: string): Refusal;
  edit(id: string, text: string): Refusal;
  /** Moves a loose card to another area. */
  move(id: string, area: string): Refusal;
  remove(id: string): Refusal;
  groupWith(draggedId: string, targetId: string): Refusal;
  addToGroup(cardId: string, groupId: string): Refusal;
  /** Starts a group holding the card; the phone asks for its title first ('' leaves it numbered). */
  newGroup(cardId: string, title: string): Refusal;
  leaveGroup(cardId: string, area: string): Refusal;
  renameGroup(groupId: string, title: string): Refusal;
  moveGroup(groupId: string, area: string): Refusal;
  dissolveGroup(groupId: string): Refusal;
}

/** `forResident`: the resident without a phone the moderator is entering for now, or null. */
export function boardActions(
  sync: BoardSync,
  author: IntentAuthor,
  forResident: () => OnBehalf | null = () => null,
): BoardActions {
  const act = (intent: BoardIntent, onBehalfOf?: OnBehalf): Refusal => {
    try {
      applyIntent(sync.view(), intentAuthor(author, onBehalfOf), intent);
    } catch (error) {
      if (error instanceof BoardError) return refusalText(error.code);
      throw error;
    }
    sync.outbox.add({ id: newId(), ...intent }, onBehalfOf);
    return null;
  };
  return {
    add: ({ area, kind }, text) =>
      act({ type: 'card:add', cardId: newId(), kind, text, area }, forResident() ?? undefined),
    edit: (cardId, text) => act({ type: 'card:edit', cardId, text }),
    move: (cardId, area) => act({ type: 'card:move', cardId, area }),
    remove: (cardId) => act({ type: 'card:delete', cardId }),
    groupWith: (cardId, targetId) => act({ type: 'card:group-with', cardId, targetId, groupId: newId() }),
    addToGroup: (cardId, groupId) => act({ type: 'card:join-group', cardId, groupId }),
    newGroup: (cardId, title) => act({ type: 'group:create', groupId: newId(), cardIds: [cardId], title }),
    leaveGroup: (cardId, area) => act({ type: 'card:leave-group', cardId, area }),
    renameGroup: (groupId, title) => act({ type: 'group:rename', groupId, title }),
    moveGroup: (groupId, area) => act({ type: 'group:move', groupId, area }),
    dissolveGroup: (groupId) => act({ type: 'group:dissolve', groupId }),
  };
}
