import { describe, expect, it } from 'vitest';
import { LIMITS } from './limits.js';
import { checkField } from './text.js';

describe('people’s texts on the wire', () => {
  it('gives the text to store, normalised and trimmed', () => {
    expect(checkField('sessionTitle', '  Ko\u0308zse\u0301gi\tműhely ')).toEqual({
      ok: true,
      text: 'Községi műhely',
    });
    expect(checkField('boardTitle', '')).toEqual({ ok: true, text: '' });
  });

  it('refuses in one sentence naming the field and the character', () => {
    expect(checkField('displayName', 'An\u0000na')).toEqual({
      ok: false,
      error: 'The name contains a control character (U+0000); these are invisible and not allowed.',
    });
    expect(checkField('siteName', '\u202Eáráváslo')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^The settlement contains a text-direction control character \(U\+202E\)/),
    });
    expect(checkField('snapshotName', 'két\nsor')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^The snapshot name contains a line break/),
    });
    expect(checkField('sessionTitle', ' \t ')).toEqual({ ok: false, error: 'The session title is empty.' });
  });

  it('counts the length in characters after normalising', () => {
    // Decomposed, 2 × 60 code points; composed, 60: within the limit.
    expect(checkField('siteName', 'a\u0301'.repeat(LIMITS.siteName))).toEqual({
      ok: true,
      text: 'á'.repeat(LIMITS.siteName),
    });
    expect(checkField('siteName', '🏠'.repeat(LIMITS.siteName + 1))).toEqual({
      ok: false,
      error: `The settlement is longer than ${LIMITS.siteName} characters.`,
    });
  });
});
