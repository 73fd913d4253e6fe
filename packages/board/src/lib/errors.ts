/** Why a board operation was refused. Codes are stable: clients translate them. */
export type BoardErrorCode =
  | 'text-empty'
  | 'text-too-long'
  /** A text breaks the text rule (text.ts): a control, text-direction or noncharacter, or a line break in a title. */
  | 'text-invalid'
  | 'title-too-long'
  | 'invalid-kind'
  | 'invalid-position'
  /** An area the board's template does not have. */
  | 'invalid-area'
  | 'card-not-found'
  | 'group-not-found'
  | 'not-author'
  | 'board-locked'
  | 'grouping-locked'
  | 'not-in-this-phase'
  | 'vote-budget-exhausted'
  | 'no-votes-to-remove'
  | 'invalid-setting'
  | 'board-full'
  /** One participant's share of the board is used up (MAX_CARDS_PER_PARTICIPANT). */
  | 'quota-exceeded'
  /** Ids are never reused on a board: a deleted card's id stays dead. */
  | 'id-taken'
  /** Initiatives (initiatives.ts): no such initiative or task in the session. */
  | 'initiative-not-found'
  | 'task-not-found'
  /** Only a member of the initiative may do this (take a task, be its contact). */
  | 'not-a-member'
  /** The rules of initiatives give this to someone else (its proposer, the task's owner, the moderator). */
  | 'not-allowed'
  /** A date that is not YYYY-MM-DD or does not exist, a time that is not HH:MM. */
  | 'invalid-date';

export class BoardError extends Error {
  readonly code: BoardErrorCode;

  constructor(code: BoardErrorCode, message: string) {
    super(message);
    this.name = 'BoardError';
    this.code = code;
  }
}
