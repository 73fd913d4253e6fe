/**
 * Entries for residents without a phone: the moderator adds them (`session:add-resident`) and
 * then enters their cards, paper votes, joins and tasks for them, naming them in `onBehalfOf`.
 * This is where such a command is checked: only the moderator may, and only for a resident the
 * moderator added (a participant with a phone acts from it; nobody else may act for them).
 */
import type { Authenticated } from '../auth/plugin.js';
import type { ParticipantRecord, Store } from '../storage/store.js';
import { CommandError } from './command.js';

/** The resident the command acts for, or null when the sender acts for themselves. */
export async function residentFor(
  store: Store,
  principal: Authenticated,
  onBehalfOf: string | undefined,
): Promise<ParticipantRecord | null> {
  if (onBehalfOf === undefined) return null;
  if (principal.role !== 'moderator') {
    throw new CommandError('forbidden', 'Only the moderator enters things for a resident without a phone');
  }
  const people = await store.listParticipants(principal.sessionId);
  const resident = people.find((p) => p.id === onBehalfOf && p.role === 'participant');
  if (!resident?.noDevice) {
    throw new CommandError('not-a-resident', 'No resident without a phone of this session has that id');
  }
  return resident;
}
