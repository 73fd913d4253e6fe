export {
  type Actor,
  addCard,
  canChangeCard,
  deleteCard,
  editCard,
  getCard,
  listCards,
  moveCard,
  type NewCard,
  observeCards,
} from './lib/cards.js';
export { BoardError, type BoardErrorCode } from './lib/errors.js';
export { CARD_SIZE, KIND_AREA_WIDTH, kindAreaX, suggestCardPosition } from './lib/placement.js';
export {
  CARD_KINDS,
  type Card,
  type CardKind,
  isCardKind,
  MAX_CARD_TEXT,
  ROOT,
} from './lib/schema.js';
export { inspectUpdate, type UpdateVerdict } from './lib/update-guard.js';
