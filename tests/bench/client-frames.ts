/**
 * Frame times in the page, with the Performance API. A requestAnimationFrame loop notes each
 * frame's begin time; a message posted from the callback runs only once the frame's style,
 * layout and paint are done, so its arrival minus the begin time is the main thread's time for
 * that frame (input handlers included: Chromium dispatches rAF-aligned input at frame begin).
 * That misses time the main thread spent blocked before a frame began (a slow input handler):
 * long animation frames (> 50 ms, PerformanceObserver) cover it, so a frame that a long
 * animation frame ends with counts with that entry's duration. Slow input events come from
 * the Event Timing API.
 */
import type { Page } from 'playwright-core';

export interface FrameLog {
  /** Main-thread time per frame, ms, and when the frame's work ended (page clock). */
  work: number[];
  ends: number[];
  /** Time between consecutive frame begins, ms (16.7 at 60 Hz when nothing is dropped). */
  interval: number[];
  /** 'long-animation-frame' entries (> 50 ms): where their time went. */
  longFrames: LongFrame[];
  /** Durations of 'event' entries of pointer and wheel input (input to next paint), ms. */
  events: number[];
}

export interface LongFrame {
  startTime: number;
  duration: number;
  /** Time in scripts (event handlers, rAF callbacks, tasks). */
  script: number;
  /** Style, layout and paint at the frame's end. */
  render: number;
}

interface LoafEntry extends PerformanceEntry {
  renderStart: number;
  scripts: PerformanceEntry[];
}

interface Recorder {
  stop(): FrameLog;
}

/**
 * tsx (esbuild keepNames) wraps named functions in `__name(...)`: functions sent to the page
 * carry that call, so the page needs a no-op of that name.
 */
export const KEEP_NAMES_SHIM = 'globalThis.__name = (fn) => fn;';

export function startFrames(page: Page): Promise<void> {
  return page.evaluate(() => {
    const log: FrameLog = { work: [], ends: [], interval: [], longFrames: [], events: [] };
    let running = true;
    let last = 0;
    let begin = 0;
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      const end = performance.now();
      log.work.push(end - begin);
      log.ends.push(end);
    };
    const tick = (now: number) => {
      if (!running) return;
      if (last) log.interval.push(now - last);
      last = now;
      begin = now;
      channel.port2.postMessage(null);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const note = (entries: PerformanceEntryList) => {
      for (const entry of entries as LoafEntry[]) {
        const end = entry.startTime + entry.duration;
        log.longFrames.push({
          startTime: entry.startTime,
          duration: entry.duration,
          script: entry.scripts.reduce((sum, script) => sum + script.duration, 0),
          render: entry.renderStart ? end - entry.renderStart : 0,
        });
      }
    };
    const frames = new PerformanceObserver((list) => note(list.getEntries()));
    frames.observe({ type: 'long-animation-frame' });
    const events = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (/^(pointer|mouse|wheel)/.test(entry.name)) log.events.push(entry.duration);
      }
    });
    // 16 ms is the lowest threshold the Event Timing API allows.
    events.observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit);
    const recorder: Recorder = {
      stop() {
        running = false;
        note(frames.takeRecords());
        frames.disconnect();
        events.disconnect();
        channel.port1.close();
        return log;
      },
    };
    (window as unknown as { frameRecorder: Recorder }).frameRecorder = recorder;
  });
}

/** Stops the recorder after two more frames, so the last frame's paint is counted. */
export function stopFrames(page: Page): Promise<FrameLog> {
  return page.evaluate(async () => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    await new Promise((resolve) => setTimeout(resolve, 0));
    return (window as unknown as { frameRecorder: Recorder }).frameRecorder.stop();
  });
}

export interface FrameStats {
  frames: number;
  median: number;
  p95: number;
  max: number;
  /** Median time between frames: 16.7 ms means no frame was dropped. */
  intervalMedian: number;
  intervalP95: number;
  longFrames: number;
  /** Of the long frames' time: share spent in scripts, and in style, layout and paint. */
  longFrameScript: number;
  longFrameRender: number;
  /** Slowest pointer/wheel event, input to next paint (0: none over 16 ms). */
  slowestEvent: number;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

function share(frames: LongFrame[], part: 'script' | 'render'): number {
  const total = frames.reduce((sum, frame) => sum + frame.duration, 0);
  return total ? Math.round((100 * frames.reduce((sum, frame) => sum + frame[part], 0)) / total) / 100 : 0;
}

/** Each frame's time, raised to the long animation frame that ended with it, if any. */
function frameTimes(log: FrameLog): number[] {
  const times = [...log.work];
  for (const long of log.longFrames) {
    const end = long.startTime + long.duration;
    let nearest = -1;
    log.ends.forEach((frameEnd, index) => {
      const distance = Math.abs(frameEnd - end);
      if (distance < 20 && (nearest < 0 || distance < Math.abs((log.ends[nearest] ?? 0) - end)))
        nearest = index;
    });
    // A long frame that matched none of ours (no rAF ran in it) is a frame of its own.
    if (nearest < 0) times.push(long.duration);
    else times[nearest] = Math.max(times[nearest] ?? 0, long.duration);
  }
  return times;
}

export function frameStats(log: FrameLog): FrameStats {
  const times = frameTimes(log);
  return {
    frames: times.length,
    median: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
    max: round(Math.max(0, ...times)),
    intervalMedian: round(percentile(log.interval, 50)),
    intervalP95: round(percentile(log.interval, 95)),
    longFrames: log.longFrames.length,
    longFrameScript: share(log.longFrames, 'script'),
    longFrameRender: share(log.longFrames, 'render'),
    slowestEvent: round(Math.max(0, ...log.events)),
  };
}
