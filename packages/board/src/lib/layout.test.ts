import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, listCards } from './cards.js';
import { createGroup, dissolveGroup, groupWith, listGroups, removeFromGroup } from './groups.js';
import { type Box, layoutBoard, overlappingPairs, wrapText } from './layout.js';
import { CANVAS_STYLE, PICTURE_STYLE, PROJECTOR_STYLE } from './layout-styles.js';
import { newBoardState } from './meta.js';
import { findTemplate, TEMPLATES } from './templates.js';
import { anna, moderator } from './test-helpers.js';

/** A small seeded generator: a failing order can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const TEXTS = [
  'Nincs buszjárat hétvégén',
  'Kevés a munkahely a faluban, a fiatalok elköltöznek',
  'Van egy üres iskolaépület',
  'Kovács Mari tud szőni és tanítana is',
  'A kultúrház teteje beázik, és nincs pénz a javításra, pedig ott lennének a közösségi programok',
  'Közösségi kert',
  'Nagyon-nagyon-hosszú-szó-szóközök-nélkül-ami-nem-fér-ki-egy-sorba-sehogyan-sem',
  'x',
];

/** A board built by adding, grouping, moving out and dissolving in a random order. */
function randomBoard(seed: number, templateId: string, cards: number): Y.Doc {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, newBoardState(templateId));
  const areas = findTemplate(templateId)?.areas.map((area) => area.id) ?? [];
  for (let i = 0; i < cards; i++) {
    const area = areas.length > 0 ? pick(areas) : '';
    addCard(doc, anna, { kind: 'problem', text: pick(TEXTS), site: 'Alsóváros', area }, 1000 + i);
    const ids = listCards(doc).map((card) => card.id);
    const roll = next();
    const dragged = pick(ids);
    const onto = pick(ids.filter((id) => id !== dragged));
    if (roll < 0.3 && onto !== undefined) groupWith(doc, moderator, dragged, onto, undefined, 2000 + i);
    else if (roll < 0.4)
      createGroup(
        doc,
        moderator,
        [pick(ids)],
        pick(['', 'Közlekedés', 'Víz, utak, busz és minden, ami a faluból kivezet a nagyvilágba']),
        undefined,
        2000 + i,
      );
    else if (roll < 0.45 && areas.length > 0) {
      const grouped = listCards(doc).filter((card) => card.groupId !== null);
      if (grouped.length > 0) removeFromGroup(doc, moderator, pick(grouped).id, pick(areas));
    } else if (roll < 0.48) {
      const groups = listGroups(doc);
      if (groups.length > 0) dissolveGroup(doc, moderator, pick(groups).id);
    }
  }
  return doc;
}

function layoutOf(doc: Y.Doc, templateId: string, style = CANVAS_STYLE, width?: number) {
  return layoutBoard(
    { template: findTemplate(templateId), cards: listCards(doc), groups: listGroups(doc) },
    style,
    { locale: 'hu', width },
  );
}

const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;

describe('layoutBoard', () => {
  it('never lets a card cover another, whatever order people add and group in', () => {
    for (const template of TEMPLATES) {
      for (let seed = 1; seed <= 6; seed++) {
        const doc = randomBoard(seed, template.id, 40);
        for (const [style, width] of [
          [CANVAS_STYLE, undefined],
          [PROJECTOR_STYLE, 1900],
          [PICTURE_STYLE, undefined],
        ] as const) {
          const layout = layoutOf(doc, template.id, style, width);
          const where = `${template.id} seed ${seed}`;
          expect(layout.cards).toHaveLength(listCards(doc).length);
          expect(overlappingPairs(layout.cards), where).toBe(0);
          expect(overlappingPairs(layout.groups), where).toBe(0);
          expect(overlappingPairs(layout.areas), where).toBe(0);
          const groups = new Map(layout.groups.map((box) => [box.id, box]));
          for (const card of layout.cards) {
            // Each card inside its group, every group and loose card inside an area: nothing spills.
            if (card.groupId !== null)
              expect(inside(card, groups.get(card.groupId) as Box), where).toBe(true);
            expect(
              layout.areas.some((area) => inside(card, area)),
              where,
            ).toBe(true);
          }
          for (const group of layout.groups)
            expect(
              layout.areas.some((area) => inside(group, area)),
              where,
            ).toBe(true);
          for (const area of layout.areas)
            expect(inside(area, { x: 0, y: 0, width: layout.width, height: layout.height })).toBe(true);
        }
      }
    }
  });

  it('is the same for the same content, in whichever order the document lists it', () => {
    const doc = randomBoard(7, 'four-types', 30);
    const cards = listCards(doc);
    const groups = listGroups(doc);
    const template = findTemplate('four-types');
    const one = layoutBoard({ template, cards, groups }, CANVAS_STYLE, { locale: 'hu' });
    const other = layoutBoard(
      { template, cards: [...cards].reverse(), groups: [...groups].reverse() },
      CANVAS_STYLE,
      { locale: 'hu' },
    );
    const byId = (boxes: Array<Box & { id: string }>) => [...boxes].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(other.cards)).toEqual(byId(one.cards));
    expect(byId(other.groups)).toEqual(byId(one.groups));
  });

  it('draws each card in its own area, in order, and a group in the area it was started in', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, newBoardState('problems-resources'));
    const bus = addCard(doc, anna, { kind: 'problem', text: 'Busz', site: '', area: 'problems' }, 1);
    const school = addCard(doc, anna, { kind: 'resource', text: 'Iskola', site: '', area: 'resources' }, 2);
    const train = addCard(doc, anna, { kind: 'problem', text: 'Vonat', site: '', area: 'problems' }, 3);
    const layout = layoutOf(doc, 'problems-resources');
    const [problems, resources] = layout.areas;
    const box = (id: string) => layout.cards.find((card) => card.id === id) as Box;
    expect(inside(box(bus.id), problems as Box) && inside(box(train.id), problems as Box)).toBe(true);
    expect(inside(box(school.id), resources as Box)).toBe(true);
    // Oldest first: the bus comes before (left of, or above) the train.
    expect(box(bus.id).x < box(train.id).x || box(bus.id).y < box(train.id).y).toBe(true);
    const group = createGroup(doc, moderator, [school.id, bus.id], 'Közlekedés', 'g1', 4);
    const grouped = layoutOf(doc, 'problems-resources');
    const groupBox = grouped.groups.find((g) => g.id === group.id) as Box;
    expect(inside(groupBox, grouped.areas[1] as Box)).toBe(true);
  });

  it('grows an area with its cards and pushes the row below down', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, newBoardState('four-types'));
    const before = layoutOf(doc, 'four-types');
    for (let i = 0; i < 20; i++)
      addCard(doc, anna, { kind: 'note', text: `Ötlet ${i}`, site: '', area: 'personal-change' }, i);
    const after = layoutOf(doc, 'four-types');
    const [first, , third] = after.areas as Box[];
    if (!first || !third) throw new Error('four areas');
    expect(first.height).toBeGreaterThan((before.areas[0] as Box).height);
    expect(third.y).toBeGreaterThanOrEqual(first.y + first.height);
  });

  it('gives a wide screen more columns, so more cards fit without shrinking them', () => {
    const doc = randomBoard(3, 'problems-resources', 30);
    const narrow = layoutOf(doc, 'problems-resources', PROJECTOR_STYLE, 1200);
    const wide = layoutOf(doc, 'problems-resources', PROJECTOR_STYLE, 2400);
    expect(wide.height).toBeLessThan(narrow.height);
    expect(wide.width).toBeGreaterThan(narrow.width);
  });

  it('gives the columns to the area that has the cards', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, newBoardState('problems-resources'));
    for (let i = 0; i < 30; i++)
      addCard(doc, anna, { kind: 'problem', text: `Gond ${i}`, site: '', area: 'problems' }, i);
    for (let i = 0; i < 3; i++)
      addCard(doc, anna, { kind: 'resource', text: `Van ${i}`, site: '', area: 'resources' }, 100 + i);
    const [problems, resources] = layoutOf(doc, 'problems-resources', PROJECTOR_STYLE, 2400).areas as Box[];
    expect(problems?.width).toBeGreaterThan((resources?.width ?? 0) * 1.5);
    // An empty board keeps the template's proportions.
    const empty = new Y.Doc();
    Y.applyUpdate(empty, newBoardState('problems-resources'));
    const [left, right] = layoutOf(empty, 'problems-resources', PROJECTOR_STYLE, 2400).areas as Box[];
    expect(left?.width).toBe(right?.width);
  });

  it('keeps a card of an earlier version (no area) in the area its old position falls in', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, newBoardState('problems-resources'));
    const old = addCard(doc, anna, { kind: 'problem', text: 'Régi', site: '', x: 900, y: 200 });
    expect(old.area).toBe('resources');
  });
});

describe('wrapText', () => {
  it('wraps at word boundaries and breaks words longer than a line', () => {
    expect(wrapText('Nincs buszjárat hétvégén', 10)).toEqual(['Nincs', 'buszjárat', 'hétvégén']);
    expect(wrapText('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrapText('egy\nkettő', 20)).toEqual(['egy', 'kettő']);
    expect(wrapText('őrült űr', 5)).toEqual(['őrült', 'űr']);
  });
});
