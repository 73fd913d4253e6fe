/**
 * Boards saved by a version before intents could be written by any client, so they may hold
 * anything. Each becomes, once, a fresh document built from its typed contents, with a new
 * epoch: devices drop their replicas of the old one and sync afresh.
 */
import { rebuildDoc } from '@kaptar/board';
import type { FastifyBaseLogger } from 'fastify';
import * as Y from 'yjs';
import { newId } from '../auth/secrets.js';
import type { Store } from '../storage/store.js';
import { loadBoardDoc } from './board-log.js';

export async function rebuildOldBoards(store: Store, log: FastifyBaseLogger): Promise<void> {
  for (const boardId of await store.listBoardsWithoutEpoch()) {
    const { doc } = await loadBoardDoc(store, boardId);
    const { doc: fresh, dropped } = rebuildDoc(doc);
    if (dropped > 0) {
      log.warn(
        { boardId, dropped },
        'board of an earlier version rebuilt; entries that were not cards or groups left behind',
      );
    }
    await store.replaceBoardDoc(boardId, Y.encodeStateAsUpdate(fresh), newId());
    doc.destroy();
    fresh.destroy();
  }
}
