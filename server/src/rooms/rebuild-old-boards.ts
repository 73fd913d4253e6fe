/**
 * Boards saved by a version before intents could be written by any client, so they may hold
 * anything, and boards saved before the secret ballot hold every ballot in their document. Each
 * becomes, once, a fresh document built from its typed contents, with a new epoch (devices drop
 * their replicas of the old one and sync afresh) and its ballots moved into the store. Snapshots
 * saved before are rewritten the same way, and the file is vacuumed: the old ballots leave the disk.
 */
import { type Card, docFromState, EMPTY_PRIVATE_ROWS, rebuildDoc } from '@kaptar/board';
import type { FastifyBaseLogger } from 'fastify';
import * as Y from 'yjs';
import { newId } from '../auth/secrets.js';
import type { Store } from '../storage/store.js';
import { loadBoardDoc } from './board-log.js';

export async function rebuildOldBoards(store: Store, log: FastifyBaseLogger): Promise<void> {
  const boards = await store.listBoardsWithoutEpoch();
  for (const boardId of boards) {
    const { doc } = await loadBoardDoc(store, boardId);
    const { doc: fresh, dropped, ballots, drafts } = rebuildDoc(doc, await participantsCards(store, boardId));
    if (dropped > 0) {
      log.warn(
        { boardId, dropped },
        'board of an earlier version rebuilt; entries that were not cards or groups left behind',
      );
    }
    await store.replaceBoardDoc(boardId, Y.encodeStateAsUpdate(fresh), newId(), {
      ...EMPTY_PRIVATE_ROWS,
      ballots,
      drafts,
    });
    doc.destroy();
    fresh.destroy();
  }
  const snapshots = await store.listSnapshotsWithoutPrivate();
  for (const { boardId, id } of snapshots) {
    const stored = await store.getSnapshot(boardId, id);
    if (!stored) continue;
    const old = docFromState(stored.state);
    const { doc: fresh, ballots, drafts } = rebuildDoc(old, await participantsCards(store, boardId));
    await store.rewriteSnapshot(id, Y.encodeStateAsUpdate(fresh), { ...EMPTY_PRIVATE_ROWS, ballots, drafts });
    old.destroy();
    fresh.destroy();
  }
  if (boards.length + snapshots.length === 0 && !(await store.vacuumPending())) return;
  await store.vacuum();
  log.info(
    { boards: boards.length, snapshots: snapshots.length },
    'boards and snapshots of an earlier version rebuilt',
  );
}

/** Which of a board's cards are participants' (not the moderator's): a silent collect's drafts. */
async function participantsCards(store: Store, boardId: string): Promise<(card: Card) => boolean> {
  const board = await store.getBoard(boardId);
  const people = board ? await store.listParticipants(board.sessionId) : [];
  const moderators = new Set(people.filter((p) => p.role === 'moderator').map((p) => p.id));
  return (card) => !moderators.has(card.authorId);
}
