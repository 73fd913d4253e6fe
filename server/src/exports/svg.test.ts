import {
  addCard,
  CARD_SIZE,
  createGroup,
  MAX_CARD_TEXT,
  readContents,
  suggestCardPosition,
} from '@kaptar/board';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EXPORT_LABELS } from './labels.js';
import { toSvg } from './svg.js';

/** Code points that are not XML 1.0 characters (the Char production). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const anna = { participantId: 'anna', role: 'participant' as const };
const LONG = 'Nincs orvos helyben, hetente egyszer jön, és olyankor hosszú a sor. '
  .repeat(5)
  .slice(0, MAX_CARD_TEXT);

/** The height of each card's outline, in the order the cards were drawn. */
const cardHeights = (svg: string) =>
  [...svg.matchAll(new RegExp(`<rect [^>]*width="${CARD_SIZE.width}" height="(\\d+)"`, 'g'))].map((m) =>
    Number(m[1]),
  );

describe('the SVG picture of a board', () => {
  it('cuts long card texts to fit the card slot, with an ellipsis, and keeps short ones whole', () => {
    const doc = new Y.Doc();
    for (const text of [LONG, 'Nincs buszjárat hétvégén']) {
      addCard(doc, anna, {
        kind: 'problem',
        text,
        site: 'Alsóváros',
        ...suggestCardPosition(doc, 'problem'),
      });
    }
    const svg = toSvg(readContents(doc), new Map([['anna', 'Kovács Anna']]), EXPORT_LABELS.hu);

    const heights = cardHeights(svg);
    expect(heights).toHaveLength(2);
    for (const height of heights) expect(height).toBeLessThanOrEqual(CARD_SIZE.height);
    expect(svg).toContain('…');
    expect(svg).toContain('Nincs buszjárat hétvégén');
  });

  it('stays valid XML 1.0 whatever a card, group, name or settlement stored before the text rule holds', () => {
    const doc = new Y.Doc();
    const card = addCard(doc, anna, { kind: 'problem', text: 'Nincs busz', site: 'Alsóváros', x: 0, y: 0 });
    const group = createGroup(doc, anna, [card.id], 'Közlekedés');
    const odd = 'a\u0000b\u0008c\u001Fd\uFFFEe\uFFFFf\uD800g\u202Eh<i>&"\'';
    doc.transact(() => {
      doc.getMap<Y.Map<unknown>>('cards').get(card.id)?.set('text', odd);
      doc.getMap<Y.Map<unknown>>('cards').get(card.id)?.set('site', odd);
      doc.getMap<Y.Map<unknown>>('groups').get(group.id)?.set('title', odd);
    });
    const svg = toSvg(readContents(doc), new Map([['anna', odd]]), EXPORT_LABELS.en);
    expect(svg).not.toMatch(NOT_XML);
    expect(svg).not.toContain('\u202E');
    expect(svg).toContain('abcdefgh&#60;i&#62;&#38;&#34;&#39;');
  });
});
