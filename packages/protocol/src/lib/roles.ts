/**
 * Roles. A token (a bearer secret) stands for exactly one role in exactly one
 * session; the server resolves it, clients only carry it.
 */
export const ROLES = ['moderator', 'participant', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** The identity a token resolves to. `participantId` is also the author id on cards. */
export interface Principal {
  role: Role;
  sessionId: string;
  participantId: string;
}
