/** The Yjs room endpoint: path, limits and the close codes a client may see. */

/** `ws://HOST/yjs/<boardId>?token=<token>`; a stock y-websocket provider builds this from `serverUrl + YJS_PATH`. */
export const YJS_PATH = '/yjs';

/**
 * Largest websocket message the server reads. A phone that was offline for a
 * whole workshop day sends all its edits in one SyncStep2: a day of heavy use is
 * well under 1 MiB of Yjs updates, so 8 MiB leaves room without inviting abuse.
 */
export const MAX_YJS_MESSAGE_BYTES = 8 * 1024 * 1024;

/** Application close codes (4000-4999) on the Yjs websocket. */
export const ROOM_CLOSE = {
  /** The bytes were not a y-websocket message (garbage, truncated, text frame). */
  malformed: 4400,
  /** A well-formed update that breaks the board's rules; it was not applied. */
  refusedUpdate: 4422,
  /** More messages, or more connections from one address, than honest clients use. */
  rateLimited: 4429,
  /** The participant was removed from the session; their token no longer works. */
  removed: 4403,
  /** The server is shutting down; clients reconnect on their own. */
  shuttingDown: 1012,
} as const;
