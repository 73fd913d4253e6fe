/** better-sqlite3's errors in the storage contract's terms (storage/errors.ts), at the engine's edge. */
import Database from 'better-sqlite3';
import { JoinCodeTakenError, StorageFailure } from '../errors.js';

/** The disk cannot take writes: full, read-only, failing, or gone. */
const STORAGE_FAILURES = ['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN'];
/** The disk refused outright (not merely full): the store lets go of its files (store.ts). */
const DISK_REFUSALS = ['SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN'];

const codeIn = (error: unknown, codes: string[]) =>
  error instanceof Database.SqliteError && codes.some((code) => error.code.startsWith(code));

export const isDiskRefusal = (error: unknown): boolean => codeIn(error, DISK_REFUSALS);

/** The contract's error for a driver's; anything else (a bug, the contract's own errors) as it is. */
export function translate(error: unknown): unknown {
  if (codeIn(error, STORAGE_FAILURES)) {
    return new StorageFailure((error as Error).message, { cause: error });
  }
  if (
    error instanceof Database.SqliteError &&
    error.code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    error.message.includes('sessions.join_code')
  ) {
    return new JoinCodeTakenError();
  }
  return error;
}
