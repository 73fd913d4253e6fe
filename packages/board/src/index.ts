export {
  type Actor,
  addCard,
  canChangeCard,
  countCards,
  deleteCard,
  editCard,
  getCard,
  listCards,
  moveCard,
  type NewCard,
  observeCards,
  observeChangedCards,
} from './lib/cards.js';
export { type BoardChanges, type CardChange, compareContents } from './lib/compare.js';
export { type BoardContents, countContents, readContents } from './lib/contents.js';
export { BoardError, type BoardErrorCode } from './lib/errors.js';
export {
  addToGroup,
  createGroup,
  dissolveGroup,
  GROUP_COLORS,
  getGroup,
  groupWith,
  listGroups,
  moveGroup,
  removeFromGroup,
  renameGroup,
} from './lib/groups.js';
export { newBoardState, observeMeta, readMeta, timeLeft, updateMeta } from './lib/meta.js';
export { CARD_SIZE, KIND_AREA_WIDTH, kindAreaX, suggestCardPosition } from './lib/placement.js';
export { docFromState, restoreContent } from './lib/restore.js';
export {
  assertMayAct,
  authorshipProblems,
  type BoardAction,
  type BoardRole,
  mayAct,
  mayEditBoard,
  PARTICIPANT_RIGHTS,
} from './lib/rules.js';
export {
  type BoardMeta,
  CARD_KINDS,
  type Card,
  type CardKind,
  DEFAULT_META,
  type Group,
  isCardKind,
  MAX_CARD_TEXT,
  MAX_CARDS_PER_BOARD,
  MAX_GROUP_TITLE,
  MAX_VOTE_BUDGET,
  PHASES,
  type Phase,
  PROTECTED_ROOTS,
  ROOT,
  type Timer,
} from './lib/schema.js';
export {
  type BoardTemplate,
  DEFAULT_TEMPLATE,
  findTemplate,
  type Localized,
  TEMPLATES,
  type TemplateArea,
} from './lib/templates.js';
export { inspectUpdate, type UpdateReport } from './lib/update-guard.js';
export {
  castVote,
  observeVotes,
  type VoteResult,
  votesOf,
  votesOn,
  votesUsedBy,
  voteTotals,
} from './lib/votes.js';
