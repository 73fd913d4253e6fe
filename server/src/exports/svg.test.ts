import { addCard, CARD_SIZE, MAX_CARD_TEXT, readContents, suggestCardPosition } from '@kaptar/board';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { toSvg } from './svg.js';

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
    const svg = toSvg(readContents(doc), new Map([['anna', 'Kovács Anna']]), 'hu');

    const heights = cardHeights(svg);
    expect(heights).toHaveLength(2);
    for (const height of heights) expect(height).toBeLessThanOrEqual(CARD_SIZE.height);
    expect(svg).toContain('…');
    expect(svg).toContain('Nincs buszjárat hétvégén');
  });
});
