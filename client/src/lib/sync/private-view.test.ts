import type { Card } from '@kaptar/board';
import { describe, expect, it } from 'vitest';
import { ballotOn, mergeCards, NO_PRIVATE_VIEWS, noteStamp, stamp, visibleDrafts } from './private-view.js';

const card = (id: string, authorId = '', fields: Partial<Card> = {}): Card => ({
  id,
  kind: 'problem',
  text: `card ${id}`,
  authorId,
  site: '',
  area: '',
  x: 0,
  y: 0,
  createdAt: 1,
  groupId: null,
  ...fields,
});

const draft = (id: string, authorId: string) => ({ ...card(id, authorId), groupId: null });

describe('mergeCards', () => {
  it('adds the drafts after the board, and a card on both is the board’s (just revealed)', () => {
    const merged = mergeCards(
      [card('a', 'p1'), card('b', 'p2', { x: 500 })],
      [card('b', 'p2'), card('c', 'me')],
      new Set(),
      'me',
    );
    expect(merged.map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(merged.find((c) => c.id === 'b')?.x).toBe(500);
  });

  it('gives this person’s own cards on an anonymous board back their author, no one else’s', () => {
    const merged = mergeCards([card('a'), card('b')], [], new Set(['b']), 'me');
    expect(merged.map((c) => c.authorId)).toEqual(['', 'me']);
  });

  it('keeps the replica’s objects where nothing changes (views compare by identity)', () => {
    const replica = [card('a', 'p1')];
    expect(mergeCards(replica, [], new Set(), 'me')[0]).toBe(replica[0]);
  });
});

describe('visibleDrafts', () => {
  it('lists every draft once: the moderator’s view and their own', () => {
    const drafts = visibleDrafts({
      ...NO_PRIVATE_VIEWS,
      mine: { boardId: 'b', drafts: [draft('x', 'me')], ballot: {}, ownCards: [] },
      facilitation: { boardId: 'b', drafts: [draft('x', 'me'), draft('y', '')], voted: 0, voters: 2 },
    });
    expect(drafts.map((c) => c.id).sort()).toEqual(['x', 'y']);
  });
});

describe('ballotOn', () => {
  it('counts only votes on cards still on the board', () => {
    const mine = ballotOn({ a: 2, gone: 1 }, (id) => id !== 'gone');
    expect([...mine]).toEqual([['a', 2]]);
  });
});

describe('stamp', () => {
  it('never repeats, also within one millisecond', () => {
    const stamps = Array.from({ length: 50 }, () => stamp());
    expect(new Set(stamps).size).toBe(50);
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
  });

  it('comes after any stamp saved on the device, also when the clock was set back since', () => {
    const future = Date.now() + 3_600_000;
    noteStamp(future);
    expect(stamp()).toBeGreaterThan(future);
  });
});
