/** The embedded default store: one SQLite file in WAL mode through better-sqlite3. */
import fs from 'node:fs';
import path from 'node:path';
import {
  type Ballot,
  type Card,
  DEFAULT_LANGUAGE,
  EMPTY_PRIVATE_ROWS,
  isLanguage,
  type PrivateChange,
  type PrivateRows,
} from '@kaptar/board';
import type { Role } from '@kaptar/protocol';
import Database from 'better-sqlite3';
import { cleanStoredTexts } from './clean-texts.js';
import { isDiskRefusal, StorageUnavailableError } from './health.js';
import { mergeAll } from './merge.js';
import {
  type BoardAppend,
  type BoardRecord,
  type ImportedSession,
  JoinCodeTakenError,
  type ParticipantRecord,
  type SessionRecord,
  type SnapshotRecord,
  type Store,
  type StoredBoardDoc,
} from './store.js';

/**
 * Each entry upgrades the schema by one version (PRAGMA user_version): SQL, or a function for a
 * data migration that needs more than SQL. Append only.
 */
/** What an intent row holds besides its result and changes (ids, index entries), roughly. */
const INTENT_ROW_BYTES = 64;
/** What a participant, ballot, author or draft row holds besides its texts, roughly. */
const SMALL_ROW_BYTES = 48;

/** A state some snapshots read: a stored state and the board's log up to a position. */
interface Moment {
  blob_id: number;
  log_to_seq: number;
}
const momentKey = ({ blob_id, log_to_seq }: Moment) => `${blob_id}/${log_to_seq}`;

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

const MIGRATIONS: Array<string | ((db: Database.Database) => void)> = [
  `CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     join_code TEXT NOT NULL UNIQUE,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE boards (
     id TEXT PRIMARY KEY,
     session_id TEXT NOT NULL REFERENCES sessions(id),
     title TEXT NOT NULL,
     position INTEGER NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX boards_by_session ON boards(session_id, position);
   CREATE TABLE participants (
     id TEXT PRIMARY KEY,
     session_id TEXT NOT NULL REFERENCES sessions(id),
     role TEXT NOT NULL,
     name TEXT NOT NULL,
     site TEXT NOT NULL,
     token_hash TEXT NOT NULL UNIQUE,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX participants_by_session ON participants(session_id, created_at);
   CREATE TABLE board_states (
     board_id TEXT PRIMARY KEY REFERENCES boards(id),
     state BLOB NOT NULL
   );
   CREATE TABLE board_updates (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     board_id TEXT NOT NULL REFERENCES boards(id),
     data BLOB NOT NULL
   );
   CREATE INDEX board_updates_by_board ON board_updates(board_id, seq);`,
  `ALTER TABLE participants ADD COLUMN removed_at INTEGER;
   ALTER TABLE sessions ADD COLUMN viewer_token TEXT NOT NULL DEFAULT '';`,
  `ALTER TABLE sessions ADD COLUMN sites TEXT NOT NULL DEFAULT '[]';
   ALTER TABLE sessions ADD COLUMN allow_new_sites INTEGER NOT NULL DEFAULT 1;`,
  `CREATE TABLE snapshots (
     id TEXT PRIMARY KEY,
     board_id TEXT NOT NULL REFERENCES boards(id),
     name TEXT NOT NULL,
     kind TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     created_by TEXT NOT NULL,
     card_count INTEGER NOT NULL,
     vote_count INTEGER NOT NULL,
     state BLOB NOT NULL
   );
   CREATE INDEX snapshots_by_board ON snapshots(board_id, created_at);`,
  `ALTER TABLE boards ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;`,
  // Participant ids are unique within their session only: an archive imported twice keeps its ids.
  `CREATE TABLE participants_by_session_id (
     id TEXT NOT NULL,
     session_id TEXT NOT NULL REFERENCES sessions(id),
     role TEXT NOT NULL,
     name TEXT NOT NULL,
     site TEXT NOT NULL,
     token_hash TEXT NOT NULL UNIQUE,
     created_at INTEGER NOT NULL,
     removed_at INTEGER,
     PRIMARY KEY (session_id, id)
   );
   INSERT INTO participants_by_session_id
     SELECT id, session_id, role, name, site, token_hash, created_at, removed_at FROM participants;
   DROP TABLE participants;
   ALTER TABLE participants_by_session_id RENAME TO participants;
   CREATE INDEX participants_by_session ON participants(session_id, created_at);`,
  `CREATE TABLE health_probe (id INTEGER PRIMARY KEY, at INTEGER NOT NULL);`,
  // States live in state_blobs, shared by reference: a board's current state (its head) and the
  // snapshots taken of it name the same blob, so saving a snapshot copies nothing. A snapshot of a
  // live board is that blob, the board's log up to log_to_seq (copied into snapshot_updates only
  // when the board is compacted) and the updates not yet written when it was taken; all merged
  // when read.
  `CREATE TABLE state_blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
   INSERT INTO state_blobs (id, data) SELECT rowid, state FROM board_states;
   INSERT INTO state_blobs (id, data)
     SELECT (SELECT COALESCE(MAX(rowid), 0) FROM board_states) + rowid, state FROM snapshots;
   CREATE TABLE board_heads (
     board_id TEXT PRIMARY KEY REFERENCES boards(id),
     blob_id INTEGER NOT NULL REFERENCES state_blobs(id)
   );
   INSERT INTO board_heads (board_id, blob_id) SELECT board_id, rowid FROM board_states;
   CREATE TABLE snapshots_by_blob (
     id TEXT PRIMARY KEY,
     board_id TEXT NOT NULL REFERENCES boards(id),
     name TEXT NOT NULL,
     kind TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     created_by TEXT NOT NULL,
     card_count INTEGER NOT NULL,
     vote_count INTEGER NOT NULL,
     blob_id INTEGER NOT NULL REFERENCES state_blobs(id),
     log_to_seq INTEGER
   );
   INSERT INTO snapshots_by_blob
     SELECT id, board_id, name, kind, created_at, created_by, card_count, vote_count,
            (SELECT COALESCE(MAX(rowid), 0) FROM board_states) + rowid, NULL
     FROM snapshots;
   DROP TABLE snapshots;
   DROP TABLE board_states;
   ALTER TABLE snapshots_by_blob RENAME TO snapshots;
   CREATE INDEX snapshots_by_board ON snapshots(board_id, created_at);
   CREATE INDEX snapshots_by_blob ON snapshots(blob_id);
   CREATE TABLE snapshot_updates (
     snapshot_id TEXT NOT NULL REFERENCES snapshots(id),
     data BLOB NOT NULL
   );
   CREATE INDEX snapshot_updates_by_snapshot ON snapshot_updates(snapshot_id);`,
  // Version 2 of the write API: boards change only through intents, each stored with the change it
  // made, so a replayed intent gets the stored answer and the moderator can take back what one
  // person did (the writes and what they replaced, in order: the rowid). The epoch names a board's
  // document; boards of earlier versions have none until rebuilt (rooms/rebuild-old-boards.ts).
  `ALTER TABLE boards ADD COLUMN epoch TEXT NOT NULL DEFAULT '';
   CREATE TABLE board_intents (
     board_id TEXT NOT NULL REFERENCES boards(id),
     intent_id TEXT NOT NULL,
     participant_id TEXT NOT NULL,
     result TEXT NOT NULL,
     changes TEXT NOT NULL
   );
   CREATE UNIQUE INDEX board_intents_by_id ON board_intents(board_id, intent_id);
   CREATE INDEX board_intents_by_participant ON board_intents(board_id, participant_id);`,
  // The secret ballot and private state: ballots, silent-collect drafts and the authors of an
  // anonymous board's cards live here, never in a document. Every board is rebuilt at the next
  // start (an empty epoch) so the old ballots leave its document, and every snapshot saved before
  // (no private column yet) is rewritten without them (rooms/rebuild-old-boards.ts).
  `CREATE TABLE ballots (
     board_id TEXT NOT NULL REFERENCES boards(id),
     participant_id TEXT NOT NULL,
     card_id TEXT NOT NULL,
     votes INTEGER NOT NULL,
     PRIMARY KEY (board_id, participant_id, card_id)
   );
   CREATE TABLE drafts (
     board_id TEXT NOT NULL REFERENCES boards(id),
     card_id TEXT NOT NULL,
     author_id TEXT NOT NULL,
     card TEXT,
     PRIMARY KEY (board_id, card_id)
   );
   CREATE TABLE card_authors (
     board_id TEXT NOT NULL REFERENCES boards(id),
     card_id TEXT NOT NULL,
     participant_id TEXT NOT NULL,
     PRIMARY KEY (board_id, card_id)
   );
   ALTER TABLE snapshots ADD COLUMN private TEXT;
   UPDATE boards SET epoch = '';
   -- Cleared only once the file is vacuumed: a crash before that must not leave the old ballots
   -- in free pages.
   CREATE TABLE pending_vacuum (reason TEXT NOT NULL);
   INSERT INTO pending_vacuum (reason) VALUES ('ballots moved out of the documents');`,
  // The text rule (@kaptar/board's text.ts): texts stored before it are cleaned, in rows and documents.
  cleanStoredTexts,
  // The bytes of each board's intents log, kept as it grows: summing the texts of 100 000 intents
  // when a session's storage is measured took 100 ms, this column takes microseconds.
  // States no board or snapshot names (an import cut off between its states and its records) are
  // dropped when the store opens; the index finds them.
  `ALTER TABLE boards ADD COLUMN intent_bytes INTEGER NOT NULL DEFAULT 0;
   UPDATE boards SET intent_bytes = (
     SELECT COALESCE(SUM(length(CAST(result AS BLOB)) + length(CAST(changes AS BLOB)) + ${INTENT_ROW_BYTES}), 0)
     FROM board_intents WHERE board_id = boards.id);
   CREATE INDEX board_heads_by_blob ON board_heads(blob_id);`,
  // The session document (@kaptar/board's session-doc.ts): a few fields the moderator's clicks
  // replace, so its whole state is one small row, rewritten on each change, instead of a log.
  `CREATE TABLE session_docs (
     session_id TEXT PRIMARY KEY REFERENCES sessions(id),
     state BLOB NOT NULL
   );`,
  // The session's language, for its files (exports, snapshot names, the report): the sessions
  // before it were all Hungarian workshops.
  `ALTER TABLE sessions ADD COLUMN lang TEXT NOT NULL DEFAULT 'hu';`,
  // Issue 15: residents without a phone (the moderator enters what they do), a session closed for
  // writing, and each initiative's follow-up link (kept in clear, as the projector's, so members
  // can be shown it again; found by its hash).
  `ALTER TABLE participants ADD COLUMN no_device INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE sessions ADD COLUMN closed_at INTEGER;
   CREATE TABLE follow_up_links (
     session_id TEXT NOT NULL REFERENCES sessions(id),
     initiative_id TEXT NOT NULL,
     token TEXT NOT NULL,
     token_hash TEXT NOT NULL UNIQUE,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (session_id, initiative_id)
   );`,
];

interface SessionRow {
  id: string;
  title: string;
  join_code: string;
  viewer_token: string;
  sites: string;
  allow_new_sites: number;
  lang: string;
  created_at: number;
  closed_at: number | null;
}
interface BoardRow {
  id: string;
  session_id: string;
  title: string;
  position: number;
  archived: number;
  created_at: number;
  epoch: string;
}
interface SnapshotRow {
  id: string;
  board_id: string;
  name: string;
  kind: 'manual' | 'auto';
  created_at: number;
  created_by: string;
  card_count: number;
  vote_count: number;
}

interface ParticipantRow {
  id: string;
  session_id: string;
  role: Role;
  name: string;
  site: string;
  token_hash: string;
  created_at: number;
  no_device: number;
}

const toSession = (row: SessionRow): SessionRecord => ({
  id: row.id,
  title: row.title,
  joinCode: row.join_code,
  viewerToken: row.viewer_token,
  sites: parseSites(row.sites),
  allowNewSites: row.allow_new_sites === 1,
  lang: isLanguage(row.lang) ? row.lang : DEFAULT_LANGUAGE,
  createdAt: row.created_at,
  closedAt: row.closed_at,
});
const toBoard = (row: BoardRow): BoardRecord => ({
  id: row.id,
  sessionId: row.session_id,
  title: row.title,
  position: row.position,
  archived: row.archived === 1,
  createdAt: row.created_at,
  epoch: row.epoch,
});
const toSnapshot = (row: SnapshotRow): SnapshotRecord => ({
  id: row.id,
  boardId: row.board_id,
  name: row.name,
  kind: row.kind,
  createdAt: row.created_at,
  createdBy: row.created_by,
  cardCount: row.card_count,
  voteCount: row.vote_count,
});

const toParticipant = (row: ParticipantRow): ParticipantRecord => ({
  id: row.id,
  sessionId: row.session_id,
  role: row.role,
  name: row.name,
  site: row.site,
  tokenHash: row.token_hash,
  createdAt: row.created_at,
  noDevice: row.no_device === 1,
});

/** A participant as the insert binds it (SQLite takes no booleans). */
const participantRow = (participant: ParticipantRecord) => ({
  ...participant,
  noDevice: participant.noDevice ? 1 : 0,
});

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

function prepare(db: Database.Database) {
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
    boardUpdates: db.prepare<[string], { data: Buffer }>(
      'SELECT data FROM board_updates WHERE board_id = ? ORDER BY seq',
    ),
    insertUpdate: db.prepare('INSERT INTO board_updates (board_id, data) VALUES (?, ?)'),
    sessionDoc: db.prepare<[string], { state: Buffer }>(
      'SELECT state FROM session_docs WHERE session_id = ?',
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
    for (const table of [
      'snapshots',
      'board_updates',
      'board_heads',
      'board_intents',
      'ballots',
      'drafts',
      'card_authors',
    ]) {
      db.prepare(`DELETE FROM ${table} WHERE ${ofBoards}`).run(sessionId);
    }
    for (const table of ['boards', 'participants', 'session_docs', 'follow_up_links']) {
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
        q.setSnapshotPrivate.run(JSON.stringify(rows), snapshot.id);
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
  const appendUpdates = db.transaction((updates: BoardAppend[]) => {
    for (const { boardId, update, intents, changes } of updates) {
      if (update) q.insertUpdate.run(boardId, update);
      let intentBytes = 0;
      for (const intent of intents) {
        q.insertIntent.run(boardId, intent.intentId, intent.participantId, intent.result, intent.changes);
        intentBytes +=
          Buffer.byteLength(intent.result) + Buffer.byteLength(intent.changes) + INTENT_ROW_BYTES;
      }
      if (intentBytes > 0) q.addIntentBytes.run(intentBytes, boardId);
      for (const change of changes) writePrivate(boardId, change);
    }
  });
  const snapshotBoard = db.transaction(
    (snapshot: SnapshotRecord, unsaved: Uint8Array[], rows: PrivateRows) => {
      if (q.copyStateToSnapshot.run(snapshot).changes !== 1)
        throw new Error(`board ${snapshot.boardId} has no state`);
      q.setSnapshotPrivate.run(JSON.stringify(rows), snapshot.id);
      for (const update of unsaved) q.insertSnapshotUpdate.run(snapshot.id, update);
    },
  );
  const rewriteSnapshot = db.transaction((id: string, state: Uint8Array, rows: PrivateRows) => {
    const old = q.snapshotBlob.get(id)?.blob_id;
    q.setSnapshotState.run(q.insertBlob.run(state).lastInsertRowid, JSON.stringify(rows), id);
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
    snapshotBoard,
    rewriteSnapshot,
    compact,
    foldMoment,
    replaceDoc,
  };
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
  const use = <T>(operation: (connection: Connection) => T): T => {
    if (!open) throw new StorageUnavailableError();
    try {
      return operation(open);
    } catch (error) {
      if (isDiskRefusal(error)) release();
      throw error;
    }
  };

  return {
    async createSession(session, firstBoard, firstState, members) {
      try {
        use((c) => c.createSession(session, firstBoard, firstState, members));
      } catch (error) {
        if (isUniqueViolation(error, 'sessions.join_code')) throw new JoinCodeTakenError();
        throw error;
      }
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
        if (isUniqueViolation(error, 'sessions.join_code')) throw new JoinCodeTakenError();
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
          rows: row.private === null ? null : (JSON.parse(row.private) as PrivateRows),
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
      return { state: state && new Uint8Array(state), updates: rows.map((row) => new Uint8Array(row.data)) };
    },
    async loadSessionDoc(sessionId) {
      const row = use((c) => c.q.sessionDoc.get(sessionId));
      return row ? new Uint8Array(row.state) : null;
    },
    async saveSessionDoc(sessionId, state) {
      use((c) => c.q.saveSessionDoc.run(sessionId, state));
    },
    async appendBoardUpdates(updates) {
      use((c) => c.appendUpdates(updates));
    },
    async sessionStoredBytes(sessionId) {
      return use((c) => c.q.sessionStoredBytes.get({ sessionId })?.bytes ?? 0);
    },
    async compactBoard(boardId, state) {
      // The snapshots still reading the log are folded first, one a turn of the event loop, and
      // stored as blobs no record names yet (dropped at the next start if a crash comes first):
      // 100 snapshots of a 1,500-card board folded in the transaction held every session for
      // 1.9 s. The log only grows, so a moment folded now is the same at the end; one taken
      // meanwhile is folded in the transaction; rows added meanwhile stay (`state` may lack them).
      const upTo = use((c) => c.q.lastSeq.get(boardId)?.seq) ?? 0;
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
      open ??= connect(file, true);
      use((c) => c.q.probe.run(Date.now()));
    },
    async close() {
      open?.db.close();
      open = null;
    },
  };
}

/** Brings the file's schema up to `target` (all migrations by default; tests stop earlier). */
export function migrate(db: Database.Database, target = MIGRATIONS.length): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let next = version; next < target; next++) {
    db.transaction(() => {
      const migration = MIGRATIONS[next];
      if (typeof migration === 'function') migration(db);
      else db.exec(migration as string);
      db.pragma(`user_version = ${next + 1}`);
    })();
  }
}

function parseSites(raw: string): string[] {
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value.filter((site): site is string => typeof site === 'string') : [];
  } catch {
    return [];
  }
}

function isUniqueViolation(error: unknown, column: string): boolean {
  return (
    error instanceof Database.SqliteError &&
    error.code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    error.message.includes(column)
  );
}
