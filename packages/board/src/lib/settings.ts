/**
 * The moderator's settings, with what each change sets going on the server's board: leaving
 * silent collect reveals every draft at once, showing or hiding votes publishes or withdraws the
 * totals, and a board becomes anonymous (or stops being) only while it has no card.
 */
import { BoardError } from './errors.js';
import { byCreation } from './group-labels.js';
import { readMeta, updateMeta } from './meta.js';
import type { BoardMeta } from './schema.js';
import type { ServerBoard } from './server-board.js';
import { publishTallies } from './votes.js';

export function changeSettings(board: ServerBoard, patch: Partial<BoardMeta>): BoardMeta {
  const before = readMeta(board.doc);
  if (patch.anonymous !== undefined && patch.anonymous !== before.anonymous && board.cardCount() > 0) {
    throw new BoardError(
      'invalid-setting',
      'A board can be made anonymous (or not) only while it has no card',
    );
  }
  const leavesSilence =
    before.silentCollect &&
    (patch.silentCollect === false || (patch.phase !== undefined && patch.phase !== 'collect'));
  let next = before;
  board.doc.transact(() => {
    next = updateMeta(board.doc, leavesSilence ? { ...patch, silentCollect: false } : patch);
    if (leavesSilence) revealDrafts(board);
    if (next.votesHidden !== before.votesHidden) publishTallies(board, !next.votesHidden);
  });
  return next;
}

/**
 * Moves every draft onto the board in one transaction: each exactly once, with its id, author,
 * time and area (the layout draws them in order with the cards already there).
 */
function revealDrafts(board: ServerBoard): void {
  // Oldest first, as the layout orders them.
  const drafts = board.secrets.drafts().sort(byCreation);
  board.apply(
    drafts.flatMap((card) => [
      { op: 'card:remove' as const, id: card.id },
      { op: 'card:put' as const, card: { ...card, groupId: null } },
    ]),
  );
}
