/** What a client of write API v1 could put in a board: typed reads must leave all of it behind. */
import * as Y from 'yjs';

/** A Y.Map holding `fields`, written as a hand-made client would, unchecked. */
export function rawMap(fields: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(fields)) map.set(key, value);
  return map;
}

/** An over-long card, a plain value where a card belongs and a root of its own. */
export function writeJunk(doc: Y.Doc): void {
  const cards = doc.getMap<unknown>('cards');
  cards.set('long', rawMap({ kind: 'problem', text: 'x'.repeat(5000), x: 0, y: 0, createdAt: 1 }));
  cards.set('plain', 'not a card');
  doc.getMap('admin').set('owner', 'mallory');
}
