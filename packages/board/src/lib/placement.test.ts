import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, listCards } from './cards.js';
import { CARD_SIZE, KIND_AREA_WIDTH, kindAreaX, placeCards, suggestCardPosition } from './placement.js';
import type { CardKind } from './schema.js';
import { anna } from './test-helpers.js';

function fill(doc: Y.Doc, kind: 'problem' | 'resource', count: number) {
  for (let i = 0; i < count; i++) {
    addCard(doc, anna, { kind, text: `${kind} ${i}`, site: 's', ...suggestCardPosition(doc, kind) });
  }
}

describe('suggestCardPosition', () => {
  it('keeps problems and resources in their own areas without overlapping', () => {
    const doc = new Y.Doc();
    fill(doc, 'problem', 10);
    fill(doc, 'resource', 10);
    const cards = listCards(doc);
    for (const card of cards) {
      const left = kindAreaX(card.kind);
      expect(card.x).toBeGreaterThanOrEqual(left);
      expect(card.x + CARD_SIZE.width).toBeLessThanOrEqual(left + KIND_AREA_WIDTH);
    }
    for (const a of cards) {
      for (const b of cards) {
        if (a === b) continue;
        const apart = Math.abs(a.x - b.x) >= CARD_SIZE.width || Math.abs(a.y - b.y) >= CARD_SIZE.height;
        expect(apart).toBe(true);
      }
    }
  });

  it('reuses a slot that a deleted card left free', () => {
    const doc = new Y.Doc();
    const first = suggestCardPosition(doc, 'problem');
    fill(doc, 'problem', 1);
    expect(suggestCardPosition(doc, 'problem')).not.toEqual(first);
    doc.getMap('cards').clear();
    expect(suggestCardPosition(doc, 'problem')).toEqual(first);
  });
});

describe('placeCards', () => {
  it('places 1,000 new cards in one pass, none over another or over a card already on the board', () => {
    const existing = [
      { x: 60, y: 130 },
      { x: 300, y: 500 },
      { x: kindAreaX('resource') + 40, y: 120 },
      { x: 5000, y: 5000 },
    ];
    const kinds = Array.from({ length: 1_000 }, (_, i): CardKind => (i % 3 === 0 ? 'resource' : 'problem'));
    const placed = placeCards(existing, kinds);
    const all = [...existing, ...placed];
    const apart = (a: { x: number; y: number }, b: { x: number; y: number }) =>
      Math.abs(a.x - b.x) >= CARD_SIZE.width || Math.abs(a.y - b.y) >= CARD_SIZE.height;
    const byRow = new Map<number, Array<{ x: number; y: number }>>();
    for (const pos of all) {
      const row = Math.floor(pos.y / CARD_SIZE.height);
      for (const near of [row - 1, row, row + 1])
        for (const other of byRow.get(near) ?? []) expect(apart(pos, other)).toBe(true);
      byRow.set(row, [...(byRow.get(row) ?? []), pos]);
    }
    placed.forEach((pos, i) => {
      const left = kindAreaX(kinds[i] as CardKind);
      expect(pos.x).toBeGreaterThanOrEqual(left);
      expect(pos.x + CARD_SIZE.width).toBeLessThanOrEqual(left + KIND_AREA_WIDTH);
    });
  });
});
