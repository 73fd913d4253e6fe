/**
 * The board's countdown. The server writes it (the moderator starts, pauses, resumes and lengthens
 * it) on its own clock; every device works out what to show from the same fields and the server's
 * time, so a phone with a wrong clock still agrees with the projector.
 */
import { BoardError } from './errors.js';
import type { Timer } from './schema.js';

/** The longest countdown: a workshop's longest block of work. */
export const MAX_TIMER_MS = 4 * 60 * 60 * 1000;

/** What "+1 perc" adds. */
export const TIMER_EXTENSION_MS = 60_000;

/** How long "time is up" stays on the screens before the timer goes back to idle. */
export const TIMER_OVER_SHOWN_MS = 60_000;

/** What a device shows: nothing, a countdown (running or held), or "time is up". */
export type TimerView =
  | { state: 'idle' }
  | { state: 'running' | 'paused'; leftMs: number }
  | { state: 'over'; endedAt: number };

/** Milliseconds left at `now` (server clock): a paused timer keeps what it had. Null without a timer. */
export function timeLeft(timer: Timer | null, now: number): number | null {
  if (!timer) return null;
  const end = timer.startedAt + timer.durationMs;
  return Math.max(0, end - (timer.pausedAt ?? now));
}

export function timerView(timer: Timer | null, now: number): TimerView {
  const left = timeLeft(timer, now);
  if (!timer || left === null) return { state: 'idle' };
  // The clock estimate is good to a round trip: never show more than was set.
  if (left > 0) {
    return {
      state: timer.pausedAt === undefined ? 'running' : 'paused',
      leftMs: Math.min(left, timer.durationMs),
    };
  }
  const endedAt = timer.startedAt + timer.durationMs;
  return now - endedAt < TIMER_OVER_SHOWN_MS ? { state: 'over', endedAt } : { state: 'idle' };
}

/** A new countdown of `durationMs` from `now`; 0 stops it. */
export function startTimer(durationMs: number, now: number): Timer | null {
  if (durationMs < 0 || durationMs > MAX_TIMER_MS)
    throw new BoardError('invalid-setting', 'Invalid timer length');
  return durationMs > 0 ? { startedAt: now, durationMs } : null;
}

/** Holds the countdown where it is; pausing a paused one changes nothing (a double press). */
export function pauseTimer(timer: Timer | null, now: number): Timer {
  const running = runningTimer(timer, now);
  return running.pausedAt === undefined ? { ...running, pausedAt: now } : running;
}

/** Goes on from where it was held: the time spent paused is added to its start. */
export function resumeTimer(timer: Timer | null, now: number): Timer {
  const { pausedAt, ...running } = runningTimer(timer, now);
  if (pausedAt === undefined) return running;
  return { ...running, startedAt: running.startedAt + (now - pausedAt) };
}

/**
 * Adds `byMs` to what is left (paused or running); a countdown that has ended starts again with
 * `byMs`. What is left never goes beyond MAX_TIMER_MS.
 */
export function extendTimer(timer: Timer | null, now: number, byMs = TIMER_EXTENSION_MS): Timer {
  const left = timeLeft(timer, now);
  if (!timer || left === null) throw new BoardError('invalid-setting', 'No timer to lengthen');
  if (left === 0) return { startedAt: now, durationMs: byMs };
  const added = Math.min(byMs, MAX_TIMER_MS - left);
  return { ...timer, durationMs: timer.durationMs + added };
}

/** A countdown with time left, or a refusal: an ended or stopped one cannot be paused or resumed. */
function runningTimer(timer: Timer | null, now: number): Timer {
  if (!timer || (timeLeft(timer, now) ?? 0) === 0)
    throw new BoardError('invalid-setting', 'No timer running');
  return timer;
}
