/**
 * Everything a board screen needs, in one object: the synced board, the
 * control plane, who "I" am, and what I may do now. Views read from it and
 * call it; they never talk to Yjs or socket.io themselves.
 */
import { type Actor, type BoardAction, type Card, mayAct, timeLeft } from '@kaptar/board';
import type { Ack, BoardSettingsCommand, SessionInfoReply } from '@kaptar/protocol';
import { t } from '../i18n/index.svelte.js';
import { BoardSync } from '../sync/board-sync.svelte.js';
import { ControlSync } from '../sync/control.svelte.js';
import { type BoardActions, boardActions, type Refusal } from '../ui/board-actions.js';

export class BoardSession {
  readonly sync: BoardSync;
  readonly control: ControlSync;
  readonly actor: Actor;
  readonly actions: BoardActions;
  /** The clock, ticking once a second, for countdowns. */
  now = $state(Date.now());
  /** Show only one settlement's cards (remote workshops); null shows all. */
  siteFilter = $state<string | null>(null);
  private readonly ticker: ReturnType<typeof setInterval>;

  private readonly stopFlushing: () => void;

  constructor(
    readonly boardId: string,
    token: string,
    readonly me: SessionInfoReply['me'],
    epoch: string,
  ) {
    this.actor = { participantId: me.participantId, role: me.role };
    this.control = new ControlSync(token);
    const author = { actor: this.actor, site: me.site };
    this.sync = new BoardSync({
      boardId,
      token,
      epoch,
      author,
      sendIntents: (intents) => this.control.sendIntents(boardId, intents),
    });
    this.stopFlushing = this.control.whenConnected(() => this.sync.outbox.flush());
    this.actions = boardActions(this.sync, author);
    this.ticker = setInterval(() => {
      this.now = Date.now();
    }, 1000);
  }

  get meta() {
    return this.sync.meta;
  }

  get isModerator(): boolean {
    return this.actor.role === 'moderator';
  }

  may(action: BoardAction): boolean {
    return mayAct(this.actor.role, action, this.sync.meta);
  }

  /** Cards this person may see: in silent collect, participants see only their own. */
  get allowedCards(): Card[] {
    const { cards, meta } = this.sync;
    if (!meta.silentCollect || this.actor.role === 'moderator') return cards;
    return cards.filter((card) => card.authorId === this.actor.participantId);
  }

  /** The allowed cards, narrowed to the chosen settlement. */
  get visibleCards(): Card[] {
    const site = this.siteFilter;
    return site === null ? this.allowedCards : this.allowedCards.filter((card) => card.site === site);
  }

  /** Settlements that have cards on this board, for the filter. */
  get cardSites(): string[] {
    return [...new Set(this.allowedCards.map((card) => card.site).filter(Boolean))].sort();
  }

  get hiddenCardCount(): number {
    return this.sync.cards.length - this.allowedCards.length;
  }

  /** Totals are public once revealed; the moderator sees them all along to pace the room. */
  get totalsVisible(): boolean {
    return !this.sync.meta.votesHidden || this.isModerator;
  }

  get votesLeft(): number {
    let used = 0;
    for (const count of this.sync.mine.values()) used += count;
    return Math.max(0, this.sync.meta.voteBudget - used);
  }

  /** Milliseconds left on the countdown by the server's clock, or null. */
  get timeLeft(): number | null {
    const { timer } = this.sync.meta;
    const left = timeLeft(timer, this.now + this.control.clockOffset);
    // The clock estimate is good to a round trip; never show more than was set.
    return timer && left !== null ? Math.min(left, timer.durationMs) : null;
  }

  authorName(participantId: string): string {
    const person = this.control.people.find((p) => p.participantId === participantId);
    // One's own cards carry one's name also offline, before the participant list has come.
    if (!person && participantId === this.me.participantId && this.me.role === 'participant')
      return this.me.name;
    if (!person) return t('card.unknownAuthor');
    return person.role === 'moderator' ? t('people.moderator') : person.name;
  }

  async vote(cardId: string, delta: 1 | -1): Promise<Refusal> {
    return refusalOf(await this.control.vote(this.boardId, cardId, delta));
  }

  async settings(settings: BoardSettingsCommand['settings']): Promise<Refusal> {
    return refusalOf(await this.control.settings(this.boardId, settings));
  }

  async timer(durationMs: number): Promise<Refusal> {
    return refusalOf(await this.control.timer(this.boardId, durationMs));
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

  private destroyed = false;

  /** Idempotent: the page may end a session early (participant removed) and again on leaving. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearInterval(this.ticker);
    this.stopFlushing();
    this.sync.destroy();
    this.control.destroy();
  }
}

function refusalOf(ack: Ack): Refusal {
  if (ack.ok) return null;
  return ack.error === 'offline' ? t('error.network') : t(`command.${ack.code}`);
}
