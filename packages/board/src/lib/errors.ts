/** Why a board operation was refused. Codes are stable: clients translate them. */
export type BoardErrorCode =
  | 'text-empty'
  | 'text-too-long'
  | 'invalid-kind'
  | 'invalid-position'
  | 'card-not-found'
  | 'not-author';

export class BoardError extends Error {
  readonly code: BoardErrorCode;

  constructor(code: BoardErrorCode, message: string) {
    super(message);
    this.name = 'BoardError';
    this.code = code;
  }
}
