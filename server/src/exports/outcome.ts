/**
 * The session's outcome: its initiatives with who is in, their tasks and the cards they link, as
 * the report, the outcome route and the follow-up page show them. Names and settlements only:
 * never a participant's id or a card's author, since the follow-up page is public behind its link.
 */
import {
  type BoardContents,
  boardLabel,
  type CardRef,
  type Initiative,
  initiativeTypeTitle,
  type Language,
  MODERATOR_NAME,
  readContents,
  readInitiatives,
} from '@kaptar/board';
import type { InitiativeOutcome } from '@kaptar/protocol';
import type { FastifyInstance } from 'fastify';
import type { ParticipantRecord, SessionRecord } from '../storage/store.js';

type Person = { name: string; site: string };
type BoardCard = BoardContents['cards'][number];

/** What the outcome reads besides the initiatives. */
export interface OutcomeSources {
  lang: Language;
  /** The session's people: proposers, contacts and owners who are not (or no longer) members. */
  people: ParticipantRecord[];
  /** The session's boards the initiatives link, by id, with the cards as the board shows them. */
  boards: Map<string, { title: string; cards: Map<string, BoardCard> }>;
}

export function initiativeOutcome(initiative: Initiative, sources: OutcomeSources): InitiativeOutcome {
  const members = new Map(initiative.members.map((m) => [m.participantId, m]));
  const people = new Map(sources.people.map((p) => [p.id, p]));
  // Members as they joined (the record of the day), anyone else as the session knows them now.
  const person = (id: string | null): Person | null => {
    if (id === null) return null;
    const member = members.get(id);
    if (member) return { name: member.name, site: member.site };
    const record = people.get(id);
    if (!record) return null;
    return record.role === 'moderator'
      ? { name: MODERATOR_NAME[sources.lang], site: '' }
      : { name: record.name, site: record.site };
  };
  // A card deleted since it was linked (or of no board of this session) is left out.
  const cards = (refs: CardRef[]) =>
    refs.flatMap(({ boardId, cardId }) => {
      const board = sources.boards.get(boardId);
      const card = board?.cards.get(cardId);
      if (!board || !card) return [];
      return [
        { boardId, boardTitle: board.title, cardId, kind: card.kind, text: card.text, votes: card.votes },
      ];
    });
  return {
    id: initiative.id,
    name: initiative.name,
    type: initiative.type,
    typeTitle: initiativeTypeTitle(initiative.type, sources.lang),
    goal: initiative.goal,
    createdAt: initiative.createdAt,
    proposedBy: person(initiative.proposedBy),
    contact: person(initiative.contactId),
    nextMeeting: initiative.nextMeeting,
    members: initiative.members.map((member) => ({
      name: member.name,
      site: member.site,
      joinedAt: member.joinedAt,
      enteredForThem: member.enteredBy !== null,
    })),
    tasks: initiative.tasks.map((task) => ({
      text: task.text,
      owner: person(task.ownerId),
      ownerEnteredForThem: task.ownerEnteredBy !== null,
      due: task.due,
      done: task.done,
    })),
    changes: cards(initiative.changes),
    buildsOn: cards(initiative.buildsOn),
  };
}

/** The session's initiatives, read from its document (loaded for the read when no one has it open). */
export async function sessionInitiatives(app: FastifyInstance, sessionId: string): Promise<Initiative[]> {
  const room = await app.sessionRooms.acquire(sessionId);
  try {
    return readInitiatives(room.doc);
  } finally {
    app.sessionRooms.release(room);
  }
}

/** The initiatives' outcome, reading the people and the boards they link. */
export async function loadOutcome(
  app: FastifyInstance,
  session: SessionRecord,
  initiatives: Initiative[],
): Promise<InitiativeOutcome[]> {
  const sources = await outcomeSources(app, session, initiatives);
  return initiatives.map((initiative) => initiativeOutcome(initiative, sources));
}

/** What the outcome of these initiatives reads: the session's people and the boards they link. */
export async function outcomeSources(
  app: FastifyInstance,
  session: SessionRecord,
  initiatives: Initiative[],
): Promise<OutcomeSources> {
  const linked = new Set(initiatives.flatMap((i) => [...i.changes, ...i.buildsOn]).map((ref) => ref.boardId));
  const boards: OutcomeSources['boards'] = new Map();
  // Only the session's own boards: a link is to one of them or to nothing.
  for (const [index, board] of (await app.store.listBoards(session.id)).entries()) {
    if (!linked.has(board.id)) continue;
    const { cards } = await app.rooms.withRoom(board.id, (room) => readContents(room.doc));
    const title = boardLabel(board.title, index, session.lang);
    boards.set(board.id, { title, cards: new Map(cards.map((card) => [card.id, card])) });
  }
  return { lang: session.lang, people: await app.store.listParticipants(session.id), boards };
}
