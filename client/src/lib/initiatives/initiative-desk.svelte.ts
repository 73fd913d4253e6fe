/**
 * What the initiatives' views read and do, in one object: the session's initiatives (from the
 * session document's replica), who "I" am to their rules, and the `initiative` command. A change
 * is judged by the rules first (`may`: a button is shown only where its press would pass), then
 * sent; the server judges it again and is the only one to write it.
 */
import type { Initiative, InitiativeActor, InitiativeChange } from '@kaptar/board';
import { followUpPath } from '@kaptar/protocol';
import { t } from '../i18n/index.svelte.js';
import { type BoardSession, refusalOf } from '../session/board-session.svelte.js';
import type { Refusal } from '../ui/board-actions.js';
import { wouldPass } from './would-pass.js';

export class InitiativeDesk {
  constructor(readonly session: BoardSession) {}

  get all(): Initiative[] {
    return this.session.shared.initiatives;
  }

  find(initiativeId: string): Initiative | undefined {
    return this.all.find((initiative) => initiative.id === initiativeId);
  }

  get isModerator(): boolean {
    return this.session.isModerator;
  }

  /** This device's person, as the rules see them. */
  get me(): InitiativeActor {
    const { participantId, role, name, site } = this.session.me;
    return {
      participantId,
      role: role === 'moderator' ? 'moderator' : 'participant',
      name,
      site,
      enteredBy: null,
    };
  }

  /**
   * The resident without a phone the moderator acts for now (the moderator's acting-for mode), as
   * the rules see them: as that resident, entered by the moderator.
   */
  get forResident(): InitiativeActor | null {
    const resident = this.session.actingFor;
    if (!resident) return null;
    const { participantId, name, site } = resident;
    return { participantId, name, site, role: 'participant', enteredBy: this.session.me.participantId };
  }

  /** Whether the rules would let `actor` (me unless said) make the change now. */
  may(change: InitiativeChange, actor: InitiativeActor = this.me): boolean {
    if (this.session.isViewer || this.session.closed) return false;
    const concerned =
      change.op === 'propose'
        ? this.all
        : this.all.filter(
            (initiative) =>
              initiative.id === change.initiativeId ||
              (change.op === 'merge' && initiative.id === change.intoId),
          );
    return wouldPass(concerned, actor, change);
  }

  /** Sends the change as `actor` (me unless said; for a resident, on their behalf); the refusal in words. */
  async send(change: InitiativeChange, actor: InitiativeActor = this.me): Promise<Refusal> {
    const onBehalfOf = actor.enteredBy !== null ? actor.participantId : undefined;
    return refusalOf(await this.session.control.initiative(onBehalfOf ? { change, onBehalfOf } : { change }));
  }

  /** The follow-up page's full address, or why not; `renew` (moderator) revokes the old link. */
  async followUpUrl(initiativeId: string, renew = false): Promise<{ url: string } | { error: string }> {
    const ack = await this.session.control.initiativeLink(initiativeId, renew);
    if (!ack.ok) return { error: refusalOf(ack) ?? '' };
    return { url: location.origin + followUpPath((ack as { token: string }).token) };
  }

  /** A person's name as the initiative recorded it, else as the session knows them. */
  nameOf(initiative: Initiative, participantId: string): string {
    const member = initiative.members.find((one) => one.participantId === participantId);
    if (member) return member.name;
    const person = this.session.control.people.find((one) => one.participantId === participantId);
    if (person?.role === 'moderator') return t('people.moderator');
    return person?.name ?? t('card.unknownAuthor');
  }

  isMember(initiative: Initiative, participantId = this.me.participantId): boolean {
    return initiative.members.some((member) => member.participantId === participantId);
  }
}
