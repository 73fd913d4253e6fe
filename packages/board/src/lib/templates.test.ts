import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newBoardState, readMeta } from './meta.js';
import { DEFAULT_TEMPLATE, findTemplate, TEMPLATES } from './templates.js';

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
});
