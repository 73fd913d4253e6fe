/**
 * Checks an incoming Yjs update before the server applies it. The update is
 * decoded, not applied, so a refused update never touches the board.
 *
 * What is checked: every root the update writes to is a known root, and every
 * card field it writes respects the card invariants (kind, text length).
 */
import * as Y from 'yjs';
import { isCardKind, ROOT } from './schema.js';
import { isValidStoredText } from './validation.js';

export interface UpdateVerdict {
  ok: boolean;
  /** Human-readable reasons, for logs and close frames. */
  problems: string[];
}

const KNOWN_ROOTS: ReadonlySet<string> = new Set(Object.values(ROOT));

const FIELD_CHECKS: Record<string, (value: unknown) => boolean> = {
  kind: isCardKind,
  text: isValidStoredText,
};

/** Throws if the bytes are not a Yjs update at all (callers close the connection). */
export function inspectUpdate(update: Uint8Array): UpdateVerdict {
  const problems: string[] = [];
  const { structs } = Y.decodeUpdate(update);
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    if (typeof struct.parent === 'string' && !KNOWN_ROOTS.has(struct.parent)) {
      problems.push(`writes to unknown root "${struct.parent}"`);
    }
    const check = struct.parentSub === null ? undefined : FIELD_CHECKS[struct.parentSub];
    // Any other content type (a string chunk, a nested type) would bypass the value check.
    const valid = !check || (struct.content instanceof Y.ContentAny && struct.content.arr.every(check));
    if (!valid) problems.push(`invalid card ${struct.parentSub}`);
  }
  return { ok: problems.length === 0, problems };
}
