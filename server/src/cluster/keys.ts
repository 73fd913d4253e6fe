/** The names of everything Kaptár keeps in Redis, and how long a lease lasts: written once here. */

/**
 * How long a session's owner holds it without renewing. Renewed four times as often, so a slow
 * turn or two does not lose it; a dead owner's sessions are taken over within this long.
 */
export const LEASE_MS = 3000;
export const RENEW_EVERY_MS = LEASE_MS / 4;
/**
 * How long a forwarded command or request waits for the owner's answer at most. One whose owner's
 * lease lapses meanwhile (it died) is given up sooner; the device sends its intents again (same
 * ids) and the new owner answers them.
 */
export const FORWARD_TIMEOUT_MS = 15_000;
/** How often a process waiting for answers checks that the processes it asked still run. */
export const OWNER_CHECK_MS = 250;
/**
 * Entries a board's stream keeps (trimmed, about): a process that fell further behind reads the
 * board from the store instead.
 */
export const BOARD_STREAM_LENGTH = 2000;
/**
 * Entries a session document's stream keeps (exactly): each is the document's whole state, so the
 * last one is all a replica needs, and a long stream would only hold old copies in Redis' memory.
 */
export const SESSION_STREAM_LENGTH = 4;
/** Requests and answers waiting for a process: it reads them as they come. */
export const INBOX_LENGTH = 10_000;
/**
 * How long a stream is kept after its last entry: a board nobody edits for a day (or a process
 * that is gone) leaves nothing behind in Redis. A replica that follows it meanwhile sees the next
 * change's number skip and reads the store (rooms/replicas.ts).
 */
export const STREAM_IDLE_MS = 24 * 60 * 60_000;

const PREFIX = 'kaptar';

/** Which process owns a session (its boards and its session document): the lease. */
export const ownerKey = (sessionId: string) => `${PREFIX}:owner:${sessionId}`;
/** Present while the process runs (renewed with its leases): whom a forwarded request may still wait for. */
export const aliveKey = (processId: string) => `${PREFIX}:alive:${processId}`;
/** A process's requests and answers. */
export const inboxKey = (processId: string) => `${PREFIX}:inbox:${processId}`;
/** A board's stored changes, in store order, from its owner. */
export const boardStreamKey = (boardId: string) => `${PREFIX}:board:${boardId}`;
/** A session document's stored changes, from its owner. */
export const sessionStreamKey = (sessionId: string) => `${PREFIX}:session-doc:${sessionId}`;
/** socket.io's own stream (the control plane between processes). */
export const CONTROL_STREAM = `${PREFIX}:socket.io`;
