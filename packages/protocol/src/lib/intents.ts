/**
 * Intents on the control plane: the only way a device changes a board's cards and groups.
 * `socket.emit('intents', {boardId, intents}, ack)`: a batch (an outbox replayed after a day
 * offline is one), checked and applied in order, one result per intent in the ack. The board's
 * rules live in @kaptar/board; this file holds their payload schemas and the result codes.
 */
import {
  type BoardErrorCode,
  type BoardIntent,
  CARD_KINDS,
  MAX_CARD_TEXT,
  MAX_COORDINATE,
  MAX_GROUP_TITLE,
} from '@kaptar/board';
import type { Static, TSchema } from '@sinclair/typebox';
// A namespace import, as in http.ts, so that the phone's bundle keeps only the builders it calls.
import * as Type from '@sinclair/typebox';
import { Id } from './http.js';
import { MAX_CONTROL_MESSAGE_BYTES } from './limits.js';

/** Intents in one batch: a phone's outbox after a long time offline goes in a few batches. */
export const MAX_INTENTS_PER_BATCH = 50;

/**
 * Bytes (JSON, UTF-8) of intents a device puts in one batch: well under the control plane's
 * message limit, so that 50 cards of 280 emoji with long ids go in two batches instead of one that
 * the server would drop unanswered, again and again.
 */
export const MAX_INTENT_BATCH_BYTES = (MAX_CONTROL_MESSAGE_BYTES * 3) / 4;

/** Intents one participant may send per minute on a board, and the burst (an outbox replay). */
export const INTENT_RATE = { perMinute: 240, burst: 100 } as const;

export const Coordinate = Type.Number({ minimum: -MAX_COORDINATE, maximum: MAX_COORDINATE });
export const CardText = Type.String({ minLength: 1, maxLength: MAX_CARD_TEXT * 2 });
export const GroupTitle = Type.String({ maxLength: MAX_GROUP_TITLE * 2 });
/** A template area's id ('' on a board without areas); the board checks it names one. */
export const AreaId = Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_-]*$' });

/**
 * Where a card or group goes: `{area}`; `{x, y}` only from devices of API version 3 and before
 * (an outbox kept offline across the update), mapped by the board to the area it falls in.
 */
const AREA_OR_POSITION = {
  area: Type.Optional(AreaId),
  x: Type.Optional(Coordinate),
  y: Type.Optional(Coordinate),
};

const intent = <T extends string, P extends Record<string, TSchema>>(type: T, payload: P) =>
  Type.Object({ id: Id, type: Type.Literal(type), ...payload }, { additionalProperties: false });

/** Text limits are in characters (code points), checked by the board; the schema caps UTF-16 units at twice that. */
export const Intent = Type.Union([
  intent('card:add', {
    cardId: Id,
    kind: Type.Union(CARD_KINDS.map((kind) => Type.Literal(kind))),
    text: CardText,
    ...AREA_OR_POSITION,
  }),
  intent('card:edit', { cardId: Id, text: CardText }),
  intent('card:move', { cardId: Id, ...AREA_OR_POSITION }),
  intent('card:delete', { cardId: Id }),
  intent('card:group-with', { cardId: Id, targetId: Id, groupId: Id }),
  intent('card:join-group', { cardId: Id, groupId: Id }),
  intent('card:leave-group', { cardId: Id, ...AREA_OR_POSITION }),
  intent('group:create', {
    groupId: Id,
    cardIds: Type.Array(Id, { minItems: 1, maxItems: 50, uniqueItems: true }),
    title: GroupTitle,
  }),
  intent('group:rename', { groupId: Id, title: GroupTitle }),
  intent('group:move', { groupId: Id, ...AREA_OR_POSITION }),
  intent('group:dissolve', { groupId: Id }),
]);
/** An intent with the id its device gave it (random; a replay carries the same id). */
export type Intent = Static<typeof Intent>;

/** The intent without its id: what the board applies. */
export type IntentBody<T = Intent> = T extends unknown ? Omit<T, 'id'> : never;

/** Every intent the wire carries is one the board knows, field for field (checked by tsc). */
export function intentBody(intent: Intent): BoardIntent {
  const { id: _id, ...body } = intent;
  return body satisfies IntentBody;
}

export const IntentBatch = Type.Object(
  {
    boardId: Id,
    intents: Type.Array(Intent, { minItems: 1, maxItems: MAX_INTENTS_PER_BATCH }),
    /** Moderator: the cards of a resident without a phone, entered for them (OnBehalfOf). */
    onBehalfOf: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type IntentBatch = Static<typeof IntentBatch>;

/**
 * Refusals that pass: the device keeps the intent and sends it again later, with the same id.
 * Every other refusal is final (the board's rule codes, BoardErrorCode, and the ones below): the
 * device shows it to the author, who may change and send again (a new intent) or discard.
 */
export const RETRYABLE_INTENT_ERRORS = ['rate-limited', 'storage-unavailable', 'unavailable'] as const;

export type IntentErrorCode =
  | BoardErrorCode
  | 'invalid-payload'
  | 'forbidden'
  | 'unknown-board'
  // The session holds the storage a session may take (KAPTAR_SESSION_STORAGE_MB): nothing more is saved.
  | 'session-full'
  // The moderator closed the session for writing.
  | 'session-closed'
  // `onBehalfOf` names nobody the moderator added as a resident without a phone.
  | 'not-a-resident'
  | (typeof RETRYABLE_INTENT_ERRORS)[number];

/**
 * Where the intent's effect is in the board's history: the server's Yjs client id and its clock
 * after the change. A replica holds the effect once its state vector reaches it; the ack and the
 * update travel on different sockets and may arrive in either order.
 */
export const IntentEffect = Type.Object({ client: Type.Integer(), clock: Type.Integer() });
export type IntentEffect = Static<typeof IntentEffect>;

export type IntentResult =
  | { id: string; ok: true; effect: IntentEffect }
  | { id: string; ok: false; code: IntentErrorCode; error: string; final: boolean };

export function isFinalIntentError(code: string): boolean {
  return !(RETRYABLE_INTENT_ERRORS as readonly string[]).includes(code);
}
