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
  // The writer's append as one call, one round trip: as a transaction of five statements (begin,
  // lock, append, private state, commit) it took five turns of a busy event loop, and 100 boards'
  // edits waited for them (bench many-boards).
  //
  // Private state as its last write in a batch leaves it (store.ts passes one row a key: a statement
  // may not write a row twice); a draft keeps the author it was first stored with, as in SQLite's
  // upsert. Arguments: ballots set (board, participant, card, votes), ballots dropped (board,
  // participant, card), drafts (board, card, author, card as JSON or null), authors set (board,
  // card, participant), authors dropped (board, card).
  `CREATE FUNCTION kaptar_write_private(
     text[], text[], text[], integer[], text[], text[], text[],
     text[], text[], text[], text[], text[], text[], text[], text[], text[]
   ) RETURNS void LANGUAGE sql AS $$
     WITH ballots_set AS (
       INSERT INTO ballots (board_id, participant_id, card_id, votes)
       SELECT * FROM unnest($1, $2, $3, $4)
       ON CONFLICT (board_id, participant_id, card_id) DO UPDATE SET votes = excluded.votes
     ), ballots_dropped AS (
       DELETE FROM ballots USING unnest($5, $6, $7) AS d(board_id, participant_id, card_id)
       WHERE ballots.board_id = d.board_id AND ballots.participant_id = d.participant_id
         AND ballots.card_id = d.card_id
     ), drafts_set AS (
       INSERT INTO drafts (board_id, card_id, author_id, card)
       SELECT * FROM unnest($8, $9, $10, $11)
       ON CONFLICT (board_id, card_id) DO UPDATE SET card = excluded.card
     ), authors_set AS (
       INSERT INTO card_authors (board_id, card_id, participant_id)
       SELECT * FROM unnest($12, $13, $14)
       ON CONFLICT (board_id, card_id) DO UPDATE SET participant_id = excluded.participant_id
     )
     DELETE FROM card_authors USING unnest($15, $16) AS d(board_id, card_id)
     WHERE card_authors.board_id = d.board_id AND card_authors.card_id = d.card_id
   $$;
   -- Arguments: the boards and the fences they are written with; the log rows (board, update,
   -- fence); the intents (board, id, participant, result, changes); the bytes an intent row counts
   -- beside its texts; the private state (as kaptar_write_private). Returns each board's last seq.
   -- Refused whole, with its SQLSTATE: KP001 a board that is gone, KP002 one a newer writer claimed
   -- (both name the board), KP003 an intent stored already with another content.
   --
   -- An intent is stored once, as SQLite's unique index keeps it. Except the append's own replay: a
   -- commit whose answer a dropped connection lost may have gone through, and the writer then sends
   -- the same batch again. Its intents, identical to the stored ones, are skipped (and counted once),
   -- its update is logged again (Yjs applies it once) and its private state set to the same values;
   -- refused, it would be retried for ever. SQLite has no commit in doubt.
   CREATE FUNCTION kaptar_append(
     text[], bigint[], text[], bytea[], bigint[], text[], text[], text[], text[], text[], bigint,
     text[], text[], text[], integer[], text[], text[], text[],
     text[], text[], text[], text[], text[], text[], text[], text[], text[]
   ) RETURNS TABLE (seq bigint) LANGUAGE plpgsql AS $$
   DECLARE
     refused text;
     seqs bigint[];
   BEGIN
     -- In the order of their ids, so that two writers never wait for each other.
     PERFORM 1 FROM boards WHERE id = ANY($1) ORDER BY id FOR UPDATE;
     SELECT b.id INTO refused FROM unnest($1) AS b(id)
       WHERE NOT EXISTS (SELECT 1 FROM boards WHERE boards.id = b.id) LIMIT 1;
     IF refused IS NOT NULL THEN
       RAISE EXCEPTION USING ERRCODE = 'KP001', MESSAGE = 'board gone', DETAIL = refused;
     END IF;
     SELECT b.id INTO refused FROM unnest($1, $2) AS b(id, fence)
       JOIN boards ON boards.id = b.id WHERE boards.fence > b.fence LIMIT 1;
     IF refused IS NOT NULL THEN
       RAISE EXCEPTION USING ERRCODE = 'KP002', MESSAGE = 'board claimed by a newer writer', DETAIL = refused;
     END IF;
     WITH logged AS (
       INSERT INTO board_updates (board_id, data, fence)
       SELECT * FROM unnest($3, $4, $5)
       RETURNING board_updates.board_id, board_updates.seq
     ), intents AS (
       SELECT * FROM unnest($6, $7, $8, $9, $10) AS intent(board_id, intent_id, participant_id, result, changes)
     ), applied AS (
       INSERT INTO board_intents (board_id, intent_id, participant_id, result, changes)
       SELECT * FROM intents
       ON CONFLICT (board_id, intent_id) DO NOTHING
       RETURNING board_intents.board_id,
         octet_length(board_intents.result) + octet_length(board_intents.changes) + $11 AS bytes
     ), counted AS (
       UPDATE boards SET intent_bytes = intent_bytes + added.bytes
       FROM (SELECT applied.board_id, SUM(applied.bytes) AS bytes FROM applied GROUP BY applied.board_id) AS added
       WHERE boards.id = added.board_id
     ), clashing AS (
       SELECT intents.intent_id FROM intents
       JOIN board_intents AS stored USING (board_id, intent_id)
       WHERE (stored.participant_id, stored.result, stored.changes)
         IS DISTINCT FROM (intents.participant_id, intents.result, intents.changes)
     )
     SELECT (SELECT clashing.intent_id FROM clashing LIMIT 1), array_agg(COALESCE(GREATEST(
       (SELECT MAX(board_updates.seq) FROM board_updates WHERE board_updates.board_id = b.id),
       (SELECT MAX(logged.seq) FROM logged WHERE logged.board_id = b.id)
     ), 0) ORDER BY b.n)
     INTO refused, seqs
     FROM unnest($1) WITH ORDINALITY AS b(id, n);
     IF refused IS NOT NULL THEN
       RAISE EXCEPTION USING ERRCODE = 'KP003', MESSAGE = 'intent stored already', DETAIL = refused;
     END IF;
     PERFORM kaptar_write_private($12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27);
     RETURN QUERY SELECT s FROM unnest(seqs) WITH ORDINALITY AS t(s, n) ORDER BY t.n;
   END
   $$;`,
  // Issue 17: the session document's writer has a fencing number too (claimSessionDoc). The save
  // locks the session's row, so a claim waits for a save in flight and a load after it sees it.
  `ALTER TABLE sessions ADD COLUMN doc_fence BIGINT NOT NULL DEFAULT 0;
   CREATE FUNCTION kaptar_save_session_doc(text, bytea, bigint) RETURNS boolean LANGUAGE plpgsql AS $$
   DECLARE
     current bigint;
   BEGIN
     SELECT doc_fence INTO current FROM sessions WHERE id = $1 FOR UPDATE;
     IF current > $3 THEN
       RETURN false;
     END IF;
     INSERT INTO session_docs (session_id, state) VALUES ($1, $2)
       ON CONFLICT (session_id) DO UPDATE SET state = excluded.state;
     RETURN true;
   END
   $$;`,
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
