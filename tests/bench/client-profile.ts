/**
 * With PROFILE=1, the client benchmark records a CPU profile of each gesture (CDP Profiler):
 * written as .cpuprofile (open in Chromium's DevTools, Performance panel) and summed up as the
 * functions with the most self time, so a missed target comes with what bounds it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CDPSession } from 'playwright-core';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Hotspot {
  function: string;
  selfMs: number;
}

export async function profiled<T>(
  cdp: CDPSession,
  file: string,
  work: () => Promise<T>,
): Promise<{ result: T; hotspots: Hotspot[] }> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  const result = await work();
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
  fs.writeFileSync(file, JSON.stringify(profile));
  return { result, hotspots: hotspots(profile) };
}

/** The functions with the most self time (idle, GC and syscalls such as writev count as functions). */
export function hotspots(profile: Profile, top = 12): Hotspot[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const name = `${frame.functionName || '(anonymous)'} ${path.basename(frame.url)}:${frame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({ function: name, selfMs: Math.round(ms) }));
}
