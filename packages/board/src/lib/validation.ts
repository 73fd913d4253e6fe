/**
 * The card invariants, in one place: the typed operations check what they write with them, and
 * the typed reads skip whatever breaks them (a board of an earlier version, an archive).
 */
import { BoardError } from './errors.js';
import { type CardKind, isCardKind, MAX_CARD_TEXT, MAX_COORDINATE } from './schema.js';
import type { BoardTemplate } from './templates.js';
import { checkText, type TextKind } from './text.js';

/** A text through the text rule (text.ts): the text to store, or a `text-invalid` refusal naming `what`. */
export function checkedText(text: string, kind: TextKind, what: string): string {
  const checked = checkText(text, kind);
  if (!checked.ok) throw new BoardError('text-invalid', `${what} ${checked.problem}`);
  return checked.text;
}

/** Normalises, trims and checks card text; returns the text to store. */
export function normalizeCardText(text: string): string {
  const trimmed = checkedText(text, 'card', 'The card text');
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

/** The area id when the board's template has it ('' on a template without areas). */
export function checkArea(template: BoardTemplate | undefined, area: string): string {
  const areas = template?.areas ?? [];
  if (areas.length === 0 ? area === '' : areas.some((a) => a.id === area)) return area;
  throw new BoardError('invalid-area', `This board has no area ${area}`);
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
