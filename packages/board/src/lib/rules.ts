/**
 * Who may do what, when: the one table of participant rights per phase.
 * Moderators may do everything; viewers nothing; a locked board is read-only
 * for participants. The client greys out what is refused; the server refuses.
 */
import { BoardError } from './errors.js';
import type { BoardMeta, Phase } from './schema.js';
import type { UpdateReport } from './update-guard.js';

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
  if (action === 'addCard' && meta.phase === 'vote' && meta.cardsDuringVote) return true;
  return PARTICIPANT_RIGHTS[meta.phase].includes(action);
}

export function assertMayAct(role: BoardRole, action: BoardAction, meta: BoardMeta): void {
  if (mayAct(role, action, meta)) return;
  if (meta.locked && role === 'participant') throw new BoardError('board-locked', 'The board is locked');
  throw new BoardError('not-in-this-phase', `"${action}" is not open in the ${meta.phase} phase`);
}

/** Whether the role may write to the board's cards and groups at all right now. */
export function mayEditBoard(role: BoardRole, meta: BoardMeta): boolean {
  const writes: BoardAction[] = ['addCard', 'editCard', 'moveCard', 'deleteCard', 'group'];
  return writes.some((action) => mayAct(role, action, meta));
}

/** Card fields anyone may change on anyone's card: grouping moves cards in and out of groups. */
const SHARED_CARD_FIELDS: ReadonlySet<string> = new Set(['groupId', 'x', 'y']);

/**
 * Authorship, read from an update report: a participant may create cards only
 * in their own name, and change or delete only their own cards (grouping
 * fields excepted). Returns what is wrong; empty when the update may pass.
 */
export function authorshipProblems(
  report: Pick<UpdateReport, 'cardFields' | 'deletedCards' | 'newCardAuthors'>,
  authorOf: (cardId: string) => string | undefined,
  participantId: string,
): string[] {
  const problems: string[] = [];
  for (const [cardId, fields] of report.cardFields) {
    const author = authorOf(cardId);
    if (author === undefined) {
      if (report.newCardAuthors.get(cardId) !== participantId)
        problems.push('creates a card in another name');
    } else if (author !== participantId && [...fields].some((field) => !SHARED_CARD_FIELDS.has(field))) {
      problems.push("changes another participant's card");
    }
  }
  for (const cardId of report.deletedCards) {
    if (authorOf(cardId) !== participantId) problems.push("deletes another participant's card");
  }
  return problems;
}
