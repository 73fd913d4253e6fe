/**
 * The embedded default engine: one SQLite file in WAL mode through better-sqlite3. Synchronous
 * under the contract's promises: a commit (fsynced, synchronous=FULL) holds the event loop for
 * about a millisecond, and the room writer batches a turn's changes of every board into one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Card, EMPTY_PRIVATE_ROWS } from '@kaptar/board';
import Database from 'better-sqlite3';
import { BoardGoneError, StorageUnavailableError } from '../errors.js';
import { mergeAll } from '../merge.js';
import { toBoard, toParticipant, toSession, toSnapshot } from '../rows.js';
import { unpackPrivateRows } from '../snapshot-private.js';
import type { ParticipantRecord, Store, StoredBoardDoc } from '../store.js';
import { diagnoseDataDir } from './diagnose.js';
import { isDiskRefusal, translate } from './errors.js';
import { migrate } from './migrations.js';
import { momentKey, participantRow, prepare } from './statements.js';

/** Bytes of imported states written per transaction (see importSession). */
const IMPORT_SLICE_BYTES = 4 * 1024 * 1024;

/** `items` in runs of at most `max` bytes (an item larger than that runs alone). */
function bySize(items: Uint8Array[], max: number): Uint8Array[][] {
  const runs: Uint8Array[][] = [];
  let run: Uint8Array[] = [];
  let size = 0;
  for (const item of items) {
    if (run.length > 0 && size + item.byteLength > max) {
      runs.push(run);
      run = [];
      size = 0;
    }
    run.push(item);
    size += item.byteLength;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

export const SQLITE_FILE_NAME = 'kaptar.sqlite';

/** One open database: the handle with its prepared statements and transactions. */
type Connection = ReturnType<typeof connect>;

function connect(file: string, fileMustExist: boolean) {
  const db = new Database(file, { fileMustExist });
  try {
    db.pragma('journal_mode = WAL');
    // FULL: each commit is fsynced before it returns, and rooms relay an update only after its
    // commit, so whatever a client has seen survives a power cut (README, power-cut.test.ts).
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    const connection = { db, ...prepare(db) };
    if (!fileMustExist) connection.q.dropUnnamedBlobs.run();
    return connection;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function openSqliteStore(dataDir: string): Store {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, SQLITE_FILE_NAME);
  let open: Connection | null = connect(file, false);

  // A filesystem the kernel has made read-only stays so until it is unmounted, which our open files
  // would prevent: when the disk refuses a write outright, the store lets go of its files, and
  // checkWritable (probed every second while failing, see health.ts) opens them again.
  const release = () => {
    const connection = open;
    open = null;
    try {
      connection?.db.close();
    } catch {
      // The closing checkpoint fails on a read-only disk; the WAL stays for the next open.
    }
  };
  // Joins of one turn of the event loop share a transaction (one fsync): 300 phones joining at once
  // each paid their own, 0.6 ms apiece, and held everyone else on the process meanwhile.
  let joining: Array<{
    participant: ParticipantRecord;
    resolve: () => void;
    reject: (error: unknown) => void;
  }> = [];
  const storeJoins = () => {
    const batch = joining;
    joining = [];
    try {
      use((c) => c.addParticipants(batch.map(({ participant }) => participant)));
      for (const join of batch) join.resolve();
    } catch {
      // One by one, so that only a row that itself cannot be stored is refused.
      for (const join of batch) {
        try {
          use((c) => c.q.insertParticipant.run(participantRow(join.participant)));
          join.resolve();
        } catch (error) {
          join.reject(error);
        }
      }
    }
  };
  /** Drops those of `ids` no board or snapshot names; a failure to do so waits for the next start. */
  const dropUnnamed = (ids: Iterable<number | bigint>) => {
    try {
      use((c) => c.dropBlobsIfUnnamed([...ids]));
    } catch {
      // dropUnnamedBlobs at the next start finds them.
    }
  };
  /** Every operation goes through here: the driver's errors leave as the contract's (errors.ts). */
  const use = <T>(operation: (connection: Connection) => T): T => {
    if (!open) throw new StorageUnavailableError();
    try {
      return operation(open);
    } catch (error) {
      if (isDiskRefusal(error)) release();
      throw translate(error);
    }
  };

  return {
    async createSession(session, firstBoard, firstState, members) {
      use((c) => c.createSession(session, firstBoard, firstState, members));
    },
    async getSession(id) {
      const row = use((c) => c.q.sessionById.get(id));
      return row && toSession(row);
    },
    async findSessionByJoinCode(joinCode) {
      const row = use((c) => c.q.sessionByCode.get(joinCode));
      return row && toSession(row);
    },
    async renewViewerToken(sessionId, viewerToken, tokenHash) {
      use((c) => c.renewViewer(sessionId, viewerToken, tokenHash));
    },
    async closeSession(sessionId, closedAt) {
      use((c) => c.q.closeSession.run(closedAt, sessionId));
    },
    async deleteSession(sessionId) {
      return use((c) => c.deleteSession(sessionId));
    },
    async followUpLink(sessionId, initiativeId) {
      return use((c) => c.q.followUpLink.get(sessionId, initiativeId))?.token;
    },
    async saveFollowUpLink(link) {
      use((c) => c.q.saveFollowUpLink.run(link));
    },
    async dropFollowUpLink(sessionId, initiativeId) {
      use((c) => c.q.dropFollowUpLink.run(sessionId, initiativeId));
    },
    async findFollowUpLink(tokenHash) {
      const row = use((c) => c.q.followUpByHash.get(tokenHash));
      return row && { sessionId: row.session_id, initiativeId: row.initiative_id };
    },
    async updateSites(sessionId, sites, allowNewSites) {
      use((c) => c.q.updateSites.run(JSON.stringify(sites), allowNewSites ? 1 : 0, sessionId));
    },
    async listBoards(sessionId) {
      return use((c) => c.q.boardsOfSession.all(sessionId)).map(toBoard);
    },
    async getBoard(id) {
      const row = use((c) => c.q.boardById.get(id));
      return row && toBoard(row);
    },
    async createBoard(board, state, rows = EMPTY_PRIVATE_ROWS) {
      use((c) => c.createBoard(board, state, rows));
    },
    async importSession(archive) {
      // The states first, a few MB a transaction with a turn between: 32 MB written in one go held
      // every session on the process for 140 ms. The same state (one array) is one blob, whoever
      // names it. Until the records name them they are unnamed, and a crash in between leaves
      // only those, dropped at the next start (dropUnnamedBlobs).
      const blobs = new Map<Uint8Array, number | bigint>();
      const states = [...new Set([...archive.boards, ...archive.snapshots].map(({ state }) => state))];
      try {
        for (const slice of bySize(states, IMPORT_SLICE_BYTES)) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          use((c) => c.insertBlobs(slice, blobs));
        }
        use((c) => c.importSession(archive, blobs));
      } catch (error) {
        // Nothing of a refused import stays (a join code taken meanwhile draws another and tries again).
        dropUnnamed(blobs.values());
        throw error;
      }
    },
    async updateBoard(boardId, change) {
      use((c) => {
        if (change.title !== undefined) c.q.renameBoard.run(change.title, boardId);
        if (change.archived !== undefined) c.q.archiveBoard.run(change.archived ? 1 : 0, boardId);
      });
    },
    async reorderBoards(sessionId, boardIds) {
      use((c) => c.reorder(sessionId, boardIds));
    },
    async listSnapshots(boardId) {
      return use((c) => c.q.snapshotsOfBoard.all(boardId)).map(toSnapshot);
    },
    async snapshotBoard(snapshot, unsaved, rows) {
      use((c) => c.snapshotBoard(snapshot, unsaved, rows));
    },
    async getSnapshot(boardId, id) {
      return use((c) => {
        const row = c.q.snapshotById.get(boardId, id);
        if (!row) return undefined;
        const log = c.q.snapshotUpdates.all(id, id).map((update) => new Uint8Array(update.data));
        return {
          snapshot: toSnapshot(row),
          state: mergeAll([new Uint8Array(row.state), ...log]),
          rows: row.private === null ? null : unpackPrivateRows(row.private),
        };
      });
    },
    async listSnapshotsWithoutPrivate() {
      return use((c) => c.q.snapshotsWithoutPrivate.all()).map((row) => ({
        boardId: row.board_id,
        id: row.id,
      }));
    },
    async rewriteSnapshot(id, state, rows) {
      use((c) => c.rewriteSnapshot(id, state, rows));
    },
    async loadPrivateRows(boardId) {
      return use((c) => {
        const drafts = c.q.draftsOf.all(boardId);
        return {
          drafts: drafts.flatMap((row) => (row.card === null ? [] : [JSON.parse(row.card) as Card])),
          retiredDrafts: drafts.filter((row) => row.card === null).map((row) => row.card_id),
          authors: c.q.authorsOf
            .all(boardId)
            .map((row) => ({ cardId: row.card_id, participantId: row.participant_id })),
          ballots: c.q.ballotsOf
            .all(boardId)
            .map((row) => ({ participantId: row.participant_id, cardId: row.card_id, votes: row.votes })),
        };
      });
    },
    async vacuumPending() {
      return use((c) => c.db.prepare('SELECT 1 FROM pending_vacuum LIMIT 1').get() !== undefined);
    },
    async vacuum() {
      use((c) => {
        c.db.exec('VACUUM');
        c.db.exec('DELETE FROM pending_vacuum');
        // The write-ahead log may still hold the pages VACUUM freed.
        c.db.pragma('wal_checkpoint(TRUNCATE)');
      });
    },
    addParticipant(participant) {
      return new Promise<void>((resolve, reject) => {
        joining.push({ participant, resolve, reject });
        if (joining.length === 1) setImmediate(storeJoins);
      });
    },
    async findParticipantByTokenHash(tokenHash) {
      const row = use((c) => c.q.participantByToken.get(tokenHash));
      return row && toParticipant(row);
    },
    async countParticipants(sessionId) {
      return use((c) => c.q.participantCount.get(sessionId)?.count ?? 0);
    },
    async listParticipants(sessionId) {
      return use((c) => c.q.participantsOfSession.all(sessionId)).map(toParticipant);
    },
    async removeParticipant(sessionId, participantId, at) {
      return use((c) => c.q.removeParticipant.run(at, participantId, sessionId)).changes > 0;
    },
    async loadBoardDoc(boardId): Promise<StoredBoardDoc> {
      const { state, rows } = use((c) => ({
        state: c.q.boardState.get(boardId)?.state ?? null,
        rows: c.q.boardUpdates.all(boardId),
      }));
      return {
        state: state && new Uint8Array(state),
        updates: rows.map((row) => new Uint8Array(row.data)),
        seq: rows.at(-1)?.seq ?? 0,
      };
    },
    async claimBoard(boardId) {
      const claimed = use((c) => c.q.claimBoard.get(boardId));
      if (!claimed) throw new BoardGoneError(boardId);
      return claimed.fence;
    },
    async loadSessionDoc(sessionId) {
      const row = use((c) => c.q.sessionDoc.get(sessionId));
      return row ? new Uint8Array(row.state) : null;
    },
    async claimSessionDoc(sessionId) {
      return use((c) => c.q.claimSessionDoc.get(sessionId))?.fence ?? 0;
    },
    async saveSessionDoc(sessionId, state, fence) {
      return use((c) => c.saveSessionDoc(sessionId, state, fence));
    },
    async appendBoardUpdates(updates) {
      return use((c) => c.appendUpdates(updates));
    },
    async sessionStoredBytes(sessionId) {
      return use((c) => c.q.sessionStoredBytes.get({ sessionId })?.bytes ?? 0);
    },
    async compactBoard(boardId, state, upTo) {
      // The snapshots still reading the log are folded first, one a turn of the event loop, and
      // stored as blobs no record names yet (dropped at the next start if a crash comes first):
      // 100 snapshots of a 1,500-card board folded in the transaction held every session for
      // 1.9 s. The log only grows, so a moment folded now is the same at the end; one taken
      // meanwhile is folded in the transaction; rows after `upTo` stay (`state` may lack them).
      const folded = new Map<string, number | bigint>();
      for (const moment of use((c) => c.q.statesReadingLog.all(boardId))) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        const foldedState = use((c) => c.foldMoment(boardId, moment));
        folded.set(
          momentKey(moment),
          use((c) => c.q.insertBlob.run(foldedState).lastInsertRowid),
        );
      }
      try {
        use((c) => c.compact(boardId, state, upTo, folded));
      } finally {
        // A moment whose snapshots went meanwhile, or a compaction that failed, leaves none behind.
        dropUnnamed(folded.values());
      }
    },
    async findIntent(boardId, intentId) {
      const row = use((c) => c.q.intentById.get(boardId, intentId));
      return row && { intentId, participantId: row.participant_id, result: row.result, changes: '' };
    },
    async listIntentIds(boardId) {
      return use((c) => c.q.intentIds.all(boardId));
    },
    async listChangesBy(boardId, participantId) {
      return use((c) => c.q.changesBy.all(boardId, participantId)).map((row) => ({
        intentId: row.intent_id,
        changes: row.changes,
      }));
    },
    async listBoardsWithoutEpoch() {
      return use((c) => c.q.boardsWithoutEpoch.all()).map((row) => row.id);
    },
    async replaceBoardDoc(boardId, state, epoch, rows) {
      use((c) => c.replaceDoc(boardId, state, epoch, rows));
    },
    async checkWritable() {
      // Never creates the file: an unmounted disk must not be replaced by an empty database.
      try {
        open ??= connect(file, true);
      } catch (error) {
        throw translate(error);
      }
      use((c) => c.q.probe.run(Date.now()));
    },
    async diagnose() {
      const where = `SQLite in ${dataDir}`;
      try {
        await this.checkWritable();
        return { where, problem: null };
      } catch {
        return { where, problem: diagnoseDataDir(dataDir) };
      }
    },
    async close() {
      open?.db.close();
      open = null;
    },
  };
}
