/**
 * The socket.io control plane: event names, payload schemas and the typed
 * event maps both ends plug into `Server<...>` / `Socket<...>`. Everything
 * that needs authority (votes, settings, removals) goes through here, with an
 * acknowledgement saying what happened.
 */
import { MAX_TIMER_MS } from '@kaptar/board';
import type { Static, TSchema } from '@sinclair/typebox';
// A namespace import, as in http.ts, so that the phone's bundle keeps only the builders it calls.
import * as Type from '@sinclair/typebox';
import { BoardSummary, Id } from './http.js';
import {
  AddResidentCommand,
  CloseSessionCommand,
  InitiativeCommand,
  InitiativeLinkCommand,
} from './initiatives.js';
import { IntentBatch, type IntentResult } from './intents.js';
import { LIMITS, RAW_TEXT_FACTOR } from './limits.js';
import { type FacilitationView, type PrivateView, PrivateViewCommand } from './private.js';

/** Sent in the socket.io handshake: `io(url, { auth })`. */
export const ControlAuth = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });
export type ControlAuth = Static<typeof ControlAuth>;

export const PresenceEntry = Type.Object({
  participantId: Type.String(),
  name: Type.String(),
  site: Type.String(),
  role: Type.String(),
  online: Type.Boolean(),
  /** A resident without a phone, added by the moderator, who enters what they do for them. */
  noDevice: Type.Boolean(),
});
export type PresenceEntry = Static<typeof PresenceEntry>;

export const PresenceList = Type.Array(PresenceEntry);
export type PresenceList = Static<typeof PresenceList>;

/** The phases of @kaptar/board's PHASES; a board test checks the two lists agree. */
export const Phase = Type.Union([
  Type.Literal('collect'),
  Type.Literal('group'),
  Type.Literal('vote'),
  Type.Literal('discuss'),
]);

export const VoteCommand = Type.Object(
  {
    boardId: Id,
    cardId: Id,
    delta: Type.Union([Type.Literal(1), Type.Literal(-1)]),
    /** Moderator: a paper vote of a resident without a phone, within their budget (OnBehalfOf). */
    onBehalfOf: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type VoteCommand = Static<typeof VoteCommand>;

/** Board settings a moderator may change; any subset at once. Mirrors BoardMeta in @kaptar/board. */
export const BoardSettingsCommand = Type.Object(
  {
    boardId: Id,
    settings: Type.Object(
      {
        phase: Type.Optional(Phase),
        voteBudget: Type.Optional(Type.Integer({ minimum: 0, maximum: 50 })),
        votesHidden: Type.Optional(Type.Boolean()),
        locked: Type.Optional(Type.Boolean()),
        silentCollect: Type.Optional(Type.Boolean()),
        cardsDuringVote: Type.Optional(Type.Boolean()),
        groupingLocked: Type.Optional(Type.Boolean()),
        anonymous: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false, minProperties: 1 },
    ),
  },
  { additionalProperties: false },
);
export type BoardSettingsCommand = Static<typeof BoardSettingsCommand>;

/**
 * The board's countdown: `durationMs` starts it anew (0 stops it; at most 4 hours), `action` holds
 * it, lets it go on, or adds a minute ("+1 perc") to what is left (timer.ts in @kaptar/board).
 */
export const TimerCommand = Type.Union([
  Type.Object(
    { boardId: Id, durationMs: Type.Integer({ minimum: 0, maximum: MAX_TIMER_MS }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      boardId: Id,
      action: Type.Union([Type.Literal('pause'), Type.Literal('resume'), Type.Literal('add-minute')]),
    },
    { additionalProperties: false },
  ),
]);
export type TimerCommand = Static<typeof TimerCommand>;

export const RemoveCardCommand = Type.Object({ boardId: Id, cardId: Id }, { additionalProperties: false });
export type RemoveCardCommand = Static<typeof RemoveCardCommand>;

/** Checked to its limit after NFC by the text rule (text.ts); the schema bounds the work. */
const BoardTitle = Type.String({ maxLength: RAW_TEXT_FACTOR * LIMITS.boardTitle });

/** Moderator: a new board in the session, from a template (ids in @kaptar/board's TEMPLATES). */
export const CreateBoardCommand = Type.Object(
  { title: BoardTitle, template: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export type CreateBoardCommand = Static<typeof CreateBoardCommand>;

export const UpdateBoardCommand = Type.Object(
  { boardId: Id, title: Type.Optional(BoardTitle), archived: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 2 },
);
export type UpdateBoardCommand = Static<typeof UpdateBoardCommand>;

export const ReorderBoardsCommand = Type.Object(
  { boardIds: Type.Array(Id, { maxItems: 100, uniqueItems: true }) },
  { additionalProperties: false },
);
export type ReorderBoardsCommand = Static<typeof ReorderBoardsCommand>;

export const BoardList = Type.Array(BoardSummary);
export type BoardList = Static<typeof BoardList>;

/** Moderator: take back everything one participant changed on a board (their cards, regroupings…). */
export const UndoParticipantCommand = Type.Object(
  { boardId: Id, participantId: Id },
  { additionalProperties: false },
);
export type UndoParticipantCommand = Static<typeof UndoParticipantCommand>;

export const RemoveParticipantCommand = Type.Object({ participantId: Id }, { additionalProperties: false });
export type RemoveParticipantCommand = Static<typeof RemoveParticipantCommand>;

/** No payload: the session is the sender's. */
export const RenewProjectorLinkCommand = Type.Object({}, { additionalProperties: false });
export type RenewProjectorLinkCommand = Static<typeof RenewProjectorLinkCommand>;

/**
 * Moderator: the board the projector shows (sent when the moderator opens a board), or the
 * session's initiatives over it (`{initiatives: true}`; `false` takes them off; another board too).
 */
export const SessionScreenCommand = Type.Union([
  Type.Object({ boardId: Id }, { additionalProperties: false }),
  Type.Object({ initiatives: Type.Boolean() }, { additionalProperties: false }),
]);
export type SessionScreenCommand = Static<typeof SessionScreenCommand>;

/** Moderator: every phone goes to this board ("Mindenkit ide"), and the projector with them. */
export const SessionBringCommand = Type.Object({ boardId: Id }, { additionalProperties: false });
export type SessionBringCommand = Static<typeof SessionBringCommand>;

/**
 * Moderator: presenter mode. A card or group of a board goes on the big screen (and, with
 * `onPhones`, on every phone), or `{clear: true}` takes it off (PresenterFocus in @kaptar/board).
 */
export const SessionFocusCommand = Type.Union([
  Type.Object(
    {
      boardId: Id,
      kind: Type.Union([Type.Literal('card'), Type.Literal('group')]),
      id: Id,
      onPhones: Type.Boolean(),
    },
    { additionalProperties: false },
  ),
  Type.Object({ clear: Type.Literal(true) }, { additionalProperties: false }),
]);
export type SessionFocusCommand = Static<typeof SessionFocusCommand>;

/** Why a command was refused. Stable codes: clients translate them. */
export const COMMAND_ERRORS = [
  'invalid-payload',
  'forbidden',
  'unknown-board',
  'unknown-participant',
  'rate-limited',
  // The disk refuses writes, so nothing was changed.
  'storage-unavailable',
  // The disk failed during the save: the change is kept and saved once it takes writes again.
  'storage-delayed',
  // Something went wrong on the server (a bug, not the sender's fault): nothing was changed.
  'unavailable',
  // The session holds the storage a session may take: nothing more is saved in it.
  'session-full',
  // Board rule codes (BoardErrorCode in @kaptar/board) pass through as they are.
  'card-not-found',
  'group-not-found',
  'board-locked',
  'not-in-this-phase',
  'vote-budget-exhausted',
  'no-votes-to-remove',
  'invalid-setting',
  // A text breaks the text rule (text.ts), e.g. a board title with a control character.
  'text-invalid',
  'text-empty',
  'text-too-long',
  'invalid-kind',
  'id-taken',
  'board-full',
  // One person's share is used up (initiatives proposed, tasks added).
  'quota-exceeded',
  // Initiatives (initiatives.ts in @kaptar/board).
  'initiative-not-found',
  'task-not-found',
  'not-a-member',
  'not-allowed',
  'invalid-date',
  // The moderator closed the session for writing: it reads, nothing changes.
  'session-closed',
  // `onBehalfOf` names nobody the moderator added as a resident without a phone.
  'not-a-resident',
] as const;
export type CommandErrorCode = (typeof COMMAND_ERRORS)[number];

export type Ack<T extends object = object> =
  | ({ ok: true } & T)
  | { ok: false; code: CommandErrorCode; error: string };

/** The payload schema of each command event, for validation on the server. */
export const COMMANDS = {
  intents: IntentBatch,
  vote: VoteCommand,
  'board:settings': BoardSettingsCommand,
  'board:timer': TimerCommand,
  'board:remove-card': RemoveCardCommand,
  'session:remove-participant': RemoveParticipantCommand,
  'session:renew-projector-link': RenewProjectorLinkCommand,
  'board:undo-participant': UndoParticipantCommand,
  'board:create': CreateBoardCommand,
  'board:update': UpdateBoardCommand,
  'board:reorder': ReorderBoardsCommand,
  'board:private': PrivateViewCommand,
  'session:screen': SessionScreenCommand,
  'session:bring': SessionBringCommand,
  'session:focus': SessionFocusCommand,
  initiative: InitiativeCommand,
  'initiative:link': InitiativeLinkCommand,
  'session:add-resident': AddResidentCommand,
  'session:close': CloseSessionCommand,
} as const satisfies Record<string, TSchema>;

export interface ServerToClientEvents {
  /** The whole participant list of the session, sent on connect and on every change. */
  presence: (list: PresenceList) => void;
  /**
   * This participant was removed from the session by the moderator, or (`sessionDeleted`) the
   * moderator deleted the whole session; the token no longer works.
   */
  removed: (reason?: { sessionDeleted: true }) => void;
  /** The session's boards in order, archived ones flagged; sent on connect and on every change. */
  boards: (list: BoardList) => void;
  /** To a participant's own devices only: their drafts, ballot and own cards, on every change. */
  private: (view: PrivateView) => void;
  /** To the moderator's devices only: every draft and voting progress, on every change. */
  facilitation: (view: FacilitationView) => void;
}

export interface ClientToServerEvents {
  /** Anyone but the projector: change cards and groups (intents.ts); one result per intent. */
  intents: (command: IntentBatch, ack: (result: Ack<{ results: IntentResult[] }>) => void) => void;
  /** Participants: place or take back one vote. */
  vote: (command: VoteCommand, ack: (result: Ack<{ onCard: number; remaining: number }>) => void) => void;
  /** Moderator: change board settings (phase, votes, lock, silent collect). */
  'board:settings': (command: BoardSettingsCommand, ack: (result: Ack) => void) => void;
  /** Moderator: start, stop, pause, resume or lengthen the countdown. */
  'board:timer': (command: TimerCommand, ack: (result: Ack) => void) => void;
  /** Moderator: remove any card. */
  'board:remove-card': (command: RemoveCardCommand, ack: (result: Ack) => void) => void;
  /** Moderator: remove a participant from the session (their cards stay). */
  'session:remove-participant': (command: RemoveParticipantCommand, ack: (result: Ack) => void) => void;
  /** Moderator: a new projector link (a leaked one stops working; screens on it are disconnected). */
  'session:renew-projector-link': (
    command: RenewProjectorLinkCommand,
    ack: (result: Ack<{ viewerToken: string }>) => void,
  ) => void;
  /** Moderator: take back everything one participant changed on a board; how many writes were undone. */
  'board:undo-participant': (
    command: UndoParticipantCommand,
    ack: (result: Ack<{ undone: number }>) => void,
  ) => void;
  /** Moderator: add a board from a template. */
  'board:create': (command: CreateBoardCommand, ack: (result: Ack<{ boardId: string }>) => void) => void;
  /** Moderator: rename or archive (or bring back) a board. */
  'board:update': (command: UpdateBoardCommand, ack: (result: Ack) => void) => void;
  /** Moderator: put the session's boards in this order. */
  'board:reorder': (command: ReorderBoardsCommand, ack: (result: Ack) => void) => void;
  /** Anyone: what only this person may see of a board (participant: PrivateView; moderator: both). */
  'board:private': (
    command: PrivateViewCommand,
    ack: (result: Ack<{ mine: PrivateView; facilitation?: FacilitationView }>) => void,
  ) => void;
  /** Moderator: the projector shows this board (the session document's `screen`). */
  'session:screen': (command: SessionScreenCommand, ack: (result: Ack) => void) => void;
  /** Moderator: bring every phone (and the projector) to this board. */
  'session:bring': (command: SessionBringCommand, ack: (result: Ack) => void) => void;
  /** Moderator: put a card or group on the big screen, or take it off. */
  'session:focus': (command: SessionFocusCommand, ack: (result: Ack) => void) => void;
  /** Anyone but the projector: propose, join, edit an initiative, take a task… (initiatives.ts). */
  initiative: (command: InitiativeCommand, ack: (result: Ack) => void) => void;
  /** A member or the moderator: the follow-up page's token (`followUpPath`); `renew` revokes the old. */
  'initiative:link': (command: InitiativeLinkCommand, ack: (result: Ack<{ token: string }>) => void) => void;
  /** Moderator: add a resident without a phone; they count like anyone, the moderator acts for them. */
  'session:add-resident': (
    command: AddResidentCommand,
    ack: (result: Ack<{ participantId: string }>) => void,
  ) => void;
  /** Moderator: close the session for writing, or open it again. */
  'session:close': (command: CloseSessionCommand, ack: (result: Ack) => void) => void;
  /** Anyone: the server's clock, so countdowns agree on phones with wrong clocks. */
  clock: (ack: (serverNow: number) => void) => void;
}

/** Connect errors the server sends through socket.io's `connect_error`. */
export const CONTROL_ERRORS = {
  badToken: 'invalid-token',
  tooManyConnections: 'too-many-connections',
} as const;
