/**
 * The control plane's commands: votes for participants, settings and
 * removals for moderators. Each payload is checked against its schema, each
 * sender against its role and session, and the board's own rules decide the
 * rest; the answer always comes back as an acknowledgement.
 */
import {
  type Actor,
  anonymousCardSite,
  applyIntent,
  BoardError,
  bringEveryone,
  castVote,
  changeSettings,
  DEFAULT_LANGUAGE,
  extendTimer,
  findTemplate,
  getCard,
  getGroup,
  type IntentAuthor,
  newBoardState,
  pauseTimer,
  phaseSnapshotName,
  type RecordedChange,
  readMeta,
  removeFromInitiatives,
  resumeTimer,
  setFocus,
  showInitiatives,
  showOnScreen,
  startTimer,
  type Timer,
  undoChanges,
  updateMeta,
} from '@kaptar/board';
import {
  type Ack,
  COMMAND_ERRORS,
  COMMANDS,
  type CommandErrorCode,
  check,
  checkField,
  type Intent,
  LIMITS,
} from '@kaptar/protocol';
import type { FastifyInstance } from 'fastify';
import type { Authenticated } from '../auth/plugin.js';
import { hashToken, newToken } from '../auth/secrets.js';
import { TokenBucket } from '../auth/token-bucket.js';
import { newBoard, nextPosition } from '../boards/lifecycle.js';
import { ChangeHeldError, isStorageFailure } from '../storage/errors.js';
import { SessionFullError } from '../storage/session-quota.js';
import type { ParticipantRecord } from '../storage/store.js';
import { CommandError, type CommandName, type Payload } from './command.js';
import { type InitiativeBudgets, registerInitiativeCommands } from './initiative-commands.js';
import { residentFor } from './on-behalf.js';
import { facilitationView, participantRoom, privateView } from './private-views.js';
import { registerResidentCommands } from './resident-commands.js';

/**
 * What a session closed for writing still answers: reads, and its opening again. Everything else
 * is refused with `session-closed`, whoever sends it.
 */
const STILL_OPEN_WHEN_CLOSED: ReadonlySet<string> = new Set([
  'board:private',
  'initiative:link',
  'session:close',
]);
/**
 * Commands that see whether the session is closed where they are applied: intents, in their
 * board's turn (intent-service.ts), each refused with `session-closed` there.
 */
const CLOSED_CHECKED_WHEN_APPLIED: ReadonlySet<string> = new Set(['intents']);

/** Budgets kept across a person's sockets (one per app: see the control plugin). */
export interface SharedBudgets {
  /** Changes to the session's initiatives (initiative-commands.ts). */
  initiatives: InitiativeBudgets;
}

/** Commands per second one socket may send (with a burst): people click, scripts flood. */
export const COMMANDS_PER_SECOND = 20;
export const COMMAND_BURST = 40;

/** Where the handlers are registered: a socket, or a person's table on the owner (command-routing.ts). */
export interface CommandSocket {
  on(event: string, listener: (...args: never[]) => void): unknown;
}

export function registerCommands(
  app: FastifyInstance,
  socket: CommandSocket,
  principal: Authenticated,
  shared: SharedBudgets,
): void {
  const actor: Actor = { participantId: principal.participantId, role: principal.role };
  const budget = new TokenBucket(COMMANDS_PER_SECOND, COMMAND_BURST);

  /**
   * Boards this socket has found in its session. A board never moves to another session (it is
   * deleted only with its own), so each is read once: read for every batch, 2,000 phones editing
   * once a second held PostgreSQL's pool, and their acks, behind 2,000 reads a second.
   */
  const boardsInSession = new Set<string>();

  /** The board, if it belongs to the sender's session. */
  async function boardOf(boardId: string) {
    const board = await app.store.getBoard(boardId);
    if (!board || board.sessionId !== principal.sessionId) {
      throw new CommandError('unknown-board', 'No such board in this session');
    }
    boardsInSession.add(boardId);
    return board;
  }

  async function requireBoard(boardId: string): Promise<void> {
    if (!boardsInSession.has(boardId)) await boardOf(boardId);
  }

  /** Who acts: the sender, or the resident without a phone the moderator acts for (on-behalf.ts). */
  function actorOf(resident: ParticipantRecord | null): Actor {
    return resident ? { participantId: resident.id, role: 'participant' } : actor;
  }

  /**
   * Who sends a batch: the sender, or the resident without a phone whose cards the moderator types
   * (they carry the resident's id and settlement, and the moderator's mark); with the settlement
   * their cards carry if the board is anonymous when they are applied (only one named by enough
   * people), worked out only for a batch that adds cards to a board that is anonymous now.
   */
  async function authorOf(
    boardId: string,
    intents: Intent[],
    resident: ParticipantRecord | null,
  ): Promise<IntentAuthor> {
    const site = resident ? resident.site : principal.participant.site;
    const author = {
      actor: actorOf(resident),
      site,
      ...(resident ? { enteredBy: actor.participantId } : {}),
    };
    if (site === '' || !intents.some((intent) => intent.type === 'card:add')) return author;
    if (!(await app.rooms.withRoom(boardId, (room) => room.board.meta().anonymous))) return author;
    const people = await app.store.listParticipants(principal.sessionId);
    const namedBy = people.filter((p) => p.role === 'participant' && p.site === site).length;
    return { ...author, anonymousSite: anonymousCardSite(site, namedBy) };
  }

  /** A board title through the text rule (@kaptar/protocol's text.ts), or a `text-invalid` refusal. */
  function boardTitle(title: string): string {
    const checked = checkField('boardTitle', title);
    if (!checked.ok) throw new CommandError('text-invalid', checked.error);
    return checked.text;
  }

  function moderatorOnly(): void {
    if (principal.role !== 'moderator') throw new CommandError('forbidden', 'Only the moderator can do this');
  }

  function on<E extends CommandName>(event: E, handle: (payload: Payload<E>) => Promise<object>): void {
    // Registered untyped on purpose: a hand-made client may send anything, in any shape.
    socket.on(event as string, async (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const reply = ack as (result: Ack) => void;
      if (!budget.take())
        return reply(refusal(new CommandError('rate-limited', 'Too many commands; slow down')));
      const checked = check(COMMANDS[event], payload);
      if (!checked.ok) return reply(refusal(new CommandError('invalid-payload', checked.error)));
      try {
        if (
          !STILL_OPEN_WHEN_CLOSED.has(event) &&
          !CLOSED_CHECKED_WHEN_APPLIED.has(event) &&
          (await app.store.getSession(principal.sessionId))?.closedAt
        ) {
          throw new CommandError('session-closed', 'The moderator closed this session for writing');
        }
        reply({ ok: true, ...(await handle(checked.value as Payload<E>)) });
      } catch (error) {
        // As on the HTTP side (errors.ts): a failing disk is reported and probed until it recovers;
        // a store that let go of its files after a refused read opens them again only then.
        if (isStorageFailure(error)) app.storageHealth.failed(error);
        else if (!(error instanceof CommandError || error instanceof BoardError)) {
          app.log.error({ err: error, event }, 'command failed');
        }
        reply(refusal(error));
      }
    });
  }
  registerInitiativeCommands(app, principal, on, shared.initiatives);
  registerResidentCommands(app, principal, on);

  // A paper vote the moderator enters for a resident goes on the resident's ballot, within its budget.
  on('vote', async ({ boardId, cardId, delta, onBehalfOf }) => {
    if (principal.role === 'viewer') throw new CommandError('forbidden', 'The projector does not vote');
    const voter = actorOf(await residentFor(app.store, principal, onBehalfOf));
    await requireBoard(boardId);
    return app.rooms.change(boardId, (room) => castVote(room.board, voter, cardId, delta));
  });

  on('board:private', async ({ boardId, onBehalfOf }) => {
    if (principal.role === 'viewer')
      throw new CommandError('forbidden', 'The projector shows the board only');
    const resident = await residentFor(app.store, principal, onBehalfOf);
    await requireBoard(boardId);
    // Entering a resident's paper votes shows the moderator that resident's ballot, and only that.
    if (resident) {
      return app.rooms.withRoom(boardId, (room) => ({ mine: privateView(room.board, boardId, resident.id) }));
    }
    const voters = principal.role === 'moderator' ? await app.votersOf(principal.sessionId) : [];
    return app.rooms.withRoom(boardId, (room) => ({
      mine: privateView(room.board, boardId, principal.participantId),
      ...(principal.role === 'moderator'
        ? { facilitation: facilitationView(room.board, boardId, voters) }
        : {}),
    }));
  });

  /**
   * A device's batches join their board's queue in the order it sent them: a phone sends a card's
   * move right after its add, and the add, whose author takes longer to work out, must not be
   * overtaken (the move was refused as `card-not-found`).
   */
  let arriving: Promise<unknown> = Promise.resolve();
  on('intents', async ({ boardId, intents, onBehalfOf }) => {
    if (principal.role === 'viewer')
      throw new CommandError('forbidden', 'The projector only reads the board');
    const queued = arriving.then(async () => {
      const resident = await residentFor(app.store, principal, onBehalfOf);
      await requireBoard(boardId);
      const author = await authorOf(boardId, intents, resident);
      // Wrapped: the next batch waits for this one to be queued, not for it to be applied.
      return { running: app.intents.run(principal.sessionId, author, boardId, intents) };
    });
    arriving = queued.catch(() => undefined);
    const { running } = await queued;
    return { results: await running };
  });

  on('board:settings', async ({ boardId, settings }) => {
    moderatorOnly();
    const board = await boardOf(boardId);
    // Each phase change keeps a snapshot of where the previous phase ended, for the report; a
    // session at its storage quota still changes phase, without it.
    const from = await app.rooms.withRoom(boardId, (room) => readMeta(room.doc).phase);
    if (settings.phase !== undefined && settings.phase !== from) {
      const session = await app.store.getSession(principal.sessionId);
      const name = phaseSnapshotName(from, settings.phase, session?.lang ?? DEFAULT_LANGUAGE);
      await app.snapshots.save(board, { name, kind: 'auto', by: principal.participantId }).catch((error) => {
        if (!(error instanceof SessionFullError)) throw error;
        app.log.warn({ boardId, sessionId: principal.sessionId }, 'no phase snapshot: the session is full');
      });
    }
    await app.rooms.change(boardId, (room) => changeSettings(room.board, settings));
    return {};
  });

  on('board:timer', async (command) => {
    moderatorOnly();
    await requireBoard(command.boardId);
    await app.rooms.change(command.boardId, (room) => {
      // Read inside the change: two presses in a row each see the other's result.
      const now = Date.now();
      const { timer } = readMeta(room.doc);
      const next =
        'durationMs' in command
          ? startTimer(command.durationMs, now)
          : TIMER_ACTIONS[command.action](timer, now);
      updateMeta(room.doc, { timer: next });
    });
    return {};
  });

  on('board:remove-card', async ({ boardId, cardId }) => {
    moderatorOnly();
    await requireBoard(boardId);
    await app.rooms.change(boardId, (room) =>
      applyIntent(room.board, { actor, site: principal.participant.site }, { type: 'card:delete', cardId }),
    );
    return {};
  });

  on('board:undo-participant', async ({ boardId, participantId }) => {
    moderatorOnly();
    await requireBoard(boardId);
    const undone = await app.rooms.change(boardId, async (room) => {
      // Which cards would go would tell the moderator who wrote them.
      if (room.board.meta().anonymous) {
        throw new CommandError('forbidden', 'On an anonymous board one person’s cards cannot be told apart');
      }
      // Unsaved first, stored second: an intent saved in between is then in both (kept once), never
      // in neither. Whatever is unsaved is newer than whatever is stored.
      const unsaved = room.unsavedIntentsBy(participantId);
      const stored = await app.store.listChangesBy(boardId, participantId);
      const seen = new Set(stored.map((record) => record.intentId));
      const intents = [...stored, ...unsaved.filter((record) => !seen.has(record.intentId))];
      return undoChanges(
        room.board,
        intents.flatMap((record) => JSON.parse(record.changes) as RecordedChange[]),
      );
    });
    app.log.info({ boardId, participantId, undone }, 'moderator undid one participant');
    return { undone };
  });

  on('session:remove-participant', async ({ participantId }) => {
    moderatorOnly();
    const participants = await app.store.listParticipants(principal.sessionId);
    const target = participants.find((p) => p.id === participantId && p.role === 'participant');
    if (!target) throw new CommandError('unknown-participant', 'No such participant in this session');
    await app.store.removeParticipant(principal.sessionId, participantId, Date.now());
    await app.sessionRooms.change(principal.sessionId, (doc) => removeFromInitiatives(doc, participantId));
    app.control.to(participantRoom(principal.sessionId, participantId)).emit('removed');
    await app.disconnectHolder(principal.sessionId, participantId, 'removed from the session');
    app.announcePresence(principal.sessionId);
    return {};
  });

  on('session:renew-projector-link', async () => {
    moderatorOnly();
    const viewerToken = newToken();
    await app.store.renewViewerToken(principal.sessionId, viewerToken, hashToken(viewerToken));
    // Screens on the old link stop at once: its token no longer signs in, and its sockets close.
    const viewers = (await app.store.listParticipants(principal.sessionId)).filter(
      (p) => p.role === 'viewer',
    );
    for (const viewer of viewers) {
      await app.disconnectHolder(principal.sessionId, viewer.id, 'the projector link was renewed');
    }
    return { viewerToken };
  });

  // The session document: what the projector shows, where everyone is brought, presenter focus.
  on('session:screen', async (command) => {
    moderatorOnly();
    if ('initiatives' in command) {
      await app.sessionRooms.change(principal.sessionId, (doc) => showInitiatives(doc, command.initiatives));
      return {};
    }
    await requireBoard(command.boardId);
    await app.sessionRooms.change(principal.sessionId, (doc) => showOnScreen(doc, command.boardId));
    return {};
  });

  on('session:bring', async ({ boardId }) => {
    moderatorOnly();
    await requireBoard(boardId);
    await app.sessionRooms.change(principal.sessionId, (doc) => bringEveryone(doc, boardId, Date.now()));
    return {};
  });

  on('session:focus', async (command) => {
    moderatorOnly();
    if ('clear' in command) {
      await app.sessionRooms.change(principal.sessionId, (doc) => setFocus(doc, null));
      return {};
    }
    const { boardId, kind, id } = command;
    await requireBoard(boardId);
    // Only what the whole room may see goes on the screen: a silent-collect draft is not in the
    // shared document, so it is "not found" here too.
    const found = await app.rooms.withRoom(boardId, (room) =>
      kind === 'card' ? getCard(room.doc, id) : getGroup(room.doc, id),
    );
    if (!found) {
      const code = kind === 'card' ? 'card-not-found' : 'group-not-found';
      throw new CommandError(code, `No such ${kind} on this board`);
    }
    await app.sessionRooms.change(principal.sessionId, (doc) => setFocus(doc, command));
    return {};
  });

  on('board:create', async ({ title, template }) => {
    moderatorOnly();
    const chosen = findTemplate(template);
    if (!chosen) throw new CommandError('invalid-payload', `Unknown template ${template}`);
    const boards = await app.store.listBoards(principal.sessionId);
    if (boards.length >= LIMITS.boardsPerSession) {
      throw new CommandError('invalid-setting', `A session holds at most ${LIMITS.boardsPerSession} boards`);
    }
    // A board left unnamed is called after its template, in the session's language ("Tábla 2" said nothing).
    const lang = (await app.store.getSession(principal.sessionId))?.lang ?? DEFAULT_LANGUAGE;
    const named = boardTitle(title) || chosen.title[lang];
    const board = newBoard(principal.sessionId, { title: named, position: nextPosition(boards) });
    await app.sessionQuota.growing(principal.sessionId, () =>
      app.store.createBoard(board, newBoardState(template)),
    );
    await app.announceBoards(principal.sessionId);
    return { boardId: board.id };
  });

  on('board:update', async ({ boardId, title, archived }) => {
    moderatorOnly();
    await requireBoard(boardId);
    await app.store.updateBoard(boardId, {
      ...(title !== undefined ? { title: boardTitle(title) } : {}),
      archived,
    });
    await app.announceBoards(principal.sessionId);
    return {};
  });

  on('board:reorder', async ({ boardIds }) => {
    moderatorOnly();
    const own = new Set((await app.store.listBoards(principal.sessionId)).map((board) => board.id));
    const foreign = boardIds.filter((id) => !own.has(id));
    if (foreign.length > 0)
      throw new CommandError('unknown-board', `No such board in this session: ${foreign.join(', ')}`);
    await app.store.reorderBoards(principal.sessionId, boardIds);
    await app.announceBoards(principal.sessionId);
    return {};
  });

  socket.on('clock', (ack: unknown) => {
    // Metered like every command: an answer costs little, a flood of them still costs the loop.
    if (typeof ack === 'function' && budget.take()) (ack as (now: number) => void)(Date.now());
  });
}

/** What the moderator's timer buttons do (timer.ts in @kaptar/board). */
const TIMER_ACTIONS = {
  pause: pauseTimer,
  resume: resumeTimer,
  'add-minute': (timer, now) => extendTimer(timer, now),
} satisfies Record<string, (timer: Timer | null, now: number) => Timer>;

function refusal(error: unknown): Ack {
  if (error instanceof CommandError) return { ok: false, code: error.code, error: error.message };
  if (error instanceof BoardError) {
    const code = (COMMAND_ERRORS as readonly string[]).includes(error.code)
      ? (error.code as CommandErrorCode)
      : 'invalid-payload';
    return { ok: false, code, error: error.message };
  }
  if (error instanceof ChangeHeldError) {
    return {
      ok: false,
      code: 'storage-delayed',
      error: 'Not saved yet: kept, and saved once the disk takes writes',
    };
  }
  if (error instanceof SessionFullError) return { ok: false, code: 'session-full', error: error.message };
  if (isStorageFailure(error)) {
    return {
      ok: false,
      code: 'storage-unavailable',
      error: 'The server cannot save right now (disk problem)',
    };
  }
  // A bug, not the sender's fault: retryable, so a device's outbox keeps what it sent.
  return { ok: false, code: 'unavailable', error: 'The server could not do this now' };
}
