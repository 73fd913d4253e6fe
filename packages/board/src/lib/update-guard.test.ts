import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard } from './cards.js';
import { MAX_CARD_TEXT } from './schema.js';
import { inspectUpdate } from './update-guard.js';

function updateFrom(write: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  write(doc);
  return Y.encodeStateAsUpdate(doc);
}

function rawCard(fields: Record<string, unknown>): (doc: Y.Doc) => void {
  return (doc) => {
    const map = new Y.Map<unknown>();
    for (const [key, value] of Object.entries(fields)) map.set(key, value);
    doc.getMap('cards').set('c1', map);
  };
}

describe('inspectUpdate', () => {
  it('accepts what the typed operations write', () => {
    const update = updateFrom((doc) =>
      addCard(doc, { kind: 'resource', text: 'Közösségi ház', authorId: 'a', site: 's', x: 0, y: 0 }),
    );
    expect(inspectUpdate(update)).toEqual({ ok: true, problems: [] });
  });

  it('refuses card text over the limit written around the operations', () => {
    const verdict = inspectUpdate(
      updateFrom(rawCard({ kind: 'problem', text: 'x'.repeat(MAX_CARD_TEXT + 1) })),
    );
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toContain('invalid card text');
  });

  it('refuses an unknown kind and text smuggled in as a nested type', () => {
    expect(inspectUpdate(updateFrom(rawCard({ kind: 'spam', text: 'ok' }))).ok).toBe(false);
    const nested = updateFrom((doc) => {
      const map = new Y.Map<unknown>();
      map.set('text', new Y.Text('x'.repeat(1000)));
      doc.getMap('cards').set('c1', map);
    });
    expect(inspectUpdate(nested).ok).toBe(false);
  });

  it('refuses writes to roots the board does not have', () => {
    const verdict = inspectUpdate(updateFrom((doc) => doc.getMap('junk').set('a', 1)));
    expect(verdict.problems).toEqual(['writes to unknown root "junk"']);
  });

  it('throws on bytes that are not an update', () => {
    expect(() => inspectUpdate(new Uint8Array([255, 255, 255, 255, 255]))).toThrow();
  });
});
