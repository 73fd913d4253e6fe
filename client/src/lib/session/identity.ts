/**
 * Who this device is in each session, per role: the bearer token and what the server last said
 * about the session. Kept in localStorage so a reload, a dropped connection or a closed tab keeps
 * the same person. A moderator who opens the projector link in a second tab, or the join link to
 * check it, gains a viewer's or a participant's identity beside their own: none replaces another.
 */
import type { Role, SessionInfoReply } from '@kaptar/protocol';

export interface Identity {
  sessionId: string;
  role: Role;
  token: string;
  /** The last session info from the server; lets the board open while offline. */
  info?: SessionInfoReply;
}

const PREFIX = 'kaptar:identity:';
/** Which identity a page opened without a role uses, when the device holds several. */
const STRONGEST_FIRST: readonly Role[] = ['moderator', 'participant', 'viewer'];

const keyOf = (sessionId: string, role: Role) => `${PREFIX}${sessionId}:${role}`;

export function saveIdentity(identity: Identity): void {
  localStorage.setItem(keyOf(identity.sessionId, identity.role), JSON.stringify(identity));
}

/** The device's identity in the session with that role, or the strongest it holds. */
export function loadIdentity(sessionId: string, role?: Role): Identity | undefined {
  moveUnsorted(sessionId);
  for (const each of role ? [role] : STRONGEST_FIRST) {
    const found = parse(localStorage.getItem(keyOf(sessionId, each)));
    if (found) return found;
  }
  return undefined;
}

export function forgetIdentity(sessionId: string, role: Role): void {
  localStorage.removeItem(keyOf(sessionId, role));
}

/** Every identity this device holds, each session and role once. */
export function knownIdentities(): Identity[] {
  // Those stored before roles were kept apart first, or a page listing them would not see them.
  const keys = Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i) ?? '');
  for (const key of keys) {
    const rest = key.startsWith(PREFIX) ? key.slice(PREFIX.length) : '';
    if (rest !== '' && !rest.includes(':')) moveUnsorted(rest);
  }
  const found: Identity[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    const identity = key?.startsWith(PREFIX) ? parse(localStorage.getItem(key)) : undefined;
    if (identity?.info) found.push(identity);
  }
  return found;
}

/**
 * An identity stored before roles were kept apart (one per session, under the session id alone)
 * goes under its role, read from what the server last said of it.
 */
function moveUnsorted(sessionId: string): void {
  const raw = localStorage.getItem(PREFIX + sessionId);
  if (raw === null) return;
  localStorage.removeItem(PREFIX + sessionId);
  const old = parseFields(raw);
  if (!old) return;
  const role = old.info?.me.role ?? 'moderator';
  if (localStorage.getItem(keyOf(sessionId, role)) === null) saveIdentity({ ...old, role });
}

function parse(raw: string | null): Identity | undefined {
  const value = raw === null ? undefined : parseFields(raw);
  return value && typeof value.role === 'string' ? (value as Identity) : undefined;
}

function parseFields(raw: string): (Omit<Identity, 'role'> & { role?: Role }) | undefined {
  try {
    const value = JSON.parse(raw) as Partial<Identity>;
    return typeof value.sessionId === 'string' && typeof value.token === 'string'
      ? (value as Identity)
      : undefined;
  } catch {
    return undefined;
  }
}
