/**
 * Whether the store can write right now. A full or read-only disk must not be
 * hidden: writes fail loudly (log, health endpoint, 503 replies), the disk is
 * probed every second while they do, and the state clears itself with the
 * first write that succeeds again.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyBaseLogger } from 'fastify';

const STORAGE_FAILURES = ['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN'];
/** The disk refused outright (not merely full): the store lets go of its files, see sqlite-store.ts. */
const DISK_REFUSALS = ['SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN'];
const PROBE_INTERVAL_MS = 1000;

/** While the store has let go of its files, every call throws this (a storage failure: 503). */
export class StorageUnavailableError extends Error {
  constructor() {
    super('the database is closed until its disk takes writes again');
  }
}

const sqliteCodeIn = (error: unknown, codes: string[]) =>
  error instanceof Database.SqliteError && codes.some((code) => error.code.startsWith(code));

/** Whether an error means "the disk cannot take writes" rather than a bug. */
export function isStorageFailure(error: unknown): boolean {
  return error instanceof StorageUnavailableError || sqliteCodeIn(error, STORAGE_FAILURES);
}

export function isDiskRefusal(error: unknown): boolean {
  return sqliteCodeIn(error, DISK_REFUSALS);
}

const REASONS: Record<string, (dir: string) => string> = {
  EROFS: (dir) => `the filesystem of ${dir} is read-only`,
  ENOSPC: (dir) => `the disk of ${dir} is full`,
  EDQUOT: (dir) => `the disk quota of ${dir} is used up`,
  EACCES: (dir) => `no permission to write in ${dir}`,
  EPERM: (dir) => `no permission to write in ${dir}`,
  ENOENT: (dir) => `${dir} is missing (is its disk mounted?)`,
  EIO: (dir) => `the disk of ${dir} reports input/output errors`,
};

/**
 * Asks the filesystem itself why writes fail: SQLite reports a read-only
 * filesystem as a bare "disk I/O error", which tells an operator nothing.
 */
function diagnose(dataDir: string): string {
  const probe = path.join(dataDir, '.kaptar-write-probe');
  try {
    fs.writeFileSync(probe, 'probe');
    fs.rmSync(probe);
    return `${dataDir} takes new files, yet the database cannot be written`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return REASONS[code]?.(dataDir) ?? `${dataDir} cannot be written (${code})`;
  }
}

export class StorageHealth {
  private failure: { message: string; since: number } | null = null;
  private probing: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly log: FastifyBaseLogger,
    /** A tiny write (Store.checkWritable); resolves once the disk takes writes again. */
    private readonly probe: () => Promise<void>,
  ) {}

  get failing(): { message: string; since: number } | null {
    return this.failure;
  }

  failed(error: unknown): void {
    if (this.failure) return;
    const reason = diagnose(this.dataDir);
    const detail = error instanceof Error ? error.message : String(error);
    this.failure = { message: `${reason} (${detail})`, since: Date.now() };
    this.log.error(
      { err: error, dataDir: this.dataDir },
      `CANNOT SAVE TO DISK: ${reason}. Writes are refused (503) and board edits are held until it can.`,
    );
    // Probing clears the state even when no edit is waiting to be retried.
    this.probing = setInterval(() => {
      this.probe().then(
        () => this.recovered(),
        () => undefined, // Still failing: the next probe tries again.
      );
    }, PROBE_INTERVAL_MS);
    this.probing.unref();
  }

  recovered(): void {
    if (!this.failure) return;
    this.stop();
    this.failure = null;
    this.log.warn({ dataDir: this.dataDir }, 'saving to disk again');
  }

  /** Stops probing (on shutdown). */
  stop(): void {
    if (this.probing) clearInterval(this.probing);
    this.probing = null;
  }
}
