/** The workshop report's data: every board's outcome and the session's people, in one reply. */
import type { BoardContents } from '@kaptar/board';
import type { ReportReply } from '@kaptar/protocol';
import type { BoardRecord, ParticipantRecord, SnapshotRecord } from '../storage/store.js';

/** How many of the most-voted problems and resources the report lists per board. */
export const TOP_CARDS = 5;

type Card = BoardContents['cards'][number];
const reportCard = (card: Card) => ({ text: card.text, votes: card.votes, site: card.site });
const mostVoted = (cards: Card[]) =>
  cards
    .filter((card) => card.votes > 0)
    .sort((a, b) => b.votes - a.votes || a.createdAt - b.createdAt)
    .slice(0, TOP_CARDS)
    .map(reportCard);

export function boardReport(board: BoardRecord, contents: BoardContents, snapshots: SnapshotRecord[]) {
  return {
    id: board.id,
    title: board.title,
    archived: board.archived,
    template: contents.meta.template,
    cardCount: contents.cards.length,
    groups: contents.groups.map((group) => ({
      title: group.title,
      cards: contents.cards.filter((card) => card.groupId === group.id).map(reportCard),
    })),
    topProblems: mostVoted(contents.cards.filter((card) => card.kind === 'problem')),
    topResources: mostVoted(contents.cards.filter((card) => card.kind === 'resource')),
    snapshots,
  } satisfies ReportReply['boards'][number];
}

export function participantsBySite(people: ParticipantRecord[]): ReportReply['participantsBySite'] {
  const counts = new Map<string, number>();
  for (const person of people) {
    if (person.role === 'participant') counts.set(person.site, (counts.get(person.site) ?? 0) + 1);
  }
  return [...counts].map(([site, count]) => ({ site, count })).sort((a, b) => b.count - a.count);
}
