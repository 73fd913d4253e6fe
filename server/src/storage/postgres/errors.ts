/** node-postgres's errors in the storage contract's terms (storage/errors.ts), at the engine's edge. */
import pg from 'pg';
import { JoinCodeTakenError, StorageFailure } from '../errors.js';

/** SQLSTATE classes of a server that cannot take writes: connection (08), out of resources (53), system/IO (58). */
const FAILING_CLASSES = ['08', '53', '58'];
/** Shutting down, crashed and restarting, starting up (57P01-57P03); a read-only transaction (a standby, or default_transaction_read_only). */
const FAILING_STATES = ['57P01', '57P02', '57P03', '25006'];
/** The socket's own failures: the server is down, unreachable, or went away mid-query. */
const SOCKET_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
];
/** What node-postgres and its pool say, without a code, when the connection is gone or never came. */
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'is not queryable',
  'Query read timeout',
];

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether the error means the server cannot be reached or cannot write, rather than a bug. */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) {
    const code = error.code ?? '';
    return FAILING_CLASSES.includes(code.slice(0, 2)) || FAILING_STATES.includes(code);
  }
  // Node tries each address of a name (localhost: ::1, then 127.0.0.1) and reports all failures.
  if (error instanceof AggregateError) return error.errors.some(isConnectionFailure);
  const code = codeOf(error);
  if (code && SOCKET_CODES.includes(code)) return true;
  return error instanceof Error && CONNECTION_MESSAGES.some((message) => error.message.includes(message));
}

/** The contract's error for a driver's; anything else (a bug, the contract's own errors) as it is. */
export function translate(error: unknown): unknown {
  if (error instanceof StorageFailure) return error;
  if (isConnectionFailure(error)) {
    const message =
      error instanceof Error && error.message ? error.message : (codeOf(error) ?? String(error));
    return new StorageFailure(message, { cause: error });
  }
  if (
    error instanceof pg.DatabaseError &&
    error.code === '23505' &&
    error.constraint === 'sessions_join_code_key'
  ) {
    return new JoinCodeTakenError();
  }
  return error;
}
