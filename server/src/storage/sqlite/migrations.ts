/**
 * The SQLite file's schema, one version at a time (PRAGMA user_version): SQL, or a function for a
 * data migration that needs more than SQL. Append only: files written by every earlier version
 * open with this one (tests/fixtures, data-files.test.ts).
 */
import type Database from 'better-sqlite3';
import { INTENT_ROW_BYTES } from '../rows.js';
import { cleanStoredTexts } from './clean-texts.js';

export const MIGRATIONS: Array<string | ((db: Database.Database) => void)> = [
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
  // Issue 16: the writer's fencing number. A board is claimed by its writer (claimBoard) and every
  // update row carries the number it was written with, so a writer that lost the board (a cluster's
  // lease moved on) is refused and one could tell which writer logged what.
  `ALTER TABLE boards ADD COLUMN fence INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE board_updates ADD COLUMN fence INTEGER NOT NULL DEFAULT 0;`,
  // Issue 17: the session document's writer has a fencing number too (claimSessionDoc).
  `ALTER TABLE sessions ADD COLUMN doc_fence INTEGER NOT NULL DEFAULT 0;`,
];

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
