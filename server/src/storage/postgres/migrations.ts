/**
 * The PostgreSQL schema, one version at a time (the schema_version table). Append only: the first
 * step is the whole schema as the SQLite engine ends up with it (sqlite/migrations.ts tells why each
 * part is there), since no PostgreSQL database was written before it; later changes come as new steps.
 * Times are milliseconds (BIGINT), seq is global as SQLite's AUTOINCREMENT, and the rows SQLite
 * orders by rowid (a board's intents, a snapshot's updates, snapshots of one millisecond) carry an
 * identity column for that order.
 */
import type pg from 'pg';

export const MIGRATIONS: string[] = [
  `CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     join_code TEXT NOT NULL CONSTRAINT sessions_join_code_key UNIQUE,
     viewer_token TEXT NOT NULL DEFAULT '',
     sites TEXT NOT NULL DEFAULT '[]',
     allow_new_sites BOOLEAN NOT NULL DEFAULT TRUE,
     lang TEXT NOT NULL DEFAULT 'hu',
     created_at BIGINT NOT NULL,
     closed_at BIGINT
   );
   CREATE TABLE boards (
     id TEXT PRIMARY KEY,
     session_id TEXT NOT NULL REFERENCES sessions(id),
     title TEXT NOT NULL,
     position INTEGER NOT NULL,
     archived BOOLEAN NOT NULL DEFAULT FALSE,
     created_at BIGINT NOT NULL,
     epoch TEXT NOT NULL DEFAULT '',
     intent_bytes BIGINT NOT NULL DEFAULT 0,
     fence BIGINT NOT NULL DEFAULT 0
   );
   CREATE INDEX boards_by_session ON boards(session_id, position);
   CREATE TABLE participants (
     id TEXT NOT NULL,
     session_id TEXT NOT NULL REFERENCES sessions(id),
     role TEXT NOT NULL,
     name TEXT NOT NULL,
     site TEXT NOT NULL,
     token_hash TEXT NOT NULL UNIQUE,
     created_at BIGINT NOT NULL,
     removed_at BIGINT,
     no_device BOOLEAN NOT NULL DEFAULT FALSE,
     PRIMARY KEY (session_id, id)
   );
   CREATE INDEX participants_by_session ON participants(session_id, created_at);
   CREATE TABLE state_blobs (id BIGSERIAL PRIMARY KEY, data BYTEA NOT NULL);
   CREATE TABLE board_heads (
     board_id TEXT PRIMARY KEY REFERENCES boards(id),
     blob_id BIGINT NOT NULL REFERENCES state_blobs(id)
   );
   CREATE INDEX board_heads_by_blob ON board_heads(blob_id);
   CREATE TABLE board_updates (
     seq BIGSERIAL PRIMARY KEY,
     board_id TEXT NOT NULL REFERENCES boards(id),
     data BYTEA NOT NULL,
     fence BIGINT NOT NULL DEFAULT 0
   );
   CREATE INDEX board_updates_by_board ON board_updates(board_id, seq);
   CREATE TABLE snapshots (
     id TEXT PRIMARY KEY,
     board_id TEXT NOT NULL REFERENCES boards(id),
     name TEXT NOT NULL,
     kind TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     created_by TEXT NOT NULL,
     card_count INTEGER NOT NULL,
     vote_count INTEGER NOT NULL,
     blob_id BIGINT NOT NULL REFERENCES state_blobs(id),
     log_to_seq BIGINT,
     private TEXT,
     ord BIGINT GENERATED ALWAYS AS IDENTITY
   );
   CREATE INDEX snapshots_by_board ON snapshots(board_id, created_at, ord);
   CREATE INDEX snapshots_by_blob ON snapshots(blob_id);
   CREATE TABLE snapshot_updates (
     snapshot_id TEXT NOT NULL REFERENCES snapshots(id),
     data BYTEA NOT NULL,
     ord BIGINT GENERATED ALWAYS AS IDENTITY
   );
   CREATE INDEX snapshot_updates_by_snapshot ON snapshot_updates(snapshot_id, ord);
   CREATE TABLE board_intents (
     board_id TEXT NOT NULL REFERENCES boards(id),
     intent_id TEXT NOT NULL,
     participant_id TEXT NOT NULL,
     result TEXT NOT NULL,
     changes TEXT NOT NULL,
     ord BIGINT GENERATED ALWAYS AS IDENTITY
   );
   CREATE UNIQUE INDEX board_intents_by_id ON board_intents(board_id, intent_id);
   CREATE INDEX board_intents_by_participant ON board_intents(board_id, participant_id, ord);
   CREATE TABLE ballots (
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
   CREATE TABLE session_docs (
     session_id TEXT PRIMARY KEY REFERENCES sessions(id),
     state BYTEA NOT NULL
   );
   CREATE TABLE follow_up_links (
     session_id TEXT NOT NULL REFERENCES sessions(id),
     initiative_id TEXT NOT NULL,
     token TEXT NOT NULL,
     token_hash TEXT NOT NULL UNIQUE,
     created_at BIGINT NOT NULL,
     PRIMARY KEY (session_id, initiative_id)
   );
   CREATE TABLE health_probe (id INTEGER PRIMARY KEY, at BIGINT NOT NULL);
   CREATE TABLE pending_vacuum (id BIGSERIAL PRIMARY KEY, reason TEXT NOT NULL);`,
];

/**
 * Brings the database's schema up to date; runs in a transaction (store.ts), so that all pending
 * steps apply or none. The advisory lock, held to its end, makes processes starting together (a
 * cluster) take turns: the second finds the work done.
 */
export async function migrate(client: pg.ClientBase): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock(hashtext('kaptar schema'))");
  await client.query(
    `CREATE TABLE IF NOT EXISTS schema_version (
       only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
       version INTEGER NOT NULL
     )`,
  );
  const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_version');
  const version = rows[0]?.version ?? 0;
  if (version >= MIGRATIONS.length) return;
  for (const step of MIGRATIONS.slice(version)) await client.query(step);
  await client.query(
    `INSERT INTO schema_version (version) VALUES ($1)
     ON CONFLICT (only_row) DO UPDATE SET version = excluded.version`,
    [MIGRATIONS.length],
  );
}
