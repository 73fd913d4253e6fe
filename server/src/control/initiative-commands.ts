/**
 * Where initiatives are checked: the `initiative` command (propose, join, edit, merge, tasks…)
 * and `initiative:link` (the follow-up page). The rules of who may do what are @kaptar/board's
 * initiative-rules.ts; here the sender becomes an InitiativeActor (the resident the moderator acts
 * for, on-behalf.ts), linked cards are checked against the session's boards, and the change is
 * applied to the session document, stored before it is relayed.
 */
import {
  applyInitiativeChange,
  type CardRef,
  getCard,
  getInitiative,
  type InitiativeActor,
  linkedCards,
} from '@kaptar/board';
import { initiativeChange } from '@kaptar/protocol';
import type { FastifyInstance } from 'fastify';
import type { Authenticated } from '../auth/plugin.js';
import { hashToken, newToken } from '../auth/secrets.js';
import { BucketsByKey } from '../auth/token-bucket.js';
import { CommandError, type RegisterCommand } from './command.js';
import { residentFor } from './on-behalf.js';

/**
 * Changes to the initiatives per minute, and the burst: per participant across their sockets
 * (people tap a few times a minute), per moderator (who also enters for residents without a
 * phone), and per session (join codes are public: identities are free). Each change rewrites the
 * session document.
 */
export const INITIATIVE_RATE = {
  participant: { perMinute: 60, burst: 30 },
  moderator: { perMinute: 240, burst: 60 },
  session: { perMinute: 600, burst: 120 },
} as const;

/** The budgets of INITIATIVE_RATE, kept for the whole app (one per control plugin). */
export class InitiativeBudgets {
  private readonly of = {
    participant: per(INITIATIVE_RATE.participant),
    moderator: per(INITIATIVE_RATE.moderator),
    session: per(INITIATIVE_RATE.session),
  };

  take(principal: Authenticated): boolean {
    const person = principal.role === 'moderator' ? this.of.moderator : this.of.participant;
    return (
      person.of(`${principal.sessionId}/${principal.participantId}`).take() &&
      this.of.session.of(principal.sessionId).take()
    );
  }
}

const per = (rate: { perMinute: number; burst: number }) => new BucketsByKey(rate.perMinute / 60, rate.burst);

export function registerInitiativeCommands(
  app: FastifyInstance,
  principal: Authenticated,
  on: RegisterCommand,
  budgets: InitiativeBudgets,
): void {
  const { sessionId } = principal;

  async function actorFor(onBehalfOf: string | undefined): Promise<InitiativeActor> {
    if (principal.role === 'viewer') throw new CommandError('forbidden', 'The projector only shows');
    const resident = await residentFor(app.store, principal, onBehalfOf);
    if (resident) {
      return {
        participantId: resident.id,
        role: 'participant',
        name: resident.name,
        site: resident.site,
        enteredBy: principal.participantId,
      };
    }
    const { participant } = principal;
    return {
      participantId: participant.id,
      role: principal.role,
      name: participant.name,
      site: participant.site,
      enteredBy: null,
    };
  }

  /**
   * Every linked card is on a board of this session and in its shared document: a draft of a
   * silent collect, or a card of another session, cannot be linked (nor guessed at).
   */
  async function checkLinks(refs: CardRef[]): Promise<void> {
    const boardIds = new Set((await app.store.listBoards(sessionId)).map((board) => board.id));
    for (const boardId of new Set(refs.map((ref) => ref.boardId))) {
      if (!boardIds.has(boardId)) throw new CommandError('unknown-board', 'No such board in this session');
      const cardIds = refs.filter((ref) => ref.boardId === boardId).map((ref) => ref.cardId);
      const missing = await app.rooms.withRoom(boardId, (room) =>
        cardIds.some((cardId) => !getCard(room.doc, cardId)),
      );
      if (missing) throw new CommandError('card-not-found', 'A linked card is not on that board');
    }
  }

  on('initiative', async ({ change: payload, onBehalfOf }) => {
    const actor = await actorFor(onBehalfOf);
    if (!budgets.take(principal)) {
      throw new CommandError('rate-limited', 'Too many changes to the initiatives; slow down');
    }
    const change = initiativeChange(payload);
    await checkLinks(linkedCards(change));
    const gone = await app.sessionRooms.change(sessionId, (doc) => {
      applyInitiativeChange(doc, actor, change, Date.now());
      return getInitiative(doc, change.initiativeId) === undefined;
    });
    // A merged or deleted initiative's page goes with it.
    if (gone) await app.store.dropFollowUpLink(sessionId, change.initiativeId);
    return {};
  });

  on('initiative:link', async ({ initiativeId, renew }) => {
    if (principal.role === 'viewer') throw new CommandError('forbidden', 'The projector only shows');
    const room = await app.sessionRooms.acquire(sessionId);
    const initiative = getInitiative(room.doc, initiativeId);
    app.sessionRooms.release(room);
    if (!initiative) throw new CommandError('initiative-not-found', 'No such initiative in this session');
    const member = initiative.members.some((m) => m.participantId === principal.participantId);
    if (principal.role !== 'moderator' && !member) {
      throw new CommandError('not-a-member', 'Its members and the moderator get its follow-up link');
    }
    if (renew && principal.role !== 'moderator') {
      throw new CommandError('forbidden', 'Only the moderator may revoke a follow-up link');
    }
    const kept = renew ? undefined : await app.store.followUpLink(sessionId, initiativeId);
    if (kept) return { token: kept };
    const token = newToken();
    await app.store.saveFollowUpLink({
      initiativeId,
      sessionId,
      token,
      tokenHash: hashToken(token),
      at: Date.now(),
    });
    return { token };
  });
}
