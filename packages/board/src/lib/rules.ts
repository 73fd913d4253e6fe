/**
 * Who may do what, when: the one table of participant rights per phase.
 * Moderators may do everything; viewers nothing; a locked board is read-only
 * for participants. The client greys out what is refused; the server refuses.
 */
import { BoardError } from './errors.js';
import type { BoardMeta, Phase } from './schema.js';

export type BoardAction = 'addCard' | 'editCard' | 'moveCard' | 'deleteCard' | 'group' | 'vote';

export type BoardRole = 'moderator' | 'participant' | 'viewer';

export const PARTICIPANT_RIGHTS: Record<Phase, readonly BoardAction[]> = {
  collect: ['addCard', 'editCard', 'moveCard', 'deleteCard', 'group'],
  group: ['addCard', 'editCard', 'moveCard', 'deleteCard', 'group'],
  vote: ['vote'],
  discuss: [],
};

export function mayAct(role: BoardRole, action: BoardAction, meta: BoardMeta): boolean {
  // Moderators facilitate: the community's votes are its own.
  if (role === 'moderator') return action !== 'vote';
  if (role === 'viewer' || meta.locked) return false;
  if (action === 'group' && meta.groupingLocked) return false;
  if (action === 'addCard' && meta.phase === 'vote' && meta.cardsDuringVote) return true;
  return PARTICIPANT_RIGHTS[meta.phase].includes(action);
}

export function assertMayAct(role: BoardRole, action: BoardAction, meta: BoardMeta): void {
  if (mayAct(role, action, meta)) return;
  if (meta.locked && role === 'participant') throw new BoardError('board-locked', 'The board is locked');
  if (action === 'group' && meta.groupingLocked && role === 'participant') {
    throw new BoardError('grouping-locked', 'Grouping is locked by the moderator');
  }
  throw new BoardError('not-in-this-phase', `"${action}" is not open in the ${meta.phase} phase`);
}

/**
 * On an anonymous board a card shows its settlement only if at least this many of the session's
 * participants named it when the card was made: the only one from a hamlet would be named by it.
 */
export const MIN_NAMING_A_SHOWN_SITE = 3;

/** The settlement an anonymous card carries: `namedBy` participants of the session named `site`. */
export function anonymousCardSite(site: string, namedBy: number): string {
  return namedBy >= MIN_NAMING_A_SHOWN_SITE ? site : '';
}
