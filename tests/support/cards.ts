import type { Actor, CardKind, NewCard } from '@kaptar/board';

/** A card as a participant from Alsóváros would write it. */
export function newCard(text: string, kind: CardKind = 'problem'): NewCard {
  return { kind, text, site: 'Alsóváros', x: 40, y: 40 };
}

/** The moderator of a session created by the test helpers, as a board actor. */
export function moderatorOf(session: { moderatorToken: string }): Actor {
  // The author id only has to be stable within a test; the server does not check it.
  return { participantId: `moderator-${session.moderatorToken.slice(0, 6)}`, role: 'moderator' };
}
