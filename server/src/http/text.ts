/** People's texts in request bodies: each through the text rule (@kaptar/protocol's text.ts). */
import { checkField, type TextField } from '@kaptar/protocol';

/** A text the rule refuses: answered 400 `{error}` with what is wrong (errors.ts turns it into one). */
export class TextRefusedError extends Error {
  readonly statusCode = 400;
  readonly replyCode = 'text-invalid';
}

/** The text to store for `field` (normalised, trimmed), or a TextRefusedError saying what is wrong. */
export function bodyText(field: TextField, value: string): string {
  const checked = checkField(field, value);
  if (!checked.ok) throw new TextRefusedError(checked.error);
  return checked.text;
}
