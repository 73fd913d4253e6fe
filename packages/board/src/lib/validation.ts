/**
 * The card invariants, in one place: the typed operations check what they write with them, and
 * the typed reads skip whatever breaks them (a board of an earlier version, an archive).
 */
import { BoardError } from './errors.js';
import { type CardKind, isCardKind, MAX_CARD_TEXT, MAX_COORDINATE } from './schema.js';

/** Trims and checks card text; returns the text to store. */
export function normalizeCardText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new BoardError('text-empty', 'Card text is empty');
  if ([...trimmed].length > MAX_CARD_TEXT) {
    throw new BoardError('text-too-long', `Card text is longer than ${MAX_CARD_TEXT} characters`);
  }
  return trimmed;
}

export function checkCardKind(kind: unknown): CardKind {
  if (!isCardKind(kind)) throw new BoardError('invalid-kind', `Unknown card kind: ${String(kind)}`);
  return kind;
}

export function checkPosition(x: number, y: number): void {
  if (!isCoordinate(x) || !isCoordinate(y)) {
    throw new BoardError('invalid-position', `Positions are numbers within ±${MAX_COORDINATE}`);
  }
}

export function isCoordinate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_COORDINATE;
}

/** Whether a stored text value respects the invariants (used on incoming updates). */
export function isValidStoredText(value: unknown): boolean {
  return typeof value === 'string' && value.trim().length > 0 && [...value].length <= MAX_CARD_TEXT;
}
