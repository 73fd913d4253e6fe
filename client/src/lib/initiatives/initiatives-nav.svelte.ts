/**
 * Which of the board page's two sides a person looks at: the board, or the initiatives (their
 * list, one initiative, a new proposal). One per board page, handed down as a context so that a
 * group's heading anywhere on the board can open a proposal made from it.
 */
import { type CardRef, type Group, INITIATIVE_TYPES, MAX_INITIATIVE_NAME, newId } from '@kaptar/board';
import { getContext, setContext } from 'svelte';

/** A proposal's fields as its form starts them: its id is made once, so a resend is a replay. */
export interface ProposalDraft {
  initiativeId: string;
  name: string;
  type: string;
  goal: string;
  changes: CardRef[];
  buildsOn: CardRef[];
}

export class InitiativesNav {
  /** The initiatives are shown instead of the board. */
  open = $state(false);
  /** The initiative whose details are open, or null for the list. */
  selectedId = $state<string | null>(null);
  /** A proposal being written, or null. */
  draft = $state.raw<ProposalDraft | null>(null);

  showList(): void {
    this.open = true;
    this.selectedId = null;
    this.draft = null;
  }

  showDetails(initiativeId: string): void {
    this.open = true;
    this.selectedId = initiativeId;
    this.draft = null;
  }

  propose(draft: Partial<Omit<ProposalDraft, 'initiativeId'>> = {}): void {
    this.open = true;
    this.selectedId = null;
    this.draft = {
      initiativeId: newId(),
      name: '',
      type: 'other',
      goal: '',
      changes: [],
      buildsOn: [],
      ...draft,
    };
  }

  backToBoard(): void {
    this.open = false;
    this.draft = null;
  }
}

/**
 * A proposal from a group: its title as the name, its problem cards as what to change and its
 * resources as what to build on (other cards, the four types' notes, as what to change); a group
 * on the four types' board is of the type of its area.
 */
export function draftFromGroup(
  group: Group,
  cards: ReadonlyArray<{ id: string; kind: string; groupId: string | null }>,
  boardId: string,
): Partial<ProposalDraft> {
  const members = cards.filter((card) => card.groupId === group.id);
  const ref = (card: { id: string }): CardRef => ({ boardId, cardId: card.id });
  return {
    name: [...group.title].slice(0, MAX_INITIATIVE_NAME).join(''),
    type: INITIATIVE_TYPES.includes(group.area) ? group.area : 'other',
    changes: members.filter((card) => card.kind !== 'resource').map(ref),
    buildsOn: members.filter((card) => card.kind === 'resource').map(ref),
  };
}

const KEY = Symbol('initiatives-nav');

export function provideInitiativesNav(): InitiativesNav {
  return setContext(KEY, new InitiativesNav());
}

/** The board page's navigation, or undefined where there is none (the projector). */
export function initiativesNav(): InitiativesNav | undefined {
  return getContext<InitiativesNav | undefined>(KEY);
}
