/**
 * The workshop report's data: every board with every card as text (not only in its picture), the
 * session's people and cards per settlement, and the snapshots of the day in order. The
 * initiatives come from outcome.ts.
 */
import {
  areaOf,
  type BoardContents,
  boardLabel,
  byCreation,
  CARD_KINDS,
  findTemplate,
  groupLabels,
  KIND_TITLES,
  type Language,
} from '@kaptar/board';
import type { ReportBoard, ReportCard, ReportReply } from '@kaptar/protocol';
import type { BoardRecord, ParticipantRecord, SnapshotRecord } from '../storage/store.js';

/** How many of the most-voted problems and resources the report lists per board. */
export const TOP_CARDS = 5;

type Card = BoardContents['cards'][number];
const reportCard = (card: Card): ReportCard => ({
  text: card.text,
  kind: card.kind,
  votes: card.votes,
  site: card.site,
});
/** Most votes first; among equals, in the order they were written. */
const byVotes = (a: Card, b: Card) => b.votes - a.votes || a.createdAt - b.createdAt;
const mostVoted = (cards: Card[]) =>
  cards
    .filter((card) => card.votes > 0)
    .sort(byVotes)
    .slice(0, TOP_CARDS)
    .map(reportCard);

/** A board of the report; `index` is its place in the session, naming it when it has no title. */
export function boardReport(
  board: BoardRecord,
  index: number,
  contents: BoardContents,
  lang: Language,
): ReportBoard {
  const { cards, meta } = contents;
  const labels = groupLabels(contents.groups, lang);
  const template = findTemplate(meta.template);
  const listed = (list: Card[]) => [...list].sort(byVotes).map(reportCard);
  const loose = cards.filter((card) => !card.groupId);
  // Loose cards under their areas in the template's order, as the board draws them.
  const sections =
    template && template.areas.length > 0
      ? template.areas.map((area) => ({
          title: area.title[lang],
          cards: loose.filter((card) => areaOf(template, card) === area.id),
        }))
      : CARD_KINDS.map((kind) => ({
          title: KIND_TITLES[kind].many[lang],
          cards: loose.filter((card) => card.kind === kind),
        }));
  return {
    id: board.id,
    title: boardLabel(board.title, index, lang),
    archived: board.archived,
    template: meta.template,
    cardCount: cards.length,
    // Totals are on the board only while they are shown: then every card says its own.
    voted: cards.some((card) => card.votes > 0),
    groups: [...contents.groups].sort(byCreation).map((group) => ({
      title: labels.get(group.id) ?? group.title,
      cards: listed(cards.filter((card) => card.groupId === group.id)),
    })),
    loose: sections
      .filter((section) => section.cards.length > 0)
      .map((section) => ({ title: section.title, cards: listed(section.cards) })),
    topProblems: mostVoted(cards.filter((card) => card.kind === 'problem')),
    topResources: mostVoted(cards.filter((card) => card.kind === 'resource')),
  };
}

/**
 * Participants and cards per settlement, most participants first. A resident without a phone is a
 * participant like anyone; a card counts where it says it was written (none: the moderator's own,
 * an anonymous board's that too few shared a settlement with).
 */
export function siteTotals(
  people: ParticipantRecord[],
  cards: Array<{ site: string }>,
): ReportReply['sites'] {
  const totals = new Map<string, ReportReply['sites'][number]>();
  const row = (site: string) => {
    let found = totals.get(site);
    if (!found) {
      found = { site, participants: 0, noDevice: 0, cards: 0 };
      totals.set(site, found);
    }
    return found;
  };
  for (const person of people) {
    if (person.role !== 'participant') continue;
    const site = row(person.site);
    site.participants++;
    if (person.noDevice) site.noDevice++;
  }
  for (const card of cards) row(card.site).cards++;
  return [...totals.values()].sort(
    (a, b) => b.participants - a.participants || b.cards - a.cards || a.site.localeCompare(b.site),
  );
}

/** Every board's snapshots in time order, each named with its board. */
export function timeline(
  boards: Array<{ board: BoardRecord; snapshots: SnapshotRecord[] }>,
  lang: Language,
): ReportReply['timeline'] {
  return boards
    .flatMap(({ board, snapshots }, index) =>
      snapshots.map((snapshot) => ({
        boardId: board.id,
        boardTitle: boardLabel(board.title, index, lang),
        name: snapshot.name,
        kind: snapshot.kind,
        createdAt: snapshot.createdAt,
        cardCount: snapshot.cardCount,
        voteCount: snapshot.voteCount,
      })),
    )
    .sort((a, b) => a.createdAt - b.createdAt);
}
