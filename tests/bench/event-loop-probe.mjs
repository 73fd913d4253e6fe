/**
 * Loaded into every server a benchmark runs against (`node --import`), Kaptár and the relays
 * alike: once a second it notes how busy the event loop was and how late its timers ran
 * (perf_hooks), and writes the seconds so far to KAPTAR_PROBE_FILE. A server whose
 * loop is busy all the time, with timers hundreds of milliseconds late, is bound by its own work
 * (or by the CPU it gets); one with a loop mostly idle is waiting on something else.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const file = process.env.KAPTAR_PROBE_FILE;
if (file) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let since = performance.eventLoopUtilization();
  /** One entry a second: when (epoch ms), loop utilisation (0..1), delay p50/p99/max (ms). */
  const seconds = [];
  setInterval(() => {
    const busy = performance.eventLoopUtilization(since).utilization;
    since = performance.eventLoopUtilization();
    const asMs = (ns) => ns / 1e6;
    seconds.push({
      at: Date.now(),
      busy,
      p50: asMs(delay.percentile(50)),
      p99: asMs(delay.percentile(99)),
      max: asMs(delay.max),
    });
    delay.reset();
    // Written every second (a few kB): however the server ends, its seconds are there.
    fs.writeFileSync(file, JSON.stringify(seconds));
  }, 1000).unref();
}
