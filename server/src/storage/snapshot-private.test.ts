import { EMPTY_PRIVATE_ROWS, type PrivateRows } from '@kaptar/board';
import { describe, expect, it } from 'vitest';
import { packPrivateRows, unpackPrivateRows } from './snapshot-private.js';

const card = {
  id: 'c3',
  kind: 'problem' as const,
  text: 'Nincs orvos',
  authorId: 'anna',
  site: 'Alsóváros',
  area: '',
  x: 0,
  y: 0,
  groupId: null,
  createdAt: 1,
};

describe('a snapshot’s private rows as stored', () => {
  it('come back as they were saved: ballots, authors, drafts and retired drafts', () => {
    const rows: PrivateRows = {
      drafts: [card],
      retiredDrafts: ['c4'],
      authors: [
        { cardId: 'c1', participantId: 'anna' },
        { cardId: 'c2', participantId: 'bela' },
      ],
      ballots: [
        { participantId: 'anna', cardId: 'c2', votes: 2 },
        { participantId: 'bela', cardId: 'c1', votes: 1 },
        { participantId: 'anna', cardId: 'c1', votes: 3 },
      ],
    };
    expect(unpackPrivateRows(packPrivateRows(rows))).toEqual(rows);
    expect(unpackPrivateRows(packPrivateRows(EMPTY_PRIVATE_ROWS))).toEqual(EMPTY_PRIVATE_ROWS);
  });

  it('read as before where a snapshot was stored with its rows as objects', () => {
    const rows: PrivateRows = {
      ...EMPTY_PRIVATE_ROWS,
      ballots: [{ participantId: 'anna', cardId: 'c1', votes: 1 }],
    };
    expect(unpackPrivateRows(JSON.stringify(rows))).toEqual(rows);
  });

  it('take a fraction of the objects’ space on a large board (2 000 cards, 20 000 votes of 400 people)', () => {
    const id = (prefix: string, n: number) => `${prefix}${n.toString(36).padStart(20, 'x')}`;
    const rows: PrivateRows = {
      ...EMPTY_PRIVATE_ROWS,
      authors: Array.from({ length: 2000 }, (_, n) => ({
        cardId: id('c', n),
        participantId: id('p', n % 400),
      })),
      ballots: Array.from({ length: 20_000 }, (_, n) => ({
        participantId: id('p', n % 400),
        cardId: id('c', (n * 7) % 2000),
        votes: 1 + (n % 3),
      })),
    };
    const packed = packPrivateRows(rows);
    expect(unpackPrivateRows(packed)).toEqual(rows);
    expect(packed.length).toBeLessThan(JSON.stringify(rows).length / 4);
  });
});
