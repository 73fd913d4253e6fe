/**
 * The text rule on the wire. The rule itself (which characters are refused, which normalised, and
 * why) is written once, in @kaptar/board's text.ts, where the board's own checks of card texts and
 * group titles use it too (this package depends on the board package, never the other way round).
 * Here: the people's texts of the HTTP bodies and control commands, each with its limit, and the
 * one check every route and command makes of them.
 */
import { checkText } from '@kaptar/board';
import { LIMITS } from './limits.js';

export { checkText, cleanText, type TextCheck, type TextKind } from '@kaptar/board';

/** Every one-line text a person types outside a board (card texts and group titles are the board's). */
export const TEXT_FIELDS = {
  sessionTitle: { label: 'The session title', max: LIMITS.sessionTitle, required: true },
  displayName: { label: 'The name', max: LIMITS.displayName, required: true },
  siteName: { label: 'The settlement', max: LIMITS.siteName, required: true },
  boardTitle: { label: 'The board title', max: LIMITS.boardTitle, required: false },
  snapshotName: { label: 'The snapshot name', max: LIMITS.snapshotName, required: true },
} as const;
export type TextField = keyof typeof TEXT_FIELDS;

export type FieldCheck = { ok: true; text: string } | { ok: false; error: string };

/**
 * A person's text for `field`, through the text rule: the text to store (NFC, trimmed), or one
 * sentence saying what is wrong. The length is counted in characters (code points) after normalising.
 */
export function checkField(field: TextField, value: string): FieldCheck {
  const { label, max, required } = TEXT_FIELDS[field];
  const checked = checkText(value, 'line');
  if (!checked.ok) return { ok: false, error: `${label} ${checked.problem}.` };
  if (required && checked.text === '') return { ok: false, error: `${label} is empty.` };
  if ([...checked.text].length > max) {
    return { ok: false, error: `${label} is longer than ${max} characters.` };
  }
  return checked;
}
