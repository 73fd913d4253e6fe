import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readMeta, updateMeta } from './meta.js';
import { metaRoot } from './schema.js';
import { codeOf } from './test-helpers.js';
import {
  extendTimer,
  MAX_TIMER_MS,
  pauseTimer,
  resumeTimer,
  startTimer,
  TIMER_OVER_SHOWN_MS,
  timeLeft,
  timerView,
} from './timer.js';

const MINUTE = 60_000;

describe('the board timer', () => {
  it('counts down, holds its time while paused and goes on from there when resumed', () => {
    const started = startTimer(5 * MINUTE, 1_000_000);
    expect(timerView(started, 1_000_000 + MINUTE)).toEqual({ state: 'running', leftMs: 4 * MINUTE });

    const paused = pauseTimer(started, 1_000_000 + MINUTE);
    // Ten minutes of discussion while it is held: still four minutes left.
    expect(timerView(paused, 1_000_000 + 11 * MINUTE)).toEqual({ state: 'paused', leftMs: 4 * MINUTE });
    // A second press of "pause" changes nothing.
    expect(pauseTimer(paused, 1_000_000 + 12 * MINUTE)).toEqual(paused);

    const resumed = resumeTimer(paused, 1_000_000 + 11 * MINUTE);
    expect(timerView(resumed, 1_000_000 + 12 * MINUTE)).toEqual({ state: 'running', leftMs: 3 * MINUTE });
    expect(resumeTimer(resumed, 1_000_000 + 12 * MINUTE)).toEqual(resumed);
  });

  it('adds a minute to what is left, running or paused, and restarts an ended one with a minute', () => {
    const started = startTimer(2 * MINUTE, 0);
    expect(timeLeft(extendTimer(started, MINUTE), MINUTE)).toBe(2 * MINUTE);
    const paused = pauseTimer(started, MINUTE);
    expect(timerView(extendTimer(paused, MINUTE), 5 * MINUTE)).toEqual({
      state: 'paused',
      leftMs: 2 * MINUTE,
    });
    const ended = extendTimer(started, 3 * MINUTE);
    expect(timerView(ended, 3 * MINUTE + 1000)).toEqual({ state: 'running', leftMs: MINUTE - 1000 });
    // Never beyond the longest countdown.
    const longest = startTimer(MAX_TIMER_MS, 0);
    expect(timeLeft(extendTimer(longest, 0), 0)).toBe(MAX_TIMER_MS);
  });

  it('says the time is up for a minute, then goes back to idle', () => {
    const timer = startTimer(MINUTE, 0);
    expect(timerView(timer, MINUTE)).toEqual({ state: 'over', endedAt: MINUTE });
    expect(timerView(timer, MINUTE + TIMER_OVER_SHOWN_MS - 1).state).toBe('over');
    expect(timerView(timer, MINUTE + TIMER_OVER_SHOWN_MS)).toEqual({ state: 'idle' });
    expect(timerView(null, 0)).toEqual({ state: 'idle' });
    expect(startTimer(0, 0)).toBeNull();
  });

  it('refuses to pause, resume or lengthen a timer that is not there or has ended', () => {
    const ended = startTimer(MINUTE, 0);
    expect(codeOf(() => pauseTimer(null, 0))).toBe('invalid-setting');
    expect(codeOf(() => pauseTimer(ended, 2 * MINUTE))).toBe('invalid-setting');
    expect(codeOf(() => resumeTimer(ended, 2 * MINUTE))).toBe('invalid-setting');
    expect(codeOf(() => extendTimer(null, 0))).toBe('invalid-setting');
    expect(codeOf(() => startTimer(MAX_TIMER_MS + 1, 0))).toBe('invalid-setting');
  });

  it('reads a paused timer back from the document, and a timer written before pausing as running', () => {
    const doc = new Y.Doc();
    updateMeta(doc, { timer: pauseTimer(startTimer(5 * MINUTE, 0), MINUTE) });
    expect(timerView(readMeta(doc).timer, 9 * MINUTE)).toEqual({ state: 'paused', leftMs: 4 * MINUTE });
    // The shape of the board document before this version: no pausedAt.
    metaRoot(doc).set('timer', { startedAt: 0, durationMs: 5 * MINUTE });
    expect(timerView(readMeta(doc).timer, MINUTE)).toEqual({ state: 'running', leftMs: 4 * MINUTE });
  });
});
