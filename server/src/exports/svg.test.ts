import {
  addCard,
  createGroup,
  listCards,
  MAX_CARD_TEXT,
  newBoardState,
  overlappingPairs,
  readContents,
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

/** Each card's outline (the rects that carry a card's kind stroke), as boxes. */
const cardBoxes = (svg: string) =>
  [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" rx="10"/g)].map(
    (m) => ({
      x: Number(m[1]),
      y: Number(m[2]),
      width: Number(m[3]),
      height: Number(m[4]),
    }),
  );

describe('the SVG picture of a board', () => {
  it("draws every card's whole text, in its area, no card over another", () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, newBoardState('problems-resources'));
    for (const [i, text] of [LONG, 'Nincs buszjárat hétvégén', LONG, 'Van iskola'].entries()) {
      addCard(doc, anna, { kind: i === 3 ? 'resource' : 'problem', text, site: 'Alsóváros' });
    }
    const cards = listCards(doc);
    createGroup(doc, anna, [cards[0]?.id as string, cards[3]?.id as string], 'Egészség');
    const svg = toSvg(readContents(doc), new Map([['anna', 'Kovács Anna']]), EXPORT_LABELS.hu);

    const boxes = cardBoxes(svg);
    expect(boxes).toHaveLength(4);
    expect(overlappingPairs(boxes)).toBe(0);
    expect(svg).not.toContain('…');
    // The long text, line by line, loses no word.
    const words = [...svg.matchAll(/<text [^>]*font-size="14"[^>]*>([^<]*)<\/text>/g)]
      .map((m) => m[1])
      .join(' ');
    for (const word of LONG.split(' ').filter(Boolean)) expect(words).toContain(word);
    expect(words).toContain('Nincs buszjárat hétvégén');
    expect(svg).toContain('Problémák');
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
