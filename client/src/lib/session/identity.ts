/**
 * Who this device is in each session: the bearer token and what the server
 * last said about the session. Kept in localStorage so a reload, a dropped
 * connection or a closed tab keeps the same participant.
 */
import type { SessionInfoReply } from '@kaptar/protocol';

export interface Identity {
  sessionId: string;
  token: string;
  /** The last session info from the server; lets the board open while offline. */
  info?: SessionInfoReply;
}

const PREFIX = 'kaptar:identity:';

export function saveIdentity(identity: Identity): void {
  localStorage.setItem(PREFIX + identity.sessionId, JSON.stringify(identity));
}

export function loadIdentity(sessionId: string): Identity | undefined {
  return parse(localStorage.getItem(PREFIX + sessionId));
}

export function forgetIdentity(sessionId: string): void {
  localStorage.removeItem(PREFIX + sessionId);
}

/** Sessions this device has joined or created, newest first by title. */
export function knownIdentities(): Identity[] {
  const found: Identity[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    const identity = key?.startsWith(PREFIX) ? parse(localStorage.getItem(key)) : undefined;
    if (identity?.info) found.push(identity);
  }
  return found;
}

function parse(raw: string | null): Identity | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<Identity>;
    return typeof value.sessionId === 'string' && typeof value.token === 'string'
      ? (value as Identity)
      : undefined;
  } catch {
    return undefined;
  }
}
