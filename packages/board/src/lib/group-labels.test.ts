import { describe, expect, it } from 'vitest';
import { groupLabels, suggestGroupTitle } from './group-labels.js';
import type { Group } from './schema.js';

const group = (id: string, title: string, createdAt: number): Group => ({
  id,
  title,
  createdAt,
  area: '',
  x: 0,
  y: 0,
  color: 0,
});

const labelsOf = (groups: Group[]) => [...groupLabels(groups, 'hu').entries()];

describe('group labels', () => {
  it('numbers untitled groups by their place in the order groups were made, whatever order they are listed in', () => {
    const groups = [group('zz', '', 300), group('aa', 'Víz és utak', 100), group('mm', '', 200)];
    expect(labelsOf(groups)).toEqual([
      ['aa', 'Víz és utak'],
      ['mm', 'Névtelen csoport 2'],
      ['zz', 'Névtelen csoport 3'],
    ]);
  });

  it('keeps an untitled group its number when another group is named', () => {
    const before = groupLabels([group('a', '', 1), group('b', '', 2)], 'hu');
    const after = groupLabels([group('a', 'Közlekedés', 1), group('b', '', 2)], 'hu');
    expect(before.get('b')).toBe('Névtelen csoport 2');
    expect(after.get('b')).toBe('Névtelen csoport 2');
  });

  it('says the untitled word in the language asked for', () => {
    expect(groupLabels([group('a', '', 1)], 'en').get('a')).toBe('Untitled group 1');
  });

  it('orders groups from before creation times were kept by id, the same in every locale', () => {
    expect(labelsOf([group('b', '', 0), group('a', '', 0), group('B', '', 0)])).toEqual([
      ['B', 'Névtelen csoport 1'],
      ['a', 'Névtelen csoport 2'],
      ['b', 'Névtelen csoport 3'],
    ]);
  });

  it('never lends an untitled group a label someone chose as a title', () => {
    const labels = groupLabels([group('a', '', 1), group('b', 'névtelen csoport 1', 2)], 'hu');
    expect(labels.get('a')).toBe('Névtelen csoport 2');
    expect(labels.get('b')).toBe('névtelen csoport 1');
  });

  it('tells apart two groups with the same title, ignoring case and spaces', () => {
    const labels = groupLabels([group('a', 'Víz', 1), group('b', 'víz', 2), group('c', 'Víz 2', 3)], 'hu');
    expect(labels.get('a')).toBe('Víz');
    expect(labels.get('b')).toBe('víz 3');
    expect(labels.get('c')).toBe('Víz 2');
  });

  it('gives every group of a full board a label of its own', () => {
    const groups = Array.from({ length: 300 }, (_, i) =>
      group(`g${i}`, i % 3 === 0 ? '' : i % 3 === 1 ? 'Utak' : `Névtelen csoport ${i}`, i),
    );
    const labels = [...groupLabels(groups, 'hu').values()].map((label) => label.toLocaleLowerCase());
    expect(labels).toHaveLength(300);
    expect(new Set(labels).size).toBe(300);
  });
});

describe('a group title suggested from a card', () => {
  it('offers the first words of the card on one line, cut at a word, without trailing punctuation', () => {
    expect(suggestGroupTitle('Nincs járda a főút mentén, a gyerekek az úton mennek')).toBe(
      'Nincs járda a főút',
    );
    expect(suggestGroupTitle('  Víz\nés   utak!  ')).toBe('Víz és utak');
    expect(suggestGroupTitle('Kátyús, az utca')).toBe('Kátyús, az utca');
  });

  it('stays within its length even for one very long word, and offers nothing for an empty text', () => {
    const suggestion = suggestGroupTitle(`${'á'.repeat(60)} szó`);
    expect([...suggestion]).toHaveLength(40);
    expect(suggestGroupTitle('Egészségügyi-ellátás-hiánya-miatt-sokan-messzire-járnak orvoshoz')).toBe(
      'Egészségügyi-ellátás-hiánya-miatt-sokan',
    );
    expect(suggestGroupTitle('   ')).toBe('');
  });
});
