/**
 * Snapshots of boards: saved by the moderator, automatically at each phase
 * change and before every restore. Restores are forward changes of the live
 * board (rollback) or a new board in the session.
 */
import {
  countContents,
  DEFAULT_LANGUAGE,
  docFromState,
  EMPTY_PRIVATE_ROWS,
  readMeta,
  rebuildDoc,
  restoreBackupName,
  restoreContent,
} from '@kaptar/board';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import * as Y from 'yjs';
import { newId } from '../auth/secrets.js';
import { newBoard, nextPosition } from '../boards/lifecycle.js';
import type { BoardRecord, SnapshotRecord } from '../storage/store.js';

export interface SnapshotRequest {
  name: string;
  kind: SnapshotRecord['kind'];
  /** Participant id of the moderator who asked. */
  by: string;
}

/**
 * Every operation here stores a whole state (a snapshot, a board), so each is refused with
 * SessionFullError (session-quota.ts) once the session holds its quota.
 */
export interface SnapshotService {
  save(board: BoardRecord, request: SnapshotRequest): Promise<SnapshotRecord>;
  /** Rolls the board back to the snapshot; returns the automatic snapshot taken first. */
  rollback(board: BoardRecord, snapshotId: string, by: string): Promise<SnapshotRecord | undefined>;
  /** Creates a new board in the session holding the snapshot; returns it. */
  restoreAsNewBoard(board: BoardRecord, snapshotId: string): Promise<BoardRecord | undefined>;
}

declare module 'fastify' {
  interface FastifyInstance {
    snapshots: SnapshotService;
  }
}

export const snapshotsPlugin = fp(
  async (app: FastifyInstance) => {
    const service: SnapshotService = {
      save({ id: boardId, sessionId }, { name, kind, by }) {
        // Counted and copied in one go, so the figures describe exactly what is saved.
        return app.sessionQuota.growing(sessionId, () =>
          app.rooms.withRoom(boardId, async (room) => {
            const counts = countContents(room.doc);
            const snapshot: SnapshotRecord = {
              id: newId(),
              boardId,
              name,
              kind,
              createdAt: Date.now(),
              createdBy: by,
              cardCount: counts.cards,
              voteCount: counts.votes,
            };
            await app.store.snapshotBoard(snapshot, room.unsavedUpdates(), room.board.secrets.rows());
            return snapshot;
          }),
        );
      },

      async rollback(board, snapshotId, by) {
        const stored = await app.store.getSnapshot(board.id, snapshotId);
        if (!stored) return undefined;
        // Nothing is ever lost: the state being replaced is a snapshot of its own first.
        const session = await app.store.getSession(board.sessionId);
        const backup = await service.save(board, {
          name: restoreBackupName(stored.snapshot.name, session?.lang ?? DEFAULT_LANGUAGE),
          kind: 'auto',
          by,
        });
        await app.rooms.change(board.id, (room) =>
          restoreContent(room.board, docFromState(stored.state), stored.rows),
        );
        return backup;
      },

      async restoreAsNewBoard(board, snapshotId) {
        const stored = await app.store.getSnapshot(board.id, snapshotId);
        if (!stored) return undefined;
        const boards = await app.store.listBoards(board.sessionId);
        const created = newBoard(board.sessionId, {
          title: stored.snapshot.name,
          position: nextPosition(boards),
        });
        // A snapshot saved before private state was kept apart holds its ballots in its document.
        const rebuilt = rebuildDoc(docFromState(stored.state));
        const rows = stored.rows ?? { ...EMPTY_PRIVATE_ROWS, ballots: rebuilt.ballots };
        // A copy takes what every member saw at that moment. The drafts of a silent collect and
        // the ballots of a hidden vote stay with their board: revealed on a copy, they would show
        // what the board still keeps private. Authors stay (an anonymous copy's cards are theirs).
        const ballots = readMeta(rebuilt.doc).votesHidden ? [] : rows.ballots;
        await app.sessionQuota.growing(board.sessionId, () =>
          app.store.createBoard(created, Y.encodeStateAsUpdate(rebuilt.doc), {
            ...EMPTY_PRIVATE_ROWS,
            authors: rows.authors,
            ballots,
          }),
        );
        return created;
      },
    };
    app.decorate('snapshots', service);
  },
  { name: 'kaptar-snapshots', dependencies: ['kaptar-storage', 'kaptar-rooms'] },
);
