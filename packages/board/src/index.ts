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
  observeChangedCards,
} from './lib/cards.js';
export { type BoardChanges, type CardChange, compareContents } from './lib/compare.js';
export { type BoardContents, countContents, readContents } from './lib/contents.js';
export { BoardError, type BoardErrorCode } from './lib/errors.js';
export { byCreation, groupLabels, suggestGroupTitle } from './lib/group-labels.js';
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
export { ID_PATTERN, isId, newId } from './lib/ids.js';
export {
  applyInitiativeChange,
  carriedInitiative,
  linkedCards,
  type Renaming,
  removeFromInitiatives,
  restoreInitiatives,
} from './lib/initiative-rules.js';
export {
  ACTION_PLAN_TEMPLATE,
  type CardRef,
  getInitiative,
  INITIATIVE_TYPES,
  INITIATIVE_TYPES_TEMPLATE,
  INITIATIVES_ROOT,
  type Initiative,
  type InitiativeActor,
  type InitiativeChange,
  type InitiativeMember,
  type InitiativeOp,
  type InitiativeTask,
  isDay,
  MAX_INITIATIVE_GOAL,
  MAX_INITIATIVE_NAME,
  MAX_INITIATIVES,
  MAX_LINKED_CARDS,
  MAX_MEETING_PLACE,
  MAX_MEMBERS,
  MAX_PROPOSALS_PER_PARTICIPANT,
  MAX_TASK_TEXT,
  MAX_TASKS,
  MAX_TASKS_PER_PERSON,
  type Meeting,
  membersBySite,
  observeInitiatives,
  readInitiatives,
  tasksOf,
} from './lib/initiatives.js';
export {
  type AreaTarget,
  applyIntent,
  type BoardIntent,
  type IntentAuthor,
  type IntentType,
  intentSubjects,
} from './lib/intents.js';
export {
  type AreaBox,
  type BoardLayout,
  type Box,
  type CardBox,
  type GroupBox,
  type LayoutContent,
  type LayoutOptions,
  type LayoutStyle,
  layoutBoard,
  overlappingPairs,
  type TextStyle,
  wrapText,
} from './lib/layout.js';
export { CANVAS_STYLE, MIN_PROJECTOR_SCALE, PICTURE_STYLE, PROJECTOR_STYLE } from './lib/layout-styles.js';
export { newBoardState, observeMeta, readMeta, updateMeta } from './lib/meta.js';
export { type BoardModel, type BoardTarget, modelOf, type PatchOp, PlainBoard } from './lib/model.js';
export {
  type Ballot,
  EMPTY_PRIVATE_ROWS,
  type PrivateChange,
  type PrivateRows,
  PrivateState,
} from './lib/private-state.js';
export {
  type ContentsOfAnyVersion,
  cleanDocTexts,
  docFromContents,
  docFromState,
  rebuildDoc,
  restoreContent,
} from './lib/restore.js';
export {
  anonymousCardSite,
  assertMayAct,
  type BoardAction,
  type BoardRole,
  mayAct,
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
  isPhase,
  MAX_CARD_TEXT,
  MAX_CARDS_PER_BOARD,
  MAX_CARDS_PER_PARTICIPANT,
  MAX_COORDINATE,
  MAX_GROUP_TITLE,
  MAX_GROUPS_PER_BOARD,
  MAX_VOTE_BUDGET,
  PHASES,
  type Phase,
  ROOT,
  type Timer,
} from './lib/schema.js';
export { ServerBoard } from './lib/server-board.js';
export {
  bringEveryone,
  NO_SESSION_SHARED,
  observeSessionShared,
  type PresenterFocus,
  readSessionShared,
  SESSION_ROOT,
  type SessionShared,
  setClosed,
  setFocus,
  showInitiatives,
  showOnScreen,
} from './lib/session-doc.js';
export { changeSettings } from './lib/settings.js';
export {
  areaOf,
  type BoardTemplate,
  type CardChoice,
  cardChoices,
  DEFAULT_TEMPLATE,
  findTemplate,
  inChoice,
  type Localized,
  TEMPLATES,
  type TemplateArea,
} from './lib/templates.js';
export {
  checkText,
  cleanText,
  followsTextRule,
  REPLACEMENT_TEXT,
  type TextCheck,
  type TextKind,
  withoutRefusedCharacters,
} from './lib/text.js';
export {
  extendTimer,
  MAX_TIMER_MS,
  pauseTimer,
  resumeTimer,
  startTimer,
  TIMER_EXTENSION_MS,
  TIMER_OVER_SHOWN_MS,
  type TimerView,
  timeLeft,
  timerView,
} from './lib/timer.js';
export { type RecordedChange, RecordingModel, undoChanges } from './lib/undo.js';
export {
  boardLabel,
  DEFAULT_LANGUAGE,
  dayInWords,
  ENTERED_FOR_THEM,
  initiativeTypeTitle,
  isLanguage,
  KIND_TITLES,
  LANGUAGES,
  type Language,
  MODERATOR_NAME,
  meetingInWords,
  OTHER_INITIATIVE_TYPE,
  PHASE_TITLES,
  phaseSnapshotName,
  restoreBackupName,
  UNTITLED_BOARD,
  UNTITLED_GROUP,
} from './lib/vocabulary.js';
export {
  ballotOnBoard,
  castVote,
  groupTotals,
  observeTallies,
  publishTallies,
  type VoteResult,
  votersCount,
  votesUsedBy,
  voteTotals,
} from './lib/votes.js';
