/**
 * What each person's devices are sent of a board's private state, and to whom: a participant
 * gets their own drafts, ballot and anonymous cards; the moderator gets every draft and how many
 * have voted. Sent over the control connection to that person's sockets alone, whenever a stored
 * change touched it, and on request (a device that connects or opens the board).
 */
import { ballotOnBoard, type Card, type ServerBoard, votersCount } from '@kaptar/board';
import type { FacilitationView, PrivateView } from '@kaptar/protocol';

/** Socket.io rooms by session: participant ids are unique within their session only. */
export const participantRoom = (sessionId: string, participantId: string) =>
  `participant:${sessionId}:${participantId}`;
export const moderatorsRoom = (sessionId: string) => `moderators:${sessionId}`;

export function privateView(board: ServerBoard, boardId: string, participantId: string): PrivateView {
  return {
    boardId,
    drafts: board.secrets.draftsBy(participantId).map(asDraft),
    ballot: ballotOnBoard(board, participantId),
    ownCards: board.meta().anonymous ? board.secrets.cardIdsBy(participantId) : [],
  };
}

/** `voters`: the ids of the session's participants, who may vote. */
export function facilitationView(board: ServerBoard, boardId: string, voters: string[]): FacilitationView {
  const anonymous = board.meta().anonymous;
  return {
    boardId,
    // On an anonymous board not even the moderator learns who wrote a draft.
    drafts: board.secrets.drafts().map((card) => asDraft(anonymous ? { ...card, authorId: '' } : card)),
    voted: votersCount(board, new Set(voters)),
    voters: voters.length,
  };
}

function asDraft(card: Card): PrivateView['drafts'][number] {
  return { ...card, groupId: null };
}
