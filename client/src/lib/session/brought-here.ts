/**
 * "Mindenkit ide" on this device: a phone moves once per bring (its moment, `at`), so a
 * participant who walks back to another board is not pulled away again, and the board it moved
 * to says why, once.
 */
const handledKey = (sessionId: string) => `kaptar:brought:${sessionId}`;
const noticeKey = (sessionId: string) => `kaptar:brought-notice:${sessionId}`;

/**
 * A bring older than this (server clock) is not followed: a phone that joins, or comes back with
 * its storage cleared, hours after "Mindenkit ide" is not pulled to that morning's board.
 */
export const BRING_FOLLOWED_MS = 2 * 60_000;

/** Whether this bring is new to the device; remembers it, so the next call for it says no. */
export function takeBring(sessionId: string, at: number): boolean {
  const last = Number(localStorage.getItem(handledKey(sessionId)) ?? 0);
  if (at <= last) return false;
  localStorage.setItem(handledKey(sessionId), String(at));
  return true;
}

/** The page of `boardId`, opened next, says everyone was brought here. */
export function noteBroughtTo(sessionId: string, boardId: string): void {
  sessionStorage.setItem(noticeKey(sessionId), boardId);
}

/** Whether this board was reached by a bring (said once: the next call says no). */
export function takeBroughtNotice(sessionId: string, boardId: string): boolean {
  if (sessionStorage.getItem(noticeKey(sessionId)) !== boardId) return false;
  sessionStorage.removeItem(noticeKey(sessionId));
  return true;
}
