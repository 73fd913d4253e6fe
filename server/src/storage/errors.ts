/**
 * What goes wrong in storage, in Kaptár's own terms. Each engine translates its driver's errors
 * into these at its edge (sqlite/errors.ts, postgres/errors.ts), so the rest of the server decides
 * what to do (hold and retry, 503, refuse) without knowing which database it runs on.
 */

/**
 * The database cannot take writes right now: a full or read-only disk, a PostgreSQL server that
 * went away. Not a bug: writes are held and retried, replies are 503, health says why.
 */
export class StorageFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageFailure';
  }
}

/** While the store has let go of its database (or health says it is failing), every write throws this. */
export class StorageUnavailableError extends StorageFailure {
  constructor(message = 'the database is closed until it takes writes again') {
    super(message);
    this.name = 'StorageUnavailableError';
  }
}

/**
 * In a cluster: this process does not own the session (it lost it, or never had it), so it may not
 * load its documents as their writer. Answered as the store being unavailable: the sender tries
 * again, and its next try is routed to the owner.
 */
export class NotOwnerError extends StorageUnavailableError {
  constructor() {
    super('another server process writes this session now');
    this.name = 'NotOwnerError';
  }
}

/**
 * The database failed while a change was being saved: the change stays on the board and is saved
 * (and shown to everyone) once the database takes writes again. The sender must not repeat it.
 */
export class ChangeHeldError extends StorageFailure {
  constructor() {
    super('the change is kept and will be saved once the database takes writes again');
    this.name = 'ChangeHeldError';
  }
}

/** The board is no longer in the store (its session was deleted): its writes have nowhere to go. */
export class BoardGoneError extends Error {
  constructor(readonly boardId: string) {
    super(`board ${boardId} was deleted`);
    this.name = 'BoardGoneError';
  }
}

/**
 * A writer appended with a fencing number older than the board's (or saved a session document
 * with one older than the document's): another writer has claimed it since (the cluster's lease
 * moved), so this one must never write to it again.
 */
export class FencedOutError extends Error {
  constructor(
    /** The board, or the session document's room name. */
    readonly boardId: string,
    readonly fence: number,
  ) {
    super(`${boardId} has a newer writer than fence ${fence}`);
    this.name = 'FencedOutError';
  }
}

/** A join code was taken by another session between the check and the insert. */
export class JoinCodeTakenError extends Error {
  constructor() {
    super('join code already in use');
    this.name = 'JoinCodeTakenError';
  }
}

/** Whether an error means "the database cannot take writes" rather than a bug. */
export function isStorageFailure(error: unknown): boolean {
  return error instanceof StorageFailure;
}
