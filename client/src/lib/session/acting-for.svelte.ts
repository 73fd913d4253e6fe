/**
 * The resident without a phone the moderator is entering things for right now ("… nevében
 * rögzítek"), or none. One per tab, kept across the session's boards (the moderator types a
 * resident's cards on one board and their paper votes on the next); every view that sends on
 * their behalf (cards, paper votes, initiatives) reads it here and names them in `onBehalfOf`.
 */

export interface ActingResident {
  sessionId: string;
  participantId: string;
  name: string;
  site: string;
}

let current = $state<ActingResident | null>(null);

/** The resident the moderator acts for in this session, or null (another session's does not count). */
export function actingFor(sessionId: string): ActingResident | null {
  return current?.sessionId === sessionId ? current : null;
}

export function startActingFor(resident: ActingResident): void {
  current = resident;
}

export function stopActingFor(): void {
  current = null;
}
