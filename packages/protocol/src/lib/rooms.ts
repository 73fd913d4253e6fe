/** The Yjs room endpoint: path, limits and the close codes a client may see. */

/** `ws://HOST/yjs/<boardId>?token=<token>`; a stock y-websocket provider builds this from `serverUrl + YJS_PATH`. */
export const YJS_PATH = '/yjs';

/**
 * The session document's room (what the whole session shares: the screen, presenter focus, the
 * board everyone is brought to), read-only like a board's: `ws://HOST/yjs/<sessionId>/session`.
 */
export const SESSION_ROOM_SUFFIX = 'session';
export const sessionRoomName = (sessionId: string): string => `${sessionId}/${SESSION_ROOM_SUFFIX}`;

/**
 * Largest websocket message the server reads. Rooms are read-only: what a client really sends is
 * a sync request (its state vector, a few bytes per writer the board has had: the server's loads).
 */
export const MAX_YJS_MESSAGE_BYTES = 64 * 1024;

/**
 * Bytes of sync answers one link (a phone, a moderator, a projector link) may pull a minute, over
 * all its connections and boards, with a burst: a whole 2,000-card board is about 0.6 MB, so this
 * is dozens of full syncs, while connections asking for a large board again and again stop at it
 * (closed with `rateLimited`).
 */
export const SYNC_BYTES_PER_LINK = { perMinute: 8 * 1024 * 1024, burst: 16 * 1024 * 1024 } as const;

/** Application close codes (4000-4999) on the Yjs websocket. */
export const ROOM_CLOSE = {
  /** The bytes were not a y-websocket message (garbage, truncated, text frame). */
  malformed: 4400,
  /** The participant was removed from the session; their token no longer works. */
  removed: 4403,
  /** The client kept writing to a read-only room (updates, awareness) beyond a small budget. */
  readOnly: 4405,
  /** The replica is of another epoch of the board (it was rebuilt): drop it and sync afresh. */
  staleReplica: 4410,
  /** More messages, sync requests, or connections from one address than honest clients use. */
  rateLimited: 4429,
  /** The server is shutting down; clients reconnect on their own. */
  shuttingDown: 1012,
  /** This server cannot follow the document now (in a cluster, it lost Redis); clients reconnect on their own. */
  tryAgainLater: 1013,
} as const;
