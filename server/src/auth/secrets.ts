/** Bearer tokens, ids and join codes: where their randomness comes from. */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { JOIN_CODE_LENGTH } from '@kaptar/protocol';

/** 256 bits: unguessable even with unlimited attempts. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Ids appear in URLs; 96 bits is plenty to avoid collisions and guessing. */
export function newId(): string {
  return randomBytes(12).toString('base64url');
}

export function newJoinCode(): string {
  return String(randomInt(0, 10 ** JOIN_CODE_LENGTH)).padStart(JOIN_CODE_LENGTH, '0');
}

/**
 * Tokens are stored hashed, so a leaked database grants no moderator's or participant's access.
 * The one kept in clear is the projector's (sessions.viewer_token, so the moderator can show the
 * link again): it only reads the board, which a leaked database holds anyway.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
