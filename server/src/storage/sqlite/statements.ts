/**
 * The SQLite engine's prepared statements and the transactions built from them: how each
 * operation of the storage contract reads and writes the tables of migrations.ts.
 */
import type { Ballot, PrivateChange, PrivateRows } from '@kaptar/board';
import type Database from 'better-sqlite3';
import { BoardGoneError, FencedOutError } from '../errors.js';
import { mergeAll } from '../merge.js';
import {
  type BoardRow,
  INTENT_ROW_BYTES,
  type ParticipantRow,
  PER_BOARD_TABLES,
  PER_SESSION_TABLES,
  type SessionRow,
  SMALL_ROW_BYTES,
  type SnapshotRow,
} from '../rows.js';
import { packPrivateRows } from '../snapshot-private.js';
import type {
  BoardAppend,
  BoardRecord,
  ImportedSession,
  ParticipantRecord,
  SessionRecord,
  SnapshotRecord,
} from '../store.js';

/** A state some snapshots read: a stored state and the board's log up to a position. */
export interface Moment {
  blob_id: number;
  log_to_seq: number;
}
export const momentKey = ({ blob_id, log_to_seq }: Moment) => `${blob_id}/${log_to_seq}`;

/** A participant as the insert binds it (SQLite takes no booleans). */
export const participantRow = (participant: ParticipantRecord) => ({
  ...participant,
  noDevice: participant.noDevice ? 1 : 0,
});

export function prepare(db: Database.Database) {
  const q = {
    insertSession: db.prepare(
      `INSERT INTO sessions (id, title, join_code, viewer_token, sites, allow_new_sites, lang, created_at)
       VALUES (@id, @title, @joinCode, @viewerToken, @sites, @allowNewSites, @lang, @createdAt)`,
    ),
    insertBoard: db.prepare(
      `INSERT INTO boards (id, session_id, title, position, archived, created_at, epoch)
       VALUES (@id, @sessionId, @title, @position, @archived, @createdAt, @epoch)`,
    ),
    insertParticipant: db.prepare(
      `INSERT INTO participants (id, session_id, role, name, site, token_hash, created_at, no_device)
       VALUES (@id, @sessionId, @role, @name, @site, @tokenHash, @createdAt, @noDevice)`,
    ),
    sessionById: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
    setViewerToken: db.prepare<[string, string]>('UPDATE sessions SET viewer_token = ? WHERE id = ?'),
    setViewerTokenHash: db.prepare<[string, string]>(
      "UPDATE participants SET token_hash = ? WHERE session_id = ? AND role = 'viewer'",
    ),
    closeSession: db.prepare<[number | null, string]>('UPDATE sessions SET closed_at = ? WHERE id = ?'),
    followUpLink: db.prepare<[string, string], { token: string }>(
      'SELECT token FROM follow_up_links WHERE session_id = ? AND initiative_id = ?',
    ),
    saveFollowUpLink: db.prepare(
      `INSERT INTO follow_up_links (initiative_id, session_id, token, token_hash, created_at)
       VALUES (@initiativeId, @sessionId, @token, @tokenHash, @at)
       ON CONFLICT(session_id, initiative_id) DO UPDATE SET token = excluded.token, token_hash = excluded.token_hash,
         created_at = excluded.created_at`,
    ),
    followUpByHash: db.prepare<[string], { session_id: string; initiative_id: string }>(
      'SELECT session_id, initiative_id FROM follow_up_links WHERE token_hash = ?',
    ),
    dropFollowUpLink: db.prepare<[string, string]>(
      'DELETE FROM follow_up_links WHERE session_id = ? AND initiative_id = ?',
    ),
    updateSites: db.prepare<[string, number, string]>(
      'UPDATE sessions SET sites = ?, allow_new_sites = ? WHERE id = ?',
    ),
    sessionByCode: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE join_code = ?'),
    boardsOfSession: db.prepare<[string], BoardRow>(
      'SELECT * FROM boards WHERE session_id = ? ORDER BY position, created_at',
    ),
    boardById: db.prepare<[string], BoardRow>('SELECT * FROM boards WHERE id = ?'),
    renameBoard: db.prepare<[string, string]>('UPDATE boards SET title = ? WHERE id = ?'),
    archiveBoard: db.prepare<[number, string]>('UPDATE boards SET archived = ? WHERE id = ?'),
    positionBoard: db.prepare<[number, string, string]>(
      'UPDATE boards SET position = ? WHERE id = ? AND session_id = ?',
    ),
    participantByToken: db.prepare<[string], ParticipantRow>(
      'SELECT * FROM participants WHERE token_hash = ? AND removed_at IS NULL',
    ),
    participantCount: db.prepare<[string], { count: number }>(
      "SELECT COUNT(*) AS count FROM participants WHERE session_id = ? AND role = 'participant' AND removed_at IS NULL",
    ),
    participantsOfSession: db.prepare<[string], ParticipantRow>(
      'SELECT * FROM participants WHERE session_id = ? AND removed_at IS NULL ORDER BY created_at, id',
    ),
    removeParticipant: db.prepare<[number, string, string]>(
      'UPDATE participants SET removed_at = ? WHERE id = ? AND session_id = ? AND removed_at IS NULL',
    ),
    boardState: db.prepare<[string], { state: Buffer }>(
      'SELECT data AS state FROM board_heads JOIN state_blobs ON state_blobs.id = blob_id WHERE board_id = ?',
    ),
    headOf: db.prepare<[string], { blob_id: number }>('SELECT blob_id FROM board_heads WHERE board_id = ?'),
    insertBlob: db.prepare<[Uint8Array]>('INSERT INTO state_blobs (data) VALUES (?)'),
    upsertHead: db.prepare<[string, number | bigint]>(
      'INSERT INTO board_heads (board_id, blob_id) VALUES (?, ?) ON CONFLICT(board_id) DO UPDATE SET blob_id = excluded.blob_id',
    ),
    boardUpdates: db.prepare<[string], { seq: number; data: Buffer }>(
      'SELECT seq, data FROM board_updates WHERE board_id = ? ORDER BY seq',
    ),
    insertUpdate: db.prepare<[string, Uint8Array, number]>(
      'INSERT INTO board_updates (board_id, data, fence) VALUES (?, ?, ?)',
    ),
    boardFence: db.prepare<[string], { fence: number }>('SELECT fence FROM boards WHERE id = ?'),
    claimBoard: db.prepare<[string], { fence: number }>(
      'UPDATE boards SET fence = fence + 1 WHERE id = ? RETURNING fence',
    ),
    sessionDoc: db.prepare<[string], { state: Buffer }>(
      'SELECT state FROM session_docs WHERE session_id = ?',
    ),
    claimSessionDoc: db.prepare<[string], { fence: number }>(
      'UPDATE sessions SET doc_fence = doc_fence + 1 WHERE id = ? RETURNING doc_fence AS fence',
    ),
    sessionDocFence: db.prepare<[string], { fence: number }>(
      'SELECT doc_fence AS fence FROM sessions WHERE id = ?',
    ),
    saveSessionDoc: db.prepare<[string, Uint8Array]>(
      'INSERT INTO session_docs (session_id, state) VALUES (?, ?) ON CONFLICT(session_id) DO UPDATE SET state = excluded.state',
    ),
    // A state may be named by several boards' heads (an import stores identical states once) and
    // snapshots: it goes only once none names it.
    deleteBlobIfUnnamed: db.prepare<{ id: number | bigint }>(
      `DELETE FROM state_blobs WHERE id = @id AND NOT EXISTS (SELECT 1 FROM board_heads WHERE blob_id = @id)
         AND NOT EXISTS (SELECT 1 FROM snapshots WHERE blob_id = @id)`,
    ),
    dropUnnamedBlobs: db.prepare(
      `DELETE FROM state_blobs WHERE NOT EXISTS (SELECT 1 FROM board_heads WHERE blob_id = state_blobs.id)
         AND NOT EXISTS (SELECT 1 FROM snapshots WHERE blob_id = state_blobs.id)`,
    ),
    addIntentBytes: db.prepare<[number, string]>(
      'UPDATE boards SET intent_bytes = intent_bytes + ? WHERE id = ?',
    ),
    // Each distinct state counted once, however many snapshots and heads share it.
    sessionStoredBytes: db.prepare<{ sessionId: string }, { bytes: number }>(
      `WITH b AS (SELECT id FROM boards WHERE session_id = @sessionId)
       SELECT
         (SELECT COALESCE(SUM(intent_bytes), 0) FROM boards WHERE session_id = @sessionId)
       + (SELECT COALESCE(SUM(length(data)), 0) FROM board_updates WHERE board_id IN b)
       + (SELECT COALESCE(SUM(length(data)), 0) FROM state_blobs WHERE id IN
           (SELECT blob_id FROM board_heads WHERE board_id IN b
            UNION SELECT blob_id FROM snapshots WHERE board_id IN b))
       + (SELECT COALESCE(SUM(length(data)), 0) FROM snapshot_updates
           WHERE snapshot_id IN (SELECT id FROM snapshots WHERE board_id IN b))
       + (SELECT COALESCE(SUM(length(CAST(private AS BLOB))), 0) FROM snapshots WHERE board_id IN b)
       + (SELECT COALESCE(SUM(length(CAST(card AS BLOB)) + ${SMALL_ROW_BYTES}), 0) FROM drafts WHERE board_id IN b)
       + (SELECT COUNT(*) * ${SMALL_ROW_BYTES} FROM ballots WHERE board_id IN b)
       + (SELECT COUNT(*) * ${SMALL_ROW_BYTES} FROM card_authors WHERE board_id IN b)
       + (SELECT COUNT(*) * ${SMALL_ROW_BYTES} FROM participants WHERE session_id = @sessionId)
       + (SELECT COALESCE(SUM(length(state)), 0) FROM session_docs WHERE session_id = @sessionId) AS bytes`,
    ),
    insertIntent: db.prepare<[string, string, string, string, string]>(
      'INSERT INTO board_intents (board_id, intent_id, participant_id, result, changes) VALUES (?, ?, ?, ?, ?)',
    ),
    changesBy: db.prepare<[string, string], { intent_id: string; changes: string }>(
      'SELECT intent_id, changes FROM board_intents WHERE board_id = ? AND participant_id = ? ORDER BY rowid',
    ),
    intentById: db.prepare<[string, string], { participant_id: string; result: string }>(
      'SELECT participant_id, result FROM board_intents WHERE board_id = ? AND intent_id = ?',
    ),
    intentIds: db.prepare<[string], string>('SELECT intent_id FROM board_intents WHERE board_id = ?').pluck(),
    boardsWithoutEpoch: db.prepare<[], { id: string }>("SELECT id FROM boards WHERE epoch = ''"),
    setEpoch: db.prepare<[string, string]>('UPDATE boards SET epoch = ? WHERE id = ?'),
    deleteUpdatesUpTo: db.prepare<[string, number]>(
      'DELETE FROM board_updates WHERE board_id = ? AND seq <= ?',
    ),
    lastSeq: db.prepare<[string], { seq: number | null }>(
      'SELECT MAX(seq) AS seq FROM board_updates WHERE board_id = ?',
    ),
    probe: db.prepare<[number]>('INSERT OR REPLACE INTO health_probe (id, at) VALUES (1, ?)'),
    setBallot: db.prepare<[string, string, string, number]>(
      `INSERT INTO ballots (board_id, participant_id, card_id, votes) VALUES (?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET votes = excluded.votes`,
    ),
    dropBallot: db.prepare<[string, string, string]>(
      'DELETE FROM ballots WHERE board_id = ? AND participant_id = ? AND card_id = ?',
    ),
    ballotsOf: db.prepare<[string], { participant_id: string; card_id: string; votes: number }>(
      'SELECT participant_id, card_id, votes FROM ballots WHERE board_id = ?',
    ),
    dropBallots: db.prepare<[string]>('DELETE FROM ballots WHERE board_id = ?'),
    setDraft: db.prepare<[string, string, string, string | null]>(
      `INSERT INTO drafts (board_id, card_id, author_id, card) VALUES (?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET card = excluded.card`,
    ),
    draftsOf: db.prepare<[string], { card_id: string; card: string | null }>(
      'SELECT card_id, card FROM drafts WHERE board_id = ?',
    ),
    setAuthor: db.prepare<[string, string, string]>(
      `INSERT INTO card_authors (board_id, card_id, participant_id) VALUES (?, ?, ?)
       ON CONFLICT DO UPDATE SET participant_id = excluded.participant_id`,
    ),
    dropAuthor: db.prepare<[string, string]>('DELETE FROM card_authors WHERE board_id = ? AND card_id = ?'),
    authorsOf: db.prepare<[string], { card_id: string; participant_id: string }>(
      'SELECT card_id, participant_id FROM card_authors WHERE board_id = ?',
    ),
    snapshotsWithoutPrivate: db.prepare<[], { board_id: string; id: string }>(
      'SELECT board_id, id FROM snapshots WHERE private IS NULL',
    ),
    setSnapshotState: db.prepare<[number | bigint, string, string]>(
      'UPDATE snapshots SET blob_id = ?, log_to_seq = NULL, private = ? WHERE id = ?',
    ),
    dropSnapshotUpdates: db.prepare<[string]>('DELETE FROM snapshot_updates WHERE snapshot_id = ?'),
    snapshotBlob: db.prepare<[string], { blob_id: number }>('SELECT blob_id FROM snapshots WHERE id = ?'),
    setSnapshotPrivate: db.prepare<[string, string]>('UPDATE snapshots SET private = ? WHERE id = ?'),
    insertSnapshot: db.prepare(
      `INSERT INTO snapshots (id, board_id, name, kind, created_at, created_by, card_count, vote_count, blob_id)
       VALUES (@id, @boardId, @name, @kind, @createdAt, @createdBy, @cardCount, @voteCount, @blobId)`,
    ),
    snapshotsOfBoard: db.prepare<[string], SnapshotRow>(
      `SELECT id, board_id, name, kind, created_at, created_by, card_count, vote_count
       FROM snapshots WHERE board_id = ? ORDER BY created_at, rowid`,
    ),
    snapshotById: db.prepare<[string, string], SnapshotRow & { state: Buffer; private: string | null }>(
      `SELECT snapshots.*, data AS state FROM snapshots JOIN state_blobs ON state_blobs.id = blob_id
       WHERE board_id = ? AND snapshots.id = ?`,
    ),
    copyStateToSnapshot: db.prepare(
      `INSERT INTO snapshots
         (id, board_id, name, kind, created_at, created_by, card_count, vote_count, blob_id, log_to_seq)
       SELECT @id, @boardId, @name, @kind, @createdAt, @createdBy, @cardCount, @voteCount, blob_id,
              (SELECT MAX(seq) FROM board_updates WHERE board_id = @boardId)
       FROM board_heads WHERE board_id = @boardId`,
    ),
    insertSnapshotUpdate: db.prepare<[string, Uint8Array]>(
      'INSERT INTO snapshot_updates (snapshot_id, data) VALUES (?, ?)',
    ),
    // Before a compaction drops the board's log: the states the snapshots still read from it.
    statesReadingLog: db.prepare<[string], Moment>(
      `SELECT DISTINCT blob_id, log_to_seq FROM snapshots WHERE board_id = ? AND log_to_seq IS NOT NULL`,
    ),
    blobData: db.prepare<[number], { data: Buffer }>('SELECT data FROM state_blobs WHERE id = ?'),
    logUpTo: db.prepare<[string, number], { data: Buffer }>(
      'SELECT data FROM board_updates WHERE board_id = ? AND seq <= ? ORDER BY seq',
    ),
    moveSnapshotsToBlob: db.prepare<[number | bigint, string, number, number]>(
      'UPDATE snapshots SET blob_id = ?, log_to_seq = NULL WHERE board_id = ? AND blob_id = ? AND log_to_seq = ?',
    ),
    snapshotUpdates: db.prepare<[string, string], { data: Buffer }>(
      `SELECT data FROM snapshot_updates WHERE snapshot_id = ?
       UNION ALL
       SELECT board_updates.data FROM snapshots
       JOIN board_updates ON board_updates.board_id = snapshots.board_id AND board_updates.seq <= snapshots.log_to_seq
       WHERE snapshots.id = ?`,
    ),
  };

  /** Points the board at a new state; the old one goes unless a snapshot still names it. */
  const setState = (boardId: string, state: Uint8Array) => {
    const old = q.headOf.get(boardId)?.blob_id;
    q.upsertHead.run(boardId, q.insertBlob.run(state).lastInsertRowid);
    if (old !== undefined) q.deleteBlobIfUnnamed.run({ id: old });
  };
  const insertBoard = (board: BoardRecord) =>
    q.insertBoard.run({ ...board, archived: board.archived ? 1 : 0 });
  const writePrivate = (boardId: string, change: PrivateChange) => {
    switch (change.kind) {
      case 'ballot':
        if (change.votes > 0) q.setBallot.run(boardId, change.participantId, change.cardId, change.votes);
        else q.dropBallot.run(boardId, change.participantId, change.cardId);
        break;
      case 'draft':
        q.setDraft.run(boardId, change.cardId, change.authorId, change.card && JSON.stringify(change.card));
        break;
      case 'author':
        if (change.participantId === null) q.dropAuthor.run(boardId, change.cardId);
        else q.setAuthor.run(boardId, change.cardId, change.participantId);
        break;
    }
  };
  const writeBallots = (boardId: string, ballots: Ballot[]) => {
    q.dropBallots.run(boardId);
    for (const b of ballots) q.setBallot.run(boardId, b.participantId, b.cardId, b.votes);
  };
  const createSession = db.transaction(
    (session: SessionRecord, board: BoardRecord, firstState: Uint8Array, members: ParticipantRecord[]) => {
      q.insertSession.run({
        ...session,
        sites: JSON.stringify(session.sites),
        allowNewSites: session.allowNewSites ? 1 : 0,
      });
      insertBoard(board);
      setState(board.id, firstState);
      for (const member of members) q.insertParticipant.run(participantRow(member));
    },
  );
  const createBoard = db.transaction((board: BoardRecord, state: Uint8Array, rows: PrivateRows) => {
    insertBoard(board);
    setState(board.id, state);
    writeBallots(board.id, rows.ballots);
    for (const card of rows.drafts)
      writePrivate(board.id, { kind: 'draft', cardId: card.id, authorId: card.authorId, card });
    for (const id of rows.retiredDrafts) q.setDraft.run(board.id, id, '', null);
    for (const { cardId, participantId } of rows.authors) q.setAuthor.run(board.id, cardId, participantId);
  });
  /**
   * Everything of a session goes, its follow-up pages with it; the states only its boards and
   * snapshots named go too, and the file is marked for a vacuum so that the rows leave the disk.
   */
  const deleteSession = db.transaction((sessionId: string) => {
    const ofBoards = 'board_id IN (SELECT id FROM boards WHERE session_id = ?)';
    const blobs = db
      .prepare<[string, string], { blob_id: number }>(
        `SELECT blob_id FROM board_heads WHERE ${ofBoards} UNION SELECT blob_id FROM snapshots WHERE ${ofBoards}`,
      )
      .all(sessionId, sessionId);
    db.prepare(
      `DELETE FROM snapshot_updates WHERE snapshot_id IN (SELECT id FROM snapshots WHERE ${ofBoards})`,
    ).run(sessionId);
    for (const table of PER_BOARD_TABLES) {
      db.prepare(`DELETE FROM ${table} WHERE ${ofBoards}`).run(sessionId);
    }
    for (const table of PER_SESSION_TABLES) {
      db.prepare(`DELETE FROM ${table} WHERE session_id = ?`).run(sessionId);
    }
    const deleted = db.prepare('DELETE FROM sessions WHERE id = ?').run(sessionId).changes > 0;
    for (const { blob_id } of blobs) q.deleteBlobIfUnnamed.run({ id: blob_id });
    if (deleted) db.prepare("INSERT INTO pending_vacuum (reason) VALUES ('a session was deleted')").run();
    return deleted;
  });
  const addParticipants = db.transaction((participants: ParticipantRecord[]) => {
    for (const participant of participants) q.insertParticipant.run(participantRow(participant));
  });
  const dropBlobsIfUnnamed = db.transaction((ids: Array<number | bigint>) => {
    for (const id of ids) q.deleteBlobIfUnnamed.run({ id });
  });
  /** Stores states ahead of the records that will name them (see `importSession` below). */
  const insertBlobs = db.transaction((states: Uint8Array[], into: Map<Uint8Array, number | bigint>) => {
    for (const state of states) into.set(state, q.insertBlob.run(state).lastInsertRowid);
  });
  const importSession = db.transaction(
    (archive: ImportedSession, blobs: Map<Uint8Array, number | bigint>) => {
      q.insertSession.run({
        ...archive.session,
        sites: JSON.stringify(archive.session.sites),
        allowNewSites: archive.session.allowNewSites ? 1 : 0,
      });
      for (const member of archive.participants) q.insertParticipant.run(participantRow(member));
      const blobOf = (state: Uint8Array) => {
        const id = blobs.get(state);
        if (id === undefined) throw new Error('an imported state was not stored first');
        return id;
      };
      for (const { board, state, ballots } of archive.boards) {
        insertBoard(board);
        q.upsertHead.run(board.id, blobOf(state));
        writeBallots(board.id, ballots);
      }
      for (const { snapshot, state, rows } of archive.snapshots) {
        q.insertSnapshot.run({ ...snapshot, blobId: blobOf(state) });
        q.setSnapshotPrivate.run(packPrivateRows(rows), snapshot.id);
      }
      if (archive.sessionDoc) q.saveSessionDoc.run(archive.session.id, archive.sessionDoc);
    },
  );
  const renewViewer = db.transaction((sessionId: string, viewerToken: string, tokenHash: string) => {
    q.setViewerToken.run(viewerToken, sessionId);
    q.setViewerTokenHash.run(tokenHash, sessionId);
  });
  const reorder = db.transaction((sessionId: string, boardIds: string[]) => {
    for (const [position, id] of boardIds.entries()) q.positionBoard.run(position, id, sessionId);
  });
  /** Each board's sequence number after its append; the whole transaction goes if one board refuses. */
  /** The session document's state, unless a newer writer claimed it (false). */
  const saveSessionDoc = db.transaction((sessionId: string, state: Uint8Array, fence: number): boolean => {
    if ((q.sessionDocFence.get(sessionId)?.fence ?? 0) > fence) return false;
    q.saveSessionDoc.run(sessionId, state);
    return true;
  });

  const appendUpdates = db.transaction((updates: BoardAppend[]): number[] => {
    const seqs: number[] = [];
    for (const { boardId, fence, update, intents, changes } of updates) {
      const claimed = q.boardFence.get(boardId);
      if (!claimed) throw new BoardGoneError(boardId);
      if (claimed.fence > fence) throw new FencedOutError(boardId, fence);
      if (update) q.insertUpdate.run(boardId, update, fence);
      let intentBytes = 0;
      for (const intent of intents) {
        q.insertIntent.run(boardId, intent.intentId, intent.participantId, intent.result, intent.changes);
        intentBytes +=
          Buffer.byteLength(intent.result) + Buffer.byteLength(intent.changes) + INTENT_ROW_BYTES;
      }
      if (intentBytes > 0) q.addIntentBytes.run(intentBytes, boardId);
      for (const change of changes) writePrivate(boardId, change);
      seqs.push(q.lastSeq.get(boardId)?.seq ?? 0);
    }
    return seqs;
  });
  const snapshotBoard = db.transaction(
    (snapshot: SnapshotRecord, unsaved: Uint8Array[], rows: PrivateRows) => {
      if (q.copyStateToSnapshot.run(snapshot).changes !== 1)
        throw new Error(`board ${snapshot.boardId} has no state`);
      q.setSnapshotPrivate.run(packPrivateRows(rows), snapshot.id);
      for (const update of unsaved) q.insertSnapshotUpdate.run(snapshot.id, update);
    },
  );
  const rewriteSnapshot = db.transaction((id: string, state: Uint8Array, rows: PrivateRows) => {
    const old = q.snapshotBlob.get(id)?.blob_id;
    q.setSnapshotState.run(q.insertBlob.run(state).lastInsertRowid, packPrivateRows(rows), id);
    q.dropSnapshotUpdates.run(id);
    if (old !== undefined) q.deleteBlobIfUnnamed.run({ id: old });
  });
  /**
   * The snapshots still reading the board's log get it folded into a state of their own: one per
   * distinct moment (state and log position), shared by every snapshot taken at it, as before.
   */
  const foldMoment = (boardId: string, { blob_id: blob, log_to_seq: upTo }: Moment): Uint8Array => {
    const base = q.blobData.get(blob)?.data;
    const log = q.logUpTo.all(boardId, upTo).map((row) => new Uint8Array(row.data));
    return mergeAll(base ? [new Uint8Array(base), ...log] : log);
  };
  /** `folded`: the blobs of moments folded ahead of the transaction (see compactBoard), by `momentKey`. */
  const foldLogIntoSnapshots = (boardId: string, folded: ReadonlyMap<string, number | bigint>) => {
    for (const moment of q.statesReadingLog.all(boardId)) {
      const id =
        folded.get(momentKey(moment)) ?? q.insertBlob.run(foldMoment(boardId, moment)).lastInsertRowid;
      const { blob_id: blob, log_to_seq: upTo } = moment;
      q.moveSnapshotsToBlob.run(id, boardId, blob, upTo);
      q.deleteBlobIfUnnamed.run({ id: blob });
    }
  };
  /** `state` holds the log up to `upTo` (all of it by default), which is then dropped. */
  const compact = db.transaction(
    (
      boardId: string,
      state: Uint8Array,
      upTo = Number.MAX_SAFE_INTEGER,
      folded: ReadonlyMap<string, number | bigint> = new Map(),
    ) => {
      setState(boardId, state);
      foldLogIntoSnapshots(boardId, folded);
      q.deleteUpdatesUpTo.run(boardId, upTo);
    },
  );
  const replaceDoc = db.transaction(
    (boardId: string, state: Uint8Array, epoch: string, rows: PrivateRows) => {
      compact(boardId, state);
      q.setEpoch.run(epoch, boardId);
      writeBallots(boardId, rows.ballots);
      for (const card of rows.drafts) {
        writePrivate(boardId, { kind: 'draft', cardId: card.id, authorId: card.authorId, card });
      }
    },
  );
  return {
    q,
    createSession,
    createBoard,
    insertBlobs,
    dropBlobsIfUnnamed,
    importSession,
    addParticipants,
    deleteSession,
    reorder,
    renewViewer,
    appendUpdates,
    saveSessionDoc,
    snapshotBoard,
    rewriteSnapshot,
    compact,
    foldMoment,
    replaceDoc,
  };
}

export type Statements = ReturnType<typeof prepare>;
