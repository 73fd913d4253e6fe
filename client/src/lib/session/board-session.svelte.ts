/**
 * Everything a board screen needs, in one object: the synced board, the
 * control plane, who "I" am, and what I may do now. Views read from it and
 * call it; they never talk to Yjs or socket.io themselves.
 */
import {
  type Actor,
  type BoardAction,
  type BoardTemplate,
  byCreation,
  type Card,
  type CardChoice,
  cardChoices,
  findTemplate,
  type Group,
  groupLabels,
  mayAct,
  type PresenterFocus,
  type TimerView,
  timerView,
} from '@kaptar/board';
import type { Ack, BoardSettingsCommand, SessionInfoReply, TimerCommand } from '@kaptar/protocol';
import { untrack } from 'svelte';
import { i18n, t } from '../i18n/index.svelte.js';
import { BoardSync } from '../sync/board-sync.svelte.js';
import { ControlSync } from '../sync/control.svelte.js';
import { SessionSync } from '../sync/session-sync.svelte.js';
import { type BoardActions, boardActions, type Refusal } from '../ui/board-actions.js';
import { loadMuted, ring, saveMuted } from '../ui/timer-alarm.js';
import { type ActingResident, actingFor, startActingFor, stopActingFor } from './acting-for.svelte.js';

export class BoardSession {
  readonly sync: BoardSync;
  readonly control: ControlSync;
  readonly actor: Actor;
  readonly actions: BoardActions;
  /** What the whole session shares: the board on the projector, presenter focus, where everyone was brought. */
  readonly shared: SessionSync;
  /** The clock, ticking once a second, for countdowns. */
  now = $state(Date.now());
  /** This device stays quiet when the countdown ends (remembered on the device). */
  timerMuted = $state(loadMuted());
  /** Show only one settlement's cards (remote workshops); null shows all. */
  siteFilter = $state<string | null>(null);
  /**
   * The ballot on this board of the resident without a phone the moderator enters for (their paper
   * votes), as the server last told it; null until it has.
   */
  residentBallot = $state.raw<{ participantId: string; ballot: Map<string, number> } | null>(null);
  /** Group id -> what the group is called here: its title, or numbered when untitled (groupLabels). */
  readonly groupLabels: Map<string, string>;
  /** The groups in the order they were made: the phone list and the group menu keep it. */
  readonly groupsInOrder: Group[];
  private readonly ticker: ReturnType<typeof setInterval>;

  private readonly stops: Array<() => void>;
  private asking: Promise<void> | null = null;
  private askAgain = false;
  private askRetry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly boardId: string,
    token: string,
    readonly me: SessionInfoReply['me'],
    epoch: string,
    readonly sessionId: string,
  ) {
    this.actor = { participantId: me.participantId, role: me.role };
    this.control = new ControlSync(token);
    this.shared = new SessionSync(sessionId, token);
    const author = { actor: this.actor, site: me.site };
    this.sync = new BoardSync({
      boardId,
      token,
      epoch,
      author,
      sendIntents: (intents, onBehalfOf) => this.control.sendIntents(boardId, intents, onBehalfOf),
      // The projector sees only the shared board: it has no private view.
      askPrivate: me.role === 'viewer' ? undefined : () => this.askPrivate(),
    });
    this.stops = [
      this.control.whenConnected(() => {
        this.sync.outbox.flush();
        if (me.role === 'moderator') this.showOnScreenOnce();
        if (me.role !== 'viewer') this.askPrivate();
      }),
      this.control.whenPrivate((id, update) => {
        if (id === boardId) this.sync.applyPrivate(update);
      }),
    ];
    // The moderator's "9 / 14" counts the session's participants now: someone joined or was
    // removed since the last view, so it is asked for again (the server's count is the one shown).
    if (me.role === 'moderator') {
      this.stops.push(
        $effect.root(() => {
          $effect(() => this.recountVoters());
        }),
      );
    }
    // One alarm per device, however many timers its screen shows; only an end seen here rings
    // (a device that opens the board after the end stays quiet).
    let lastState = this.timer.state;
    this.stops.push(
      $effect.root(() => {
        $effect(() => {
          const { state } = this.timer;
          if (lastState === 'running' && state === 'over' && !untrack(() => this.timerMuted)) ring();
          lastState = state;
        });
      }),
    );
    this.actions = boardActions(this.sync, author, () => {
      const resident = this.actingFor;
      return resident && { participantId: resident.participantId, site: resident.site };
    });
    if (me.role === 'moderator') {
      this.stops.push(
        this.control.whenConnected(() => this.askResidentBallot()),
        $effect.root(() => {
          // A new resident to enter for: their ballot here. One the moderator removed: no longer.
          $effect(() => {
            const resident = this.actingFor;
            const { people } = this.control;
            untrack(() => {
              if (
                resident &&
                people.length > 0 &&
                !people.some((p) => p.participantId === resident.participantId)
              )
                stopActingFor();
              else if (resident?.participantId !== this.residentBallot?.participantId)
                this.askResidentBallot();
            });
          });
        }),
      );
    }
    this.groupLabels = $derived(groupLabels(this.sync.groups, i18n.locale));
    this.groupsInOrder = $derived([...this.sync.groups].sort(byCreation));
    this.ticker = setInterval(() => {
      this.now = Date.now();
    }, 1000);
  }

  get meta() {
    return this.sync.meta;
  }

  /** The board's template: its areas are where cards go and how they are listed. */
  get template(): BoardTemplate | undefined {
    return findTemplate(this.sync.meta.template);
  }

  /** What a new card may be: the template's areas with their prompts (or problem and resource). */
  get cardChoices(): CardChoice[] {
    return cardChoices(this.template);
  }

  get isModerator(): boolean {
    return this.actor.role === 'moderator';
  }

  /** The moderator closed the session for writing: nothing is offered that the server would refuse. */
  get closed(): boolean {
    return this.shared.shared.closed;
  }

  may(action: BoardAction): boolean {
    if (this.closed) return false;
    // Entering for a resident, their cards and votes follow a participant's rights, as on the server.
    const asResident = this.actingFor !== null && (action === 'addCard' || action === 'vote');
    return mayAct(asResident ? 'participant' : this.actor.role, action, this.sync.meta);
  }

  /** Moderator: the resident without a phone whose cards and paper votes are being entered, or null. */
  get actingFor(): ActingResident | null {
    return this.isModerator ? actingFor(this.sessionId) : null;
  }

  /**
   * Whose votes the vote buttons show and change: this person's own ballot, or the resident's the
   * moderator enters (empty until the server has sent it).
   */
  get ballot(): ReadonlyMap<string, number> {
    const resident = this.actingFor;
    if (!resident) return this.sync.mine;
    const shown = this.residentBallot;
    return shown?.participantId === resident.participantId ? shown.ballot : NO_VOTES;
  }

  get isViewer(): boolean {
    return this.actor.role === 'viewer';
  }

  /**
   * The cards this person sees, narrowed to the chosen settlement: the shared board, and in silent
   * collect their own drafts (the moderator: everyone's). Nothing else reaches this device.
   */
  get visibleCards(): Card[] {
    const site = this.siteFilter;
    const { cards } = this.sync;
    return site === null ? cards : cards.filter((card) => card.site === site);
  }

  /** Grouping is open to me but for the moderator's lock: then a group's rename says why it cannot. */
  get mayGroupUnlessLocked(): boolean {
    return mayAct(this.actor.role, 'group', { ...this.sync.meta, groupingLocked: false });
  }

  /** Settlements that have cards on this board, for the filter. */
  get cardSites(): string[] {
    return [...new Set(this.sync.cards.map((card) => card.site).filter(Boolean))].sort();
  }

  /** Whether the card waits in silent collect (seen by its author and the moderator only). */
  isDraft(card: Card): boolean {
    return this.sync.draftIds.has(card.id);
  }

  /** Cards shown here that are not public yet: one's own drafts, for the moderator everyone's. */
  get draftCount(): number {
    return this.sync.draftIds.size;
  }

  /** Totals reach this device only once revealed, for everyone alike (the moderator too). */
  get totalsVisible(): boolean {
    return !this.sync.meta.votesHidden;
  }

  get votesLeft(): number {
    let used = 0;
    for (const count of this.ballot.values()) used += count;
    return Math.max(0, this.sync.meta.voteBudget - used);
  }

  /** The moderator's "9 / 14 have voted" (never what anyone voted for); null without the view. */
  get voteProgress(): { voted: number; voters: number } | null {
    return this.isModerator ? this.sync.progress : null;
  }

  /** Whether this person wrote the card (on an anonymous board only they and the server know). */
  isMine(card: Card): boolean {
    return card.authorId !== '' && card.authorId === this.actor.participantId;
  }

  /** Who wrote a card, as this person may see it: nobody's name on an anonymous board. */
  cardAuthor(card: Card): string {
    if (this.sync.meta.anonymous || card.authorId === '') {
      return this.isMine(card) ? t('card.yours') : t('card.anonymous');
    }
    return this.authorName(card.authorId);
  }

  /** The countdown as every screen shows it now, by the server's clock. */
  get timer(): TimerView {
    return timerView(this.sync.meta.timer, this.now + this.control.clockOffset);
  }

  muteTimer(muted: boolean): void {
    this.timerMuted = muted;
    saveMuted(muted);
  }

  authorName(participantId: string): string {
    const person = this.control.people.find((p) => p.participantId === participantId);
    // One's own cards carry one's name also offline, before the participant list has come.
    if (!person && participantId === this.me.participantId && this.me.role === 'participant')
      return this.me.name;
    if (!person) return t('card.unknownAuthor');
    return person.role === 'moderator' ? t('people.moderator') : person.name;
  }

  /** One vote: this person's, or a paper vote of the resident the moderator enters for. */
  async vote(cardId: string, delta: 1 | -1): Promise<Refusal> {
    const resident = this.actingFor;
    const ack = await this.control.vote(this.boardId, cardId, delta, resident?.participantId);
    if (!ack.ok) return refusalOf(ack);
    const { onCard } = ack as { onCard: number };
    if (!resident) this.sync.noteVote(cardId, onCard);
    else if (this.residentBallot?.participantId === resident.participantId) {
      const ballot = new Map(this.residentBallot.ballot);
      if (onCard > 0) ballot.set(cardId, onCard);
      else ballot.delete(cardId);
      this.residentBallot = { participantId: resident.participantId, ballot };
    }
    return null;
  }

  /** Moderator: a resident taking part without a phone joins the session's participants. */
  async addResident(name: string, site: string): Promise<Refusal> {
    return refusalOf(await this.control.addResident(name, site));
  }

  /** Moderator: enter cards and paper votes for this resident without a phone from now on, or (null) stop. */
  actFor(participantId: string | null): void {
    const person = this.control.people.find((p) => p.participantId === participantId && p.noDevice);
    if (!person) {
      stopActingFor();
      return;
    }
    startActingFor({
      sessionId: this.sessionId,
      participantId: person.participantId,
      name: person.name,
      site: person.site,
    });
  }

  /** Moderator: the ballot of the resident entered for, from the server (the one who knows it). */
  private askResidentBallot(): void {
    const resident = this.actingFor;
    if (!resident) {
      this.residentBallot = null;
      return;
    }
    void this.control.residentView(this.boardId, resident.participantId).then((ack) => {
      if (this.actingFor?.participantId !== resident.participantId) return;
      if (ack.ok) {
        const ballot = new Map(Object.entries(ack.mine.ballot));
        this.residentBallot = { participantId: resident.participantId, ballot };
      } else if (ack.code === 'not-a-resident') stopActingFor();
    });
  }

  async settings(settings: BoardSettingsCommand['settings']): Promise<Refusal> {
    return refusalOf(await this.control.settings(this.boardId, settings));
  }

  /** Moderator: start (`durationMs`, 0 stops), pause, resume or lengthen the countdown. */
  async changeTimer(change: DistributiveOmit<TimerCommand, 'boardId'>): Promise<Refusal> {
    return refusalOf(await this.control.timer({ boardId: this.boardId, ...change }));
  }

  /** Takes back what the participant changed on this board; answers how many changes, or why not. */
  async undoParticipant(participantId: string): Promise<string> {
    const ack = await this.control.undoParticipant(this.boardId, participantId);
    return ack.ok
      ? t('people.undone', { count: (ack as { undone: number }).undone })
      : (refusalOf(ack) ?? '');
  }

  async removeParticipant(participantId: string): Promise<Refusal> {
    return refusalOf(await this.control.removeParticipant(participantId));
  }

  private recountVoters(): void {
    const participants = this.control.people.filter((person) => person.role === 'participant').length;
    untrack(() => {
      const shown = this.sync.progress;
      if (shown && shown.voters !== participants && this.control.people.length > 0) this.askPrivate();
    });
  }

  private onScreen = false;

  /**
   * Moderator: the projector shows this board, once it is opened (the first connection; the
   * server keeps it). Not on each reconnection: a second moderator tab or a laptop waking up
   * must not take the projector from the board on it now.
   */
  private showOnScreenOnce(): void {
    if (this.onScreen) return;
    this.onScreen = true;
    void this.control.sessionScreen(this.boardId);
  }

  /** Moderator: every phone (and the projector) comes to this board. */
  async bringEveryone(): Promise<Refusal> {
    return refusalOf(await this.control.sessionBring(this.boardId));
  }

  /** Moderator: a card or group of this board on the big screen (and on phones), or null to take it off. */
  async focus(target: { kind: 'card' | 'group'; id: string; onPhones: boolean } | null): Promise<Refusal> {
    return refusalOf(await this.control.sessionFocus(target && { boardId: this.boardId, ...target }));
  }

  /** What is on the big screen, if it is of this board. */
  get focusHere(): PresenterFocus | null {
    const { focus } = this.shared.shared;
    return focus?.boardId === this.boardId ? focus : null;
  }

  private destroyed = false;

  /**
   * Asks the server for this person's private views (one request at a time: a request made while
   * one is out is sent once it is answered). Offline, the next connection asks; a server that
   * could not answer is asked again shortly.
   */
  private askPrivate(): void {
    if (this.destroyed) return;
    if (this.asking) {
      this.askAgain = true;
      return;
    }
    this.asking = this.control.askPrivate(this.boardId).then((ack) => {
      this.asking = null;
      if (this.askAgain) {
        this.askAgain = false;
        this.askPrivate();
      } else if (
        !ack.ok &&
        ack.error !== 'offline' &&
        ack.code !== 'forbidden' &&
        ack.code !== 'unknown-board'
      ) {
        clearTimeout(this.askRetry);
        this.askRetry = setTimeout(() => this.askPrivate(), ASK_RETRY_MS);
      }
    });
  }

  /** Idempotent: the page may end a session early (participant removed) and again on leaving. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearInterval(this.ticker);
    clearTimeout(this.askRetry);
    for (const stop of this.stops) stop();
    this.sync.destroy();
    this.shared.destroy();
    this.control.destroy();
  }
}

/** Omit over each member of a union (TypeScript's Omit merges them into one). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const NO_VOTES: ReadonlyMap<string, number> = new Map();

/** How long to wait before asking again for the private views after the server could not answer. */
const ASK_RETRY_MS = 2000;

/** A command's refusal in words (its `command.*` text), or null when it passed. */
export function refusalOf(ack: Ack): Refusal {
  if (ack.ok) return null;
  return ack.error === 'offline' ? t('error.network') : t(`command.${ack.code}`);
}
