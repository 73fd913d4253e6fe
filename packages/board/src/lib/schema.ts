/**
 * The board's Y.Doc schema: root names, field names and the card model.
 * This file is the only place that knows how a board is laid out in Yjs;
 * everything else goes through the operations in this package.
 */
import type * as Y from 'yjs';

export const CARD_KINDS = ['problem', 'resource'] as const;
export type CardKind = (typeof CARD_KINDS)[number];

/** Plain text only; long enough for a sentence, short enough to read on a projector. */
export const MAX_CARD_TEXT = 280;

export interface Card {
  id: string;
  kind: CardKind;
  text: string;
  authorId: string;
  /** The settlement the author joined from. */
  site: string;
  x: number;
  y: number;
  /** Milliseconds since the epoch, from the author's clock. */
  createdAt: number;
}

/** Root names of the board document. Part of the public API (see README). */
export const ROOT = {
  cards: 'cards',
} as const;

/** Keys of a card's Y.Map: the card fields without the id (the id is the map key). */
export type CardField = Exclude<keyof Card, 'id'>;

/** A card as it lives in Yjs: one Y.Map per card so fields merge independently. */
export type CardMap = Y.Map<Card[CardField]>;

export function cardsRoot(doc: Y.Doc): Y.Map<CardMap> {
  return doc.getMap<CardMap>(ROOT.cards);
}

export function isCardKind(value: unknown): value is CardKind {
  return typeof value === 'string' && (CARD_KINDS as readonly string[]).includes(value);
}
