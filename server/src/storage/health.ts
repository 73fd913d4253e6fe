/**
 * Whether the store can write right now. A full or read-only disk must not be
 * hidden: writes fail loudly (log, health endpoint, 503 replies) and the
 * state clears itself with the first write that succeeds again.
 */
import Database from 'better-sqlite3';

const STORAGE_FAILURES = new Set([
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY_DBMOVED',
]);

/** Whether an error means "the disk cannot take writes" rather than a bug. */
export function isStorageFailure(error: unknown): boolean {
  if (!(error instanceof Database.SqliteError)) return false;
  return (
    STORAGE_FAILURES.has(error.code) || [...STORAGE_FAILURES].some((code) => error.code.startsWith(code))
  );
}

export class StorageHealth {
  private failure: { message: string; since: number } | null = null;

  get failing(): { message: string; since: number } | null {
    return this.failure;
  }

  failed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.failure ??= { message, since: Date.now() };
  }

  recovered(): void {
    this.failure = null;
  }
}
