/**
 * The moderator's commands about the session's people and its end: adding a resident without a
 * phone (whose cards, paper votes and joins the moderator then enters, on-behalf.ts), and closing
 * the session for writing when the day is over (the report and follow-up pages stay).
 */
import { setClosed } from '@kaptar/board';
import { checkField, LIMITS } from '@kaptar/protocol';
import type { FastifyInstance } from 'fastify';
import type { Authenticated } from '../auth/plugin.js';
import { hashToken, newId, newToken } from '../auth/secrets.js';
import { acceptsSite } from '../auth/sites.js';
import { CommandError, type RegisterCommand } from './command.js';

export function registerResidentCommands(
  app: FastifyInstance,
  principal: Authenticated,
  on: RegisterCommand,
): void {
  const moderatorOnly = () => {
    if (principal.role !== 'moderator') throw new CommandError('forbidden', 'Only the moderator can do this');
  };

  on('session:add-resident', async ({ name, site }) => {
    moderatorOnly();
    const checkedName = checkField('displayName', name);
    const checkedSite = checkField('siteName', site);
    if (!checkedName.ok) throw new CommandError('text-invalid', checkedName.error);
    if (!checkedSite.ok) throw new CommandError('text-invalid', checkedSite.error);
    const session = await app.store.getSession(principal.sessionId);
    if (!session || !acceptsSite(session, checkedSite.text)) {
      throw new CommandError(
        'invalid-setting',
        `Pick one of the workshop's settlements: ${session?.sites.join(', ')}`,
      );
    }
    if ((await app.store.countParticipants(principal.sessionId)) >= LIMITS.participantsPerSession) {
      throw new CommandError(
        'board-full',
        `A session holds at most ${LIMITS.participantsPerSession} participants`,
      );
    }
    await app.sessionQuota.require(principal.sessionId);
    const participantId = newId();
    await app.store.addParticipant({
      id: participantId,
      sessionId: principal.sessionId,
      role: 'participant',
      name: checkedName.text,
      site: checkedSite.text,
      // A token nobody is ever given: nobody signs in as a resident without a phone.
      tokenHash: hashToken(newToken()),
      createdAt: Date.now(),
      noDevice: true,
    });
    app.announcePresence(principal.sessionId);
    return { participantId };
  });

  on('session:close', async ({ closed }) => {
    moderatorOnly();
    // The store refuses writes; the session document tells every screen, at once.
    await app.store.closeSession(principal.sessionId, closed ? Date.now() : null);
    app.intents.closed(principal.sessionId, closed);
    await app.sessionRooms.change(principal.sessionId, (doc) => setClosed(doc, closed));
    return {};
  });
}
