import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, editCard, listCards } from './cards.js';
import { BoardError } from './errors.js';
import { createGroup, listGroups, renameGroup } from './groups.js';
import { cleanDocTexts, rebuildDoc } from './restore.js';
import {
  checkText,
  cleanText,
  followsTextRule,
  REPLACEMENT_TEXT,
  type TextKind,
  withoutRefusedCharacters,
} from './text.js';

const anna = { participantId: 'anna', role: 'participant' as const };

const refusal = (text: string, kind: TextKind = 'line') => {
  const checked = checkText(text, kind);
  return checked.ok ? null : checked.problem;
};

const codeOf = (action: () => unknown) => {
  try {
    action();
  } catch (error) {
    if (error instanceof BoardError) return { code: error.code, message: error.message };
    throw error;
  }
  return null;
};

/** One code point of each class the rule refuses, with the words its refusal must hold. */
const REFUSED: Array<[string, string, RegExp]> = [
  ['NUL', '\u0000', /control character \(U\+0000\)/],
  ['BEL', '\u0007', /control character \(U\+0007\)/],
  ['vertical tab', '\u000B', /control character \(U\+000B\)/],
  ['ESC', '\u001B', /control character \(U\+001B\)/],
  ['DEL', '\u007F', /control character \(U\+007F\)/],
  ['C1 NEL', '\u0085', /control character \(U\+0085\)/],
  ['C1 CSI', '\u009B', /control character \(U\+009B\)/],
  ['left-to-right embedding', '\u202A', /text-direction control character \(U\+202A\)/],
  ['right-to-left override', '\u202E', /text-direction control character \(U\+202E\)/],
  ['left-to-right isolate', '\u2066', /text-direction control character \(U\+2066\)/],
  ['pop directional isolate', '\u2069', /text-direction control character \(U\+2069\)/],
  ['lone high surrogate', '\uD800', /lone surrogate, U\+D800/],
  ['lone low surrogate', '\uDC00', /lone surrogate, U\+DC00/],
  ['U+FFFE', '\uFFFE', /noncharacter \(U\+FFFE\)/],
  ['U+FFFF', '\uFFFF', /noncharacter \(U\+FFFF\)/],
  ['U+FDD0', '\uFDD0', /noncharacter \(U\+FDD0\)/],
  ['U+10FFFF', '\u{10FFFF}', /noncharacter \(U\+10FFFF\)/],
];

describe('the text rule', () => {
  it.each(REFUSED)(
    'refuses a %s anywhere, in one-line texts and card texts, saying which',
    (_, char, says) => {
      for (const kind of ['line', 'card'] as const) {
        expect(refusal(`Nincs${char}busz`, kind)).toMatch(says);
        expect(refusal(`${char}Nincs busz`, kind)).toMatch(says);
      }
    },
  );

  it('keeps what people write: accents, emoji (surrogate pairs), other scripts, marks such as U+200E', () => {
    for (const text of ['Árvíztűrő tükörfúrógép', 'Kút 🚰 és 👩‍👩‍👧', 'שלום עולם', 'a\u200Eb', 'Ω ≠ ∞']) {
      expect(checkText(text)).toEqual({ ok: true, text });
      expect(followsTextRule(text)).toBe(true);
    }
  });

  it('stores text in NFC: a decomposed accent (as macOS keyboards send it) becomes the composed one', () => {
    const decomposed = 'Ko\u0308zse\u0301g'; // "Község" with combining marks
    expect(decomposed).not.toBe('Község');
    expect(checkText(decomposed)).toEqual({ ok: true, text: 'Község' });
    expect(followsTextRule(decomposed)).toBe(false);
  });

  it('turns a tab into a space, and trims', () => {
    expect(checkText('  Alsó\tváros\t')).toEqual({ ok: true, text: 'Alsó város' });
    expect(checkText('a\tb', 'card')).toEqual({ ok: true, text: 'a b' });
  });

  it('allows line breaks in card texts only, each kind of break kept as one LF', () => {
    expect(checkText('Nincs busz\r\nhétvégén\rsem\u2028este', 'card')).toEqual({
      ok: true,
      text: 'Nincs busz\nhétvégén\nsem\neste',
    });
    for (const newline of ['\n', '\r\n', '\r', '\u2028', '\u2029']) {
      expect(refusal(`Első${newline}sor`)).toMatch(/line break; only card texts/);
    }
    // Trailing white space (a line break included) is trimmed before the check.
    expect(checkText('Cím\n')).toEqual({ ok: true, text: 'Cím' });
  });

  it('cleans a stored text instead of refusing it: refused code points dropped, the rest normalised', () => {
    expect(cleanText('Nin\u0000cs \u202Ebusz\u202C', 'card')).toBe('Nincs busz');
    expect(cleanText('Ko\u0308zse\u0301g\t\u0007')).toBe('Község');
    expect(cleanText('két\nsor')).toBe('két sor');
    expect(cleanText('két\r\nsor', 'card')).toBe('két\nsor');
    expect(cleanText('\uD800x\uFFFF')).toBe('x');
    // A text of nothing but refused characters does not turn blank (a blank card would vanish).
    expect(cleanText('\u0000\u202E')).toBe(REPLACEMENT_TEXT);
    expect(cleanText('')).toBe('');
    expect(cleanText('a'.repeat(10), 'line', 4)).toBe('aaaa');
    for (const [, char] of REFUSED)
      expect(followsTextRule(cleanText(`x${char}y`, 'card'), 'card')).toBe(true);
    expect(withoutRefusedCharacters('a\u0000b\u202Ec\nd')).toBe('abc\nd');
  });
});

describe('the board checks its texts with the rule', () => {
  it('refuses a card text or a group title that breaks it with text-invalid, saying what is wrong', () => {
    const doc = new Y.Doc();
    const place = { kind: 'problem' as const, site: 'Alsóváros', x: 0, y: 0 };
    expect(codeOf(() => addCard(doc, anna, { ...place, text: 'Nincs\u0000busz' }))).toEqual({
      code: 'text-invalid',
      message: expect.stringMatching(/^The card text contains a control character \(U\+0000\)/),
    });
    const card = addCard(doc, anna, { ...place, text: 'Ko\u0308zse\u0301g\tnincs\r\nbusz' });
    expect(card.text).toBe('Község nincs\nbusz');
    expect(codeOf(() => editCard(doc, anna, card.id, 'x\u202Ey'))?.code).toBe('text-invalid');

    expect(codeOf(() => createGroup(doc, anna, [card.id], 'Köz\nlekedés'))).toEqual({
      code: 'text-invalid',
      message: expect.stringMatching(/^The group title contains a line break/),
    });
    const groupId = createGroup(doc, anna, [card.id], 'Köz\tlekedés').id;
    expect(listGroups(doc)[0]?.title).toBe('Köz lekedés');
    expect(codeOf(() => renameGroup(doc, anna, groupId, '\u2066izolált\u2069'))?.code).toBe('text-invalid');
  });

  it('cleans a board written before the rule, in place or rebuilt, keeping ids, places and groups', () => {
    const doc = new Y.Doc();
    const card = addCard(doc, anna, { kind: 'problem', text: 'Nincs busz', site: 'Alsóváros', x: 5, y: 6 });
    const groupId = createGroup(doc, anna, [card.id], 'Közlekedés').id;
    // What a client could write before the rule: straight into the document.
    doc.transact(() => {
      const cards = doc.getMap<Y.Map<unknown>>('cards');
      cards.get(card.id)?.set('text', 'Nincs\u0000 busz\u202E');
      cards.get(card.id)?.set('site', 'Alsó\u0007város');
      doc.getMap<Y.Map<unknown>>('groups').get(groupId)?.set('title', 'Köz\u0000lekedés');
    });
    const expected = [{ ...card, text: 'Nincs busz', site: 'Alsóváros', groupId }];

    const { doc: rebuilt } = rebuildDoc(doc);
    expect(listCards(rebuilt)).toEqual(expected);
    expect(listGroups(rebuilt).map((group) => [group.id, group.title])).toEqual([[groupId, 'Közlekedés']]);

    expect(cleanDocTexts(doc)).toBe(3);
    expect(listCards(doc)).toEqual(expected);
    expect(listGroups(doc)[0]?.title).toBe('Közlekedés');
    expect(cleanDocTexts(doc)).toBe(0);
  });
});
