/**
 * The free space kept in reserve on the data folder's disk: below it no new session is made, so
 * the workshops already running keep room to save a 10-hour day's changes. Read from the
 * filesystem at most every few seconds (a statfs per request would be wasted work).
 */
import fs from 'node:fs';

const RECHECK_MS = 5_000;

export class DiskReserve {
  private checkedAt = 0;
  private free = Number.POSITIVE_INFINITY;

  constructor(
    private readonly dataDir: string,
    readonly reserveBytes: number,
  ) {}

  /** Bytes free for this process's writes (what an unprivileged user may still use). */
  freeBytes(): number {
    const now = Date.now();
    if (now - this.checkedAt >= RECHECK_MS) {
      const stats = fs.statfsSync(this.dataDir);
      this.free = stats.bavail * stats.bsize;
      this.checkedAt = now;
    }
    return this.free;
  }

  /** Why new sessions are refused now, or null when there is room. */
  shortage(): string | null {
    const free = this.freeBytes();
    if (free >= this.reserveBytes) return null;
    const mb = (bytes: number) => Math.floor(bytes / 1024 / 1024);
    return `The server's disk has ${mb(free)} MB free, under the ${mb(this.reserveBytes)} MB kept for the sessions already running: no new sessions until space is freed.`;
  }
}
