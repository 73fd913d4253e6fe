/**
 * The socket.io control plane: event names, payload schemas and the typed
 * event maps both ends plug into `Server<...>` / `Socket<...>`.
 */
import { type Static, Type } from '@sinclair/typebox';

/** Sent in the socket.io handshake: `io(url, { auth })`. */
export const ControlAuth = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });
export type ControlAuth = Static<typeof ControlAuth>;

export const PresenceEntry = Type.Object({
  participantId: Type.String(),
  name: Type.String(),
  site: Type.String(),
  role: Type.String(),
  online: Type.Boolean(),
});
export type PresenceEntry = Static<typeof PresenceEntry>;

export const PresenceList = Type.Array(PresenceEntry);
export type PresenceList = Static<typeof PresenceList>;

export interface ServerToClientEvents {
  /** The whole participant list of the session, sent on connect and on every change. */
  presence: (list: PresenceList) => void;
}

// The control plane grows commands in later issues (votes, phases); none yet.
export type ClientToServerEvents = Record<string, never>;

/** Connect errors the server sends through socket.io's `connect_error`. */
export const CONTROL_ERRORS = {
  badToken: 'invalid-token',
} as const;
