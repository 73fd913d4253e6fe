import type { CardKind, NewCard } from '@kaptar/board';

/** A card as a participant from Alsóváros would write it. */
export function newCard(authorId: string, text: string, kind: CardKind = 'problem'): NewCard {
  return { kind, text, authorId, site: 'Alsóváros', x: 40, y: 40 };
}
