/** Shared fixtures for this package's tests. */
import * as Y from 'yjs';
import { type Actor, addCard, type NewCard } from './cards.js';
import { BoardError } from './errors.js';
import { PrivateState } from './private-state.js';
import type { CardKind } from './schema.js';
import { ServerBoard } from './server-board.js';

export const anna: Actor = { participantId: 'anna', role: 'participant' };
export const bela: Actor = { participantId: 'bela', role: 'participant' };
export const moderator: Actor = { participantId: 'mod', role: 'moderator' };
export const viewer: Actor = { participantId: 'projector', role: 'viewer' };

export function newCard(overrides: Partial<NewCard> = {}): NewCard {
  return { kind: 'problem', text: 'Nincs buszjárat', site: 'Alsóváros', x: 10, y: 20, ...overrides };
}

/** A board with one card per text, written by `author`. */
export function boardWith(texts: string[], author: Actor = anna, kind: CardKind = 'problem') {
  const doc = new Y.Doc();
  const ids = texts.map((text) => addCard(doc, author, newCard({ text, kind })).id);
  return { doc, ids };
}

/** The board as the server holds it: the document and its private state. */
export function serverBoard(doc: Y.Doc = new Y.Doc()): ServerBoard {
  return new ServerBoard(doc, new PrivateState());
}

/** The BoardError code an operation fails with, or undefined if it succeeds. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof BoardError) return error.code;
    throw error;
  }
  return undefined;
}
