/**
 * Where boards and sessions are made, for every caller (a new session, a moderator's new board, a
 * snapshot restored as a board, an imported archive): one record shape, one position rule, one
 * way to find a free join code.
 */
import { newId, newJoinCode } from '../auth/secrets.js';
import { JoinCodeTakenError } from '../storage/errors.js';
import type { BoardRecord } from '../storage/store.js';

/** Join codes drawn before giving up: six digits, so a clash is rare and twenty in a row unheard of. */
const JOIN_CODE_ATTEMPTS = 20;

/** A board record with fresh ids (its own, and the epoch that names its document). */
export function newBoard(
  sessionId: string,
  fields: { title: string; position: number; archived?: boolean; createdAt?: number },
): BoardRecord {
  return {
    id: newId(),
    sessionId,
    title: fields.title,
    position: fields.position,
    archived: fields.archived ?? false,
    createdAt: fields.createdAt ?? Date.now(),
    epoch: newId(),
  };
}

/** The position after every board of the session: a new board goes last. */
export function nextPosition(boards: readonly BoardRecord[]): number {
  return Math.max(-1, ...boards.map((board) => board.position)) + 1;
}

/** Runs `store` with a fresh join code, drawing another while the code is taken. */
export async function withFreshJoinCode<T>(store: (joinCode: string) => Promise<T>): Promise<T> {
  for (let attempt = 0; attempt < JOIN_CODE_ATTEMPTS; attempt++) {
    try {
      return await store(newJoinCode());
    } catch (error) {
      if (!(error instanceof JoinCodeTakenError)) throw error;
    }
  }
  throw new Error('Could not find a free join code');
}
