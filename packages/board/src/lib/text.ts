/**
 * The text rule: one rule for every text a person types (session title, name, settlement, board
 * title, snapshot name, card text, group title). It lives here, beside the card rules, so the board
 * package checks card texts and group titles with it; @kaptar/protocol (which depends on this
 * package, never the other way round) re-exports it for the HTTP bodies and control commands.
 *
 * Silently normalised, because honest keyboards, phones and clipboards produce them and the text
 * reads the same afterwards:
 * - Unicode NFC: macOS and some phone keyboards send "á" as "a" + U+0301; stored composed, the same
 *   word compares, counts and sorts the same whoever typed it.
 * - a tab becomes a space (a title pasted from a spreadsheet).
 * - in card texts, CR LF, a lone CR and U+2028/U+2029 become one LF (pasted from Windows or Word).
 * - leading and trailing white space is trimmed.
 *
 * Refused, saying which character and why, because no keyboard types them, they are invisible,
 * and each breaks something downstream (silently dropping them would change what the author sent
 * without telling them; the refusal lets them see it and send it again):
 * - C0 controls (U+0000–U+001F but tab, LF, CR), DEL and the C1 controls (U+007F–U+009F): a NUL
 *   made the SVG picture invalid XML, and terminals and spreadsheets act on the others.
 * - bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they make a text display
 *   in another order than it reads ("Trojan Source"), e.g. a settlement's name shown reversed.
 * - lone surrogates: not characters at all; UTF-8 and XML cannot hold them.
 * - noncharacters (U+FDD0–U+FDEF and the last two code points of every plane, U+FFFE and U+FFFF
 *   among them): reserved for a program's internal use; U+FFFE/U+FFFF are not XML 1.0 characters.
 * - a line break in anything but a card text: titles, names and settlements are one line.
 *
 * Texts stored before the rule, and imported archives, cannot be refused: `cleanText` drops what
 * the rule refuses (a line break in a one-line text becomes a space) and normalises the rest.
 */

/** A card text may have several lines; every other text is one line. */
export type TextKind = 'line' | 'card';

export type TextCheck = { ok: true; text: string } | { ok: false; problem: string };

const NONCHARACTER_PLANES = Array.from(
  { length: 17 },
  (_, plane) =>
    `\\u{${(plane * 0x10000 + 0xfffe).toString(16)}}\\u{${(plane * 0x10000 + 0xffff).toString(16)}}`,
).join('');

/** Every code point the rule refuses in any text (line breaks are the caller's: see LINE_BREAK). */
const FORBIDDEN = new RegExp(
  `[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069\\uD800-\\uDFFF\\uFDD0-\\uFDEF${NONCHARACTER_PLANES}]`,
  'u',
);
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'gu');
/** Line breaks of every kind; a card text keeps them as LF. */
const LINE_BREAK = /\r\n?|[\n\u2028\u2029]/g;

const hex = (codePoint: number) => `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

/** What is wrong with one refused code point, as the end of a sentence naming the field. */
function problemOf(char: string): string {
  const codePoint = char.codePointAt(0) as number;
  const at = hex(codePoint);
  if (codePoint <= 0x9f) return `contains a control character (${at}); these are invisible and not allowed`;
  if ((codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069)) {
    return `contains a text-direction control character (${at}), which can make the text read differently than it was written`;
  }
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
    return `contains half of a character (a lone surrogate, ${at}); the text is not valid Unicode`;
  }
  return `contains a noncharacter (${at}), which is not allowed in text`;
}

/** NFC, tabs as spaces, line breaks as LF. */
function normalise(input: string): string {
  // NFC of a text with lone surrogates keeps them as they are (they are refused or dropped next).
  return input.normalize('NFC').replaceAll('\t', ' ').replace(LINE_BREAK, '\n');
}

/**
 * The rule for a text a person sent: the text to store (normalised and trimmed), or, in words,
 * what is wrong with it. Blank and length are each field's own checks, made on the text returned.
 */
export function checkText(input: string, kind: TextKind = 'line'): TextCheck {
  const normalised = normalise(input);
  // Checked before trimming: trim() would quietly take a vertical tab or form feed off the ends.
  const refused = FORBIDDEN.exec(normalised);
  if (refused) return { ok: false, problem: problemOf(refused[0]) };
  const text = normalised.trim();
  if (kind === 'line' && text.includes('\n')) {
    return { ok: false, problem: 'contains a line break; only card texts may have several lines' };
  }
  return { ok: true, text };
}

/** Whether a stored text is one the rule would store as it is. */
export function followsTextRule(text: string, kind: TextKind = 'line'): boolean {
  const checked = checkText(text, kind);
  return checked.ok && checked.text === text;
}

/** What stands for a text that held nothing but refused characters, so it does not turn blank. */
export const REPLACEMENT_TEXT = '\uFFFD';

/**
 * The rule applied to a text stored before it, or brought in by an archive: never refuses. What
 * the rule refuses is dropped (a line break in a one-line text becomes a space), the rest is
 * normalised and trimmed, and at most `max` characters (code points) are kept. A text that held
 * only refused characters becomes U+FFFD, so a card does not turn blank and vanish.
 */
export function cleanText(input: string, kind: TextKind = 'line', max = Number.POSITIVE_INFINITY): string {
  let text = normalise(input).replace(FORBIDDEN_ALL, '');
  if (kind === 'line') text = text.replaceAll('\n', ' ');
  text = text.trim();
  if (text === '' && input.trim() !== '') return REPLACEMENT_TEXT;
  const chars = [...text];
  return chars.length > max ? chars.slice(0, max).join('').trim() : text;
}

/** The text without any code point the rule refuses (what an export writes whatever it is given). */
export function withoutRefusedCharacters(text: string): string {
  return text.replace(FORBIDDEN_ALL, '');
}
