/**
 * Intents: the small typed commands a device sends instead of writing the board. The server
 * runs each through the operations of this package against its own document; a phone runs its
 * pending ones against a plain copy of its replica to show them before the server answers.
 * Ids of new cards and groups are made by the sending device, so an offline card keeps its id.
 */
import { type Actor, addCard, deleteCard, editCard, moveCard } from './cards.js';
import { BoardError } from './errors.js';
import {
  addToGroup,
  createGroup,
  dissolveGroup,
  groupWith,
  moveGroup,
  removeFromGroup,
  renameGroup,
} from './groups.js';
import { type BoardTarget, modelOf } from './model.js';
import type { CardKind } from './schema.js';
import { areaOf, findTemplate } from './templates.js';
import { checkPosition } from './validation.js';

/**
 * Where a card or group goes: an area of the board's template. Devices of earlier versions
 * (outboxes kept offline across an update) send a position instead, which the board maps to
 * the area it falls in.
 */
export interface AreaTarget {
  area?: string;
  x?: number;
  y?: number;
}

export type BoardIntent =
  | ({ type: 'card:add'; cardId: string; kind: CardKind; text: string } & AreaTarget)
  | { type: 'card:edit'; cardId: string; text: string }
  | ({ type: 'card:move'; cardId: string } & AreaTarget)
  | { type: 'card:delete'; cardId: string }
  /** Drop a card on another: join its group, or start `groupId` with both. */
  | { type: 'card:group-with'; cardId: string; targetId: string; groupId: string }
  | { type: 'card:join-group'; cardId: string; groupId: string }
  | ({ type: 'card:leave-group'; cardId: string } & AreaTarget)
  | { type: 'group:create'; groupId: string; cardIds: string[]; title: string }
  | { type: 'group:rename'; groupId: string; title: string }
  | ({ type: 'group:move'; groupId: string } & AreaTarget)
  | { type: 'group:dissolve'; groupId: string };

export type IntentType = BoardIntent['type'];

/** The cards and groups an intent names: an intent on a card depends on the intent that made it. */
export function intentSubjects(intent: BoardIntent): string[] {
  switch (intent.type) {
    case 'card:group-with':
      return [intent.cardId, intent.targetId, intent.groupId];
    case 'card:join-group':
      return [intent.cardId, intent.groupId];
    case 'group:create':
      return [intent.groupId, ...intent.cardIds];
    default:
      return 'cardId' in intent ? [intent.cardId] : [intent.groupId];
  }
}

/** Who sends the intent, from where (a new card carries its author's settlement), and when. */
export interface IntentAuthor {
  actor: Actor;
  site: string;
  /**
   * The settlement a card carries on an anonymous board (`anonymousCardSite`): empty when not
   * given, so a card that waited while the board turned anonymous shows none.
   */
  anonymousSite?: string;
  /**
   * The moderator's participant id when the actor is a resident without a phone whose cards the
   * moderator types (Card.enteredBy); absent when the actor acts for themselves.
   */
  enteredBy?: string;
}

/** Applies the intent to the board, or throws the BoardError that refuses it (nothing written). */
export function applyIntent(
  board: BoardTarget,
  { actor, site, anonymousSite = '', enteredBy = '' }: IntentAuthor,
  intent: BoardIntent,
  now: number = Date.now(),
): void {
  switch (intent.type) {
    case 'card:add': {
      const { cardId: id, kind, text, area, x, y } = intent;
      // Read when the card is applied: the board may have turned anonymous while it waited. An
      // anonymous board's card names nobody, not even who typed it: the resident's settlement
      // may be the only one of its kind, and "entered by the moderator" singles out the elderly.
      const anonymous = modelOf(board).meta().anonymous;
      const card = { id, kind, text, area, x, y, site: anonymous ? anonymousSite : site };
      addCard(board, actor, { ...card, enteredBy: anonymous ? '' : enteredBy }, now);
      return;
    }
    case 'card:edit':
      editCard(board, actor, intent.cardId, intent.text);
      return;
    case 'card:move':
      moveCard(board, actor, intent.cardId, targetArea(board, intent.cardId, intent));
      return;
    case 'card:delete':
      deleteCard(board, actor, intent.cardId);
      return;
    case 'card:group-with':
      groupWith(board, actor, intent.cardId, intent.targetId, intent.groupId, now);
      return;
    case 'card:join-group':
      addToGroup(board, actor, intent.cardId, intent.groupId);
      return;
    case 'card:leave-group':
      removeFromGroup(board, actor, intent.cardId, targetArea(board, intent.cardId, intent));
      return;
    case 'group:create':
      createGroup(board, actor, intent.cardIds, intent.title, intent.groupId, now);
      return;
    case 'group:rename':
      renameGroup(board, actor, intent.groupId, intent.title);
      return;
    case 'group:move':
      moveGroup(board, actor, intent.groupId, targetArea(board, intent.groupId, intent));
      return;
    case 'group:dissolve':
      dissolveGroup(board, actor, intent.groupId);
      return;
  }
}

/** The area an intent names, or the one its position (from an earlier version) falls in. */
function targetArea(board: BoardTarget, subject: string, target: AreaTarget): string {
  const { area, x, y } = target;
  if (area !== undefined) return area;
  if (x === undefined || y === undefined) throw new BoardError('invalid-area', 'The intent names no area');
  checkPosition(x, y);
  const model = modelOf(board);
  const item = model.card(subject) ?? model.group(subject);
  return areaOf(findTemplate(model.meta().template), {
    kind: item && 'kind' in item ? item.kind : undefined,
    x,
    y,
  });
}
