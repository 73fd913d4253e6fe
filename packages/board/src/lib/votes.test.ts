import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteCard, listCards } from './cards.js';
import { createGroup } from './groups.js';
import { readMeta, updateMeta } from './meta.js';
import { PrivateState } from './private-state.js';
import { mayAct, PARTICIPANT_RIGHTS } from './rules.js';
import { ServerBoard } from './server-board.js';
import { changeSettings } from './settings.js';
import { anna, bela, boardWith, codeOf, moderator, serverBoard } from './test-helpers.js';
import {
  ballotOnBoard,
  ballotTotals,
  castVote,
  groupTotals,
  votersCount,
  votesUsedBy,
  voteTotals,
} from './votes.js';

function votingBoard(budget = 3, votesHidden = false) {
  const { doc, ids } = boardWith(['Busz', 'Orvos', 'Bolt']);
  updateMeta(doc, { phase: 'vote', voteBudget: budget, votesHidden });
  return { board: serverBoard(doc), doc, ids };
}

describe('castVote', () => {
  it('adds and takes back votes within the budget; the board shows one total per card', () => {
    const { board, doc, ids } = votingBoard();
    const [a, b] = ids as [string, string];
    expect(castVote(board, anna, a, 1)).toEqual({ onCard: 1, remaining: 2 });
    expect(castVote(board, anna, a, 1)).toEqual({ onCard: 2, remaining: 1 });
    castVote(board, bela, a, 1);
    castVote(board, anna, b, 1);
    expect(codeOf(() => castVote(board, anna, b, 1))).toBe('vote-budget-exhausted');
    expect(castVote(board, anna, a, -1)).toEqual({ onCard: 1, remaining: 1 });
    expect(voteTotals(doc)).toEqual(
      new Map([
        [a, 2],
        [b, 1],
      ]),
    );
    expect(ballotOnBoard(board, 'anna')).toEqual({ [a]: 1, [b]: 1 });
    expect(votesUsedBy(board, 'anna')).toBe(2);
  });

  it('keeps the ballots out of the document: its bytes hold no voter, only totals', () => {
    const { board, doc, ids } = votingBoard();
    // Anna wrote the cards (her name is on them); Béla only votes.
    castVote(board, bela, ids[0] as string, 1);
    const bytes = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('latin1');
    expect(bytes).not.toContain('bela');
    expect(voteTotals(doc).get(ids[0] as string)).toBe(1);
    expect(doc.share.has('votes') ? doc.getMap('votes').size : 0).toBe(0);
  });

  it('shows no total while votes are hidden, and every total at once when they are revealed', () => {
    const { board, doc, ids } = votingBoard(3, true);
    castVote(board, anna, ids[0] as string, 1);
    castVote(board, bela, ids[0] as string, 1);
    castVote(board, bela, ids[1] as string, 1);
    expect(voteTotals(doc).size).toBe(0);
    expect(votersCount(board, new Set(['anna', 'bela', 'cili']))).toBe(2);
    // Someone removed from the session (or votes brought in by an archive) is not one of them.
    expect(votersCount(board, new Set(['anna']))).toBe(1);
    changeSettings(board, { votesHidden: false });
    expect(voteTotals(doc)).toEqual(ballotTotals(board));
    expect(voteTotals(doc).get(ids[0] as string)).toBe(2);
    changeSettings(board, { votesHidden: true });
    expect(voteTotals(doc).size).toBe(0);
  });

  it('reads the same ballots back from their stored rows', () => {
    const { board, doc, ids } = votingBoard();
    castVote(board, anna, ids[0] as string, 1);
    castVote(board, anna, ids[0] as string, 1);
    const reloaded = new ServerBoard(doc, new PrivateState(board.secrets.rows()));
    expect(votesUsedBy(reloaded, 'anna')).toBe(2);
    expect(codeOf(() => castVote(reloaded, anna, ids[1] as string, 1))).toBeUndefined();
    expect(codeOf(() => castVote(reloaded, anna, ids[1] as string, 1))).toBe('vote-budget-exhausted');
  });

  it('refuses to take back a vote that is not there', () => {
    const { board, ids } = votingBoard();
    expect(codeOf(() => castVote(board, anna, ids[0] as string, -1))).toBe('no-votes-to-remove');
  });

  it('is open only in the vote phase, to participants, on existing cards', () => {
    const { doc, ids } = boardWith(['Busz']);
    const board = serverBoard(doc);
    expect(codeOf(() => castVote(board, anna, ids[0] as string, 1))).toBe('not-in-this-phase');
    updateMeta(doc, { phase: 'vote' });
    expect(codeOf(() => castVote(board, moderator, ids[0] as string, 1))).toBe('not-in-this-phase');
    expect(codeOf(() => castVote(board, anna, 'nope', 1))).toBe('card-not-found');
    updateMeta(doc, { locked: true });
    expect(codeOf(() => castVote(board, anna, ids[0] as string, 1))).toBe('board-locked');
  });

  it('gives the votes back when their card is deleted, and drops its total', () => {
    const { board, doc, ids } = votingBoard(2);
    castVote(board, anna, ids[0] as string, 1);
    castVote(board, anna, ids[0] as string, 1);
    expect(votesUsedBy(board, 'anna')).toBe(2);
    deleteCard(board, moderator, ids[0] as string);
    expect(votesUsedBy(board, 'anna')).toBe(0);
    expect(voteTotals(doc).has(ids[0] as string)).toBe(false);
    expect(castVote(board, anna, ids[1] as string, 1).remaining).toBe(1);
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

describe('groupTotals', () => {
  it('sums each group’s card totals once revealed, leaving out loose cards and groups without votes', () => {
    const { doc, ids } = boardWith(['Busz', 'Orvos', 'Bolt', 'Posta', 'Kocsma']);
    const [bus, doctor, shop, post, pub] = ids as [string, string, string, string, string];
    createGroup(doc, anna, [bus, doctor], 'Közlekedés', 'transport');
    createGroup(doc, anna, [shop, post], 'Boltok', 'shops');
    updateMeta(doc, { phase: 'vote', voteBudget: 5, votesHidden: true });
    const board = serverBoard(doc);
    castVote(board, anna, bus, 1);
    castVote(board, anna, bus, 1);
    castVote(board, bela, doctor, 1);
    castVote(board, bela, pub, 1);
    // Hidden: the board holds no totals, so no group shows a sum either.
    expect(groupTotals(listCards(doc), voteTotals(doc))).toEqual(new Map());

    changeSettings(board, { votesHidden: false });
    expect(groupTotals(listCards(doc), voteTotals(doc))).toEqual(new Map([['transport', 3]]));
    castVote(board, bela, post, 1);
    expect(groupTotals(listCards(doc), voteTotals(doc))).toEqual(
      new Map([
        ['transport', 3],
        ['shops', 1],
      ]),
    );
  });
});
