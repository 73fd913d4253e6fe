/**
 * What only one person's devices receive, over the control connection, never in the shared board
 * document: a participant's own drafts, ballot and (on an anonymous board) cards; the moderator's
 * facilitation view of every draft and of how many have voted (never what they voted for).
 */
import { CARD_KINDS } from '@kaptar/board';
import type { Static } from '@sinclair/typebox';
// A namespace import, as in http.ts, so that the phone's bundle keeps only the builders it calls.
import * as Type from '@sinclair/typebox';
import { Id } from './http.js';

/** A card waiting in silent collect, as its author and the moderator see it. */
export const DraftCard = Type.Object({
  id: Type.String(),
  kind: Type.Union(CARD_KINDS.map((kind) => Type.Literal(kind))),
  text: Type.String(),
  /** Empty on an anonymous board (the moderator's view), the author's own id in their view. */
  authorId: Type.String(),
  site: Type.String(),
  /** The moderator who typed it for a resident without a phone; '' or absent when its author did. */
  enteredBy: Type.Optional(Type.String()),
  area: Type.String(),
  x: Type.Number(),
  y: Type.Number(),
  createdAt: Type.Number(),
  groupId: Type.Null(),
});

/** A participant's private view of one board. */
export const PrivateView = Type.Object({
  boardId: Type.String(),
  /** This participant's cards waiting in silent collect. */
  drafts: Type.Array(DraftCard),
  /** card id -> this participant's votes on it (cards still on the board). */
  ballot: Type.Record(Type.String(), Type.Integer({ minimum: 1 })),
  /** Ids of this participant's cards on an anonymous board (the board shows no author). */
  ownCards: Type.Array(Type.String()),
});
export type PrivateView = Static<typeof PrivateView>;

/** The moderator's view of one board: every draft, and voting progress without a total. */
export const FacilitationView = Type.Object({
  boardId: Type.String(),
  drafts: Type.Array(DraftCard),
  /** How many participants have placed at least one vote ("9 of 14 have voted"). */
  voted: Type.Integer({ minimum: 0 }),
  /** Participants of the session who may vote. */
  voters: Type.Integer({ minimum: 0 }),
});
export type FacilitationView = Static<typeof FacilitationView>;

/** `onBehalfOf` (moderator): the view of a resident without a phone, whose paper votes the moderator enters. */
export const PrivateViewCommand = Type.Object(
  { boardId: Id, onBehalfOf: Type.Optional(Id) },
  { additionalProperties: false },
);
export type PrivateViewCommand = Static<typeof PrivateViewCommand>;
