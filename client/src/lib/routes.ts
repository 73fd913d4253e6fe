/**
 * The app's few pages, addressed by path. Paths are part of the public API
 * (join links are printed and shared), so parsing them lives in one place.
 */
import { followUpPath, ROLES, type Role } from '@kaptar/protocol';

export type Route =
  | { page: 'home' }
  | { page: 'join'; code: string }
  /** The moderator's secret link: the token rides in the fragment, never sent to a server. */
  | { page: 'moderatorLink'; sessionId: string; key: string }
  /** `as`: which of the device's identities in the session opens it (its strongest when absent). */
  | { page: 'board'; sessionId: string; boardId: string; as?: Role }
  /** The printable workshop report (moderator). */
  | { page: 'report'; sessionId: string }
  /** An initiative's read-only follow-up page: its token is the key, no account. */
  | { page: 'followUp'; token: string }
  | { page: 'notFound' };

export function parseRoute(pathname: string, hash: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third, fourth] = parts;
  if (parts.length === 0) return { page: 'home' };
  if (first === 'join' && second && parts.length === 2) return { page: 'join', code: second };
  if (first === 's' && second && parts.length === 2) {
    const key = new URLSearchParams(hash.replace(/^#/, '')).get('key');
    return key ? { page: 'moderatorLink', sessionId: second, key } : { page: 'notFound' };
  }
  // The follow-up path is the protocol's (the server hands it out): matched, not spelled again.
  if (second && parts.length === 2 && followUpPath(second) === `/${first}/${second}`)
    return { page: 'followUp', token: second };
  if (first === 's' && second && third === 'report' && parts.length === 3)
    return { page: 'report', sessionId: second };
  if (first === 's' && second && third === 'b' && fourth && parts.length === 4) {
    const as = new URLSearchParams(hash.replace(/^#/, '')).get('as');
    const role = ROLES.find((each) => each === as);
    return role
      ? { page: 'board', sessionId: second, boardId: fourth, as: role }
      : { page: 'board', sessionId: second, boardId: fourth };
  }
  return { page: 'notFound' };
}

export const paths = {
  home: () => '/',
  join: (code: string) => `/join/${encodeURIComponent(code)}`,
  /** The role rides in the fragment, like the moderator's key: it only picks one of this device's identities. */
  board: (sessionId: string, boardId: string, as?: Role) =>
    `/s/${encodeURIComponent(sessionId)}/b/${encodeURIComponent(boardId)}${as ? `#as=${as}` : ''}`,
  report: (sessionId: string) => `/s/${encodeURIComponent(sessionId)}/report`,
  moderatorLink: (sessionId: string, token: string) =>
    `/s/${encodeURIComponent(sessionId)}#key=${encodeURIComponent(token)}`,
};
