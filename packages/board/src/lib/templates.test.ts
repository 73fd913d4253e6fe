import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newBoardState, readMeta } from './meta.js';
import { DEFAULT_TEMPLATE, findTemplate, kindInArea, TEMPLATES } from './templates.js';

describe('templates', () => {
  it('are complete data: unique ids, both languages, areas that do not overlap', () => {
    expect(new Set(TEMPLATES.map((t) => t.id)).size).toBe(TEMPLATES.length);
    expect(findTemplate(DEFAULT_TEMPLATE)).toBeDefined();
    for (const template of TEMPLATES) {
      for (const text of [template.title, template.description, ...template.areas.map((a) => a.title)]) {
        expect(text.hu.trim()).not.toBe('');
        expect(text.en.trim()).not.toBe('');
      }
      for (const a of template.areas) {
        for (const b of template.areas) {
          if (a === b) continue;
          const apart =
            a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
          expect(apart, `${template.id}: ${a.title.en} / ${b.title.en}`).toBe(true);
        }
      }
    }
    expect(findTemplate('four-types')?.areas).toHaveLength(4);
    expect(findTemplate('action-plan')?.areas.map((a) => a.title.en)).toEqual([
      'What?',
      'Who?',
      'By when?',
      'With which resource?',
    ]);
  });

  it('start a board that records its template; unknown ids are refused', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, newBoardState('action-plan'));
    expect(readMeta(doc).template).toBe('action-plan');
    expect(readMeta(new Y.Doc()).template).toBe(DEFAULT_TEMPLATE);
    expect(() => newBoardState('nope')).toThrow(/Unknown template/);
  });

  it("give a new card its area's kind; a board without areas takes problems and resources only", () => {
    const fourTypes = findTemplate('four-types');
    const map = findTemplate('problems-resources');
    // A hand-made client's "problem" among the four types is a note there.
    expect(kindInArea(fourTypes, 'advocacy', 'problem')).toBe('note');
    expect(kindInArea(map, 'resources', 'problem')).toBe('resource');
    expect(kindInArea(findTemplate('blank'), '', 'resource')).toBe('resource');
    expect(() => kindInArea(findTemplate('blank'), '', 'note')).toThrow(/without areas/);
  });
});
