/**
 * What only this person's devices receive of a board (over the control connection, never in the
 * shared document): their silent-collect drafts, their ballot and, on an anonymous board, which
 * cards are theirs; the moderator's facilitation view adds every draft and how many have voted.
 * Merged here with the replica's cards, and kept on the device so an offline reload still shows
 * them.
 */
import type { Card } from '@kaptar/board';
import { FacilitationView, isValid, PrivateView } from '@kaptar/protocol';

/** The private views of one board as this device last heard them, and when (see `stamp`). */
export interface PrivateViews {
  mine: PrivateView | null;
  facilitation: FacilitationView | null;
  /** `stamp()` of when `mine` last arrived: 0 if it never did. */
  at: number;
  /** `stamp()` of when `facilitation` last arrived: 0 if it never did. */
  facilitationAt: number;
}

export const NO_PRIVATE_VIEWS: PrivateViews = { mine: null, facilitation: null, at: 0, facilitationAt: 0 };

let lastStamp = 0;

/**
 * A time on this device that never repeats nor goes back within a page (an answer and the private
 * view that follows it never share a stamp); across reloads the clock has moved on.
 */
export function stamp(): number {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return lastStamp;
}

/**
 * A stamp read back from the device (a saved answer or view): later stamps come after it, also
 * if the device's clock was set back since, so nothing waits for a view "newer" than the future.
 */
export function noteStamp(value: number | undefined): void {
  if (value !== undefined && Number.isFinite(value)) lastStamp = Math.max(lastStamp, value);
}

/** The drafts this person sees: their own, and for the moderator everyone's, each once. */
export function visibleDrafts(views: PrivateViews): Card[] {
  const byId = new Map<string, Card>();
  for (const card of views.facilitation?.drafts ?? []) byId.set(card.id, card);
  for (const card of views.mine?.drafts ?? []) byId.set(card.id, card);
  return [...byId.values()];
}

/**
 * The cards the views start from: the replica's, with this person's own cards on an anonymous
 * board (whose document carries no author) given back their author, then the drafts this person
 * may see. A card both on the board and in a draft list (just revealed) is the board's.
 */
export function mergeCards(
  replica: readonly Card[],
  drafts: readonly Card[],
  ownCards: ReadonlySet<string>,
  me: string,
): Card[] {
  const onBoard = new Set<string>();
  const cards: Card[] = [];
  for (const card of replica) {
    onBoard.add(card.id);
    cards.push(ownCards.has(card.id) && card.authorId !== me ? { ...card, authorId: me } : card);
  }
  for (const draft of drafts) if (!onBoard.has(draft.id)) cards.push(draft);
  return cards;
}

/** cardId -> this person's votes, counting only cards still on the board. */
export function ballotOn(
  ballot: Readonly<Record<string, number>> | undefined,
  onBoard: (cardId: string) => boolean,
): Map<string, number> {
  const mine = new Map<string, number>();
  for (const [cardId, votes] of Object.entries(ballot ?? {})) {
    if (votes > 0 && onBoard(cardId)) mine.set(cardId, votes);
  }
  return mine;
}

const cacheKey = (boardId: string, participantId: string) => `kaptar:private:${boardId}:${participantId}`;

/** The views last received for this board and person on this device (checked: it may be old). */
export function loadPrivateViews(boardId: string, participantId: string): PrivateViews {
  try {
    const saved = JSON.parse(localStorage.getItem(cacheKey(boardId, participantId)) ?? 'null') as {
      mine?: unknown;
      facilitation?: unknown;
      at?: unknown;
      facilitationAt?: unknown;
    } | null;
    if (!saved) return NO_PRIVATE_VIEWS;
    const mine = isValid(PrivateView, saved.mine) && saved.mine.boardId === boardId ? saved.mine : null;
    const facilitation =
      isValid(FacilitationView, saved.facilitation) && saved.facilitation.boardId === boardId
        ? saved.facilitation
        : null;
    const time = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
    const views = { mine, facilitation, at: time(saved.at), facilitationAt: time(saved.facilitationAt) };
    noteStamp(Math.max(views.at, views.facilitationAt));
    return views;
  } catch {
    return NO_PRIVATE_VIEWS;
  }
}

export function savePrivateViews(boardId: string, participantId: string, views: PrivateViews): void {
  try {
    localStorage.setItem(cacheKey(boardId, participantId), JSON.stringify(views));
  } catch {
    // A full storage costs only the offline copy; the server sends the views again.
  }
}
