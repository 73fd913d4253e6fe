import { describe, expect, it } from 'vitest';
import { deleteCard } from './cards.js';
import { readMeta, updateMeta } from './meta.js';
import { mayAct, PARTICIPANT_RIGHTS } from './rules.js';
import { anna, bela, boardWith, codeOf, moderator } from './test-helpers.js';
import { castVote, votesOf, votesUsedBy, voteTotals } from './votes.js';

function votingBoard(budget = 3) {
  const board = boardWith(['Busz', 'Orvos', 'Bolt']);
  updateMeta(board.doc, { phase: 'vote', voteBudget: budget });
  return board;
}

describe('castVote', () => {
  it('adds and takes back votes within the budget', () => {
    const { doc, ids } = votingBoard();
    const [a, b] = ids as [string, string];
    expect(castVote(doc, anna, a, 1)).toEqual({ onCard: 1, remaining: 2 });
    expect(castVote(doc, anna, a, 1)).toEqual({ onCard: 2, remaining: 1 });
    castVote(doc, bela, a, 1);
    castVote(doc, anna, b, 1);
    expect(codeOf(() => castVote(doc, anna, b, 1))).toBe('vote-budget-exhausted');
    expect(castVote(doc, anna, a, -1)).toEqual({ onCard: 1, remaining: 1 });
    expect(voteTotals(doc)).toEqual(
      new Map([
        [a, 2],
        [b, 1],
      ]),
    );
    expect(votesOf(doc, 'anna')).toEqual(
      new Map([
        [a, 1],
        [b, 1],
      ]),
    );
  });

  it('refuses to take back a vote that is not there', () => {
    const { doc, ids } = votingBoard();
    expect(codeOf(() => castVote(doc, anna, ids[0] as string, -1))).toBe('no-votes-to-remove');
  });

  it('is open only in the vote phase, to participants, on existing cards', () => {
    const { doc, ids } = boardWith(['Busz']);
    expect(codeOf(() => castVote(doc, anna, ids[0] as string, 1))).toBe('not-in-this-phase');
    updateMeta(doc, { phase: 'vote' });
    expect(codeOf(() => castVote(doc, moderator, ids[0] as string, 1))).toBe('not-in-this-phase');
    expect(codeOf(() => castVote(doc, anna, 'nope', 1))).toBe('card-not-found');
    updateMeta(doc, { locked: true });
    expect(codeOf(() => castVote(doc, anna, ids[0] as string, 1))).toBe('board-locked');
  });

  it('gives the votes back when their card is deleted', () => {
    const { doc, ids } = votingBoard(2);
    castVote(doc, anna, ids[0] as string, 1);
    castVote(doc, anna, ids[0] as string, 1);
    expect(votesUsedBy(doc, 'anna')).toBe(2);
    deleteCard(doc, moderator, ids[0] as string);
    expect(votesUsedBy(doc, 'anna')).toBe(0);
    expect(castVote(doc, anna, ids[1] as string, 1).remaining).toBe(1);
  });
});

describe('board settings and rules', () => {
  it('validates settings and keeps defaults for what is unset', () => {
    const { doc } = boardWith([]);
    expect(readMeta(doc)).toMatchObject({ phase: 'collect', voteBudget: 5, locked: false, timer: null });
    expect(codeOf(() => updateMeta(doc, { voteBudget: -1 }))).toBe('invalid-setting');
    expect(codeOf(() => updateMeta(doc, { voteBudget: 2.5 }))).toBe('invalid-setting');
    expect(codeOf(() => updateMeta(doc, { phase: 'party' as 'vote' }))).toBe('invalid-setting');
    expect(readMeta(doc).voteBudget).toBe(5);
    updateMeta(doc, { timer: { startedAt: 1000, durationMs: 60_000 } });
    expect(readMeta(doc).timer).toEqual({ startedAt: 1000, durationMs: 60_000 });
  });

  it('gives moderators every right but voting, viewers none', () => {
    const { doc } = boardWith([]);
    const meta = readMeta(doc);
    for (const action of PARTICIPANT_RIGHTS.collect) {
      expect(mayAct('moderator', action, { ...meta, locked: true, phase: 'discuss' })).toBe(true);
      expect(mayAct('viewer', action, meta)).toBe(false);
    }
    expect(mayAct('moderator', 'vote', { ...meta, phase: 'vote' })).toBe(false);
  });
});
