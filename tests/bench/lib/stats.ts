/** Figures the benchmarks print: latency distributions and a server process's CPU and memory. */
import fs from 'node:fs';

export interface Distribution {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function distribution(values: ArrayLike<number>): Distribution {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) =>
    sorted.length === 0
      ? Number.NaN
      : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

export interface ProcessUsage {
  cpuPercent: number;
  /** The part of `cpuPercent` spent in the kernel (for a relay: mostly socket I/O). */
  systemPercent: number;
  peakRssMiB: number;
}

interface ProcReading {
  cpuTicks: number;
  systemTicks: number;
  rssKiB: number;
}

function readProc(pid: number): ProcReading {
  // Fields after the command name: state is [0], utime [11], stime [12] (see proc(5)).
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    cpuTicks: Number(stat[11]) + Number(stat[12]),
    systemTicks: Number(stat[12]),
    rssKiB: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0),
  };
}

function readAll(pids: number[]): ProcReading {
  const all = pids.map(readProc);
  const sum = (field: keyof ProcReading) => all.reduce((total, reading) => total + reading[field], 0);
  return { cpuTicks: sum('cpuTicks'), systemTicks: sum('systemTicks'), rssKiB: sum('rssKiB') };
}

/**
 * Samples the processes' RSS (summed) twice a second, and their CPU time (summed, 100 % is one
 * core) from now until `stop`.
 */
export function sampleProcesses(pids: number[]): { stop(): ProcessUsage } {
  const before = readAll(pids);
  const startedAt = performance.now();
  let peakRss = before.rssKiB;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, readAll(pids).rssKiB);
  }, 500);
  return {
    stop() {
      clearInterval(timer);
      const after = readAll(pids);
      const seconds = (performance.now() - startedAt) / 1000;
      peakRss = Math.max(peakRss, after.rssKiB);
      // Clock ticks are 1/100 s on Linux.
      const percentOf = (ticks: number) => (ticks / 100 / seconds) * 100;
      return {
        cpuPercent: percentOf(after.cpuTicks - before.cpuTicks),
        systemPercent: percentOf(after.systemTicks - before.systemTicks),
        peakRssMiB: peakRss / 1024,
      };
    },
  };
}

export const ms = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '–');

const percent = (value: number): string => `${value.toFixed(0)} %`;
export const mib = (value: number): string => `${value.toFixed(0)} MiB`;

/** The columns every load scenario prints about the server and the load generator. */
export function usageColumns(server: ProcessUsage, load: ProcessUsage): Record<string, string> {
  const cpu = (usage: ProcessUsage) => `${percent(usage.cpuPercent)} (sys ${percent(usage.systemPercent)})`;
  return {
    'server CPU': cpu(server),
    'peak RSS': mib(server.peakRssMiB),
    'load CPU': cpu(load),
  };
}
