/**
 * The PostgreSQL engine (KAPTAR_DATABASE_URL), with the SQLite engine's schema design and meaning
 * (sqlite/store.ts and sqlite/statements.ts tell why each part is there).
 *
 * Through `pg` (node-postgres) rather than `postgres` (porsager): pure JavaScript (its native
 * binding is optional and not installed); the pool and its clients are in our hands, so a
 * transaction runs on one checked-out client, a client that broke is dropped, and a dead server's
 * errors come as events we handle; errors carry their SQLSTATE; maintained since 2010 and the most
 * used Node.js client, the one most PostgreSQL examples (Hocuspocus's among them) are written for.
 *
 * Unlike SQLite, the database answers asynchronously and other processes may write it too, so:
 * every read of several rows that a compaction may change at once (a board's state and log, a
 * snapshot's) is one statement or one REPEATABLE READ transaction; everything that writes a
 * board's document takes its row's lock first (appends, compactions, snapshots, deletes), so they
 * take turns as they did in SQLite.
 */
import type { Card, PrivateChange, PrivateRows } from '@kaptar/board';
import { EMPTY_PRIVATE_ROWS } from '@kaptar/board';
import pg from 'pg';
import { BoardGoneError, FencedOutError, StorageFailure, StorageUnavailableError } from '../errors.js';
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
  toBoard,
  toParticipant,
  toSession,
  toSnapshot,
} from '../rows.js';
import { packPrivateRows, unpackPrivateRows } from '../snapshot-private.js';
import type {
  BoardAppend,
  BoardRecord,
  ParticipantRecord,
  SessionRecord,
  SnapshotRecord,
  StorageDiagnosis,
  Store,
  StoredBoardDoc,
} from '../store.js';
import { isConnectionFailure, translate } from './errors.js';
import { migrate } from './migrations.js';

/**
 * Connections per process. The room writer keeps one append in flight at a time, so the others
 * serve reads and sign-ins; ten (pg's default) leaves a hundred-connection server room for a cluster.
 */
const POOL_SIZE = 10;
/** Waiting for a connection (or a free one) longer than this is a failure, not a queue. */
const CONNECT_TIMEOUT_MS = 5000;
/**
 * A query with no answer for this long is a server that hangs or a network that dropped it without
 * a reset: the connection is dropped and the write held and retried like any other failure.
 */
const QUERY_TIMEOUT_MS = 30_000;
/** VACUUM takes as long as the tables are large; setTimeout's longest delay. */
const NO_TIMEOUT_MS = 2 ** 31 - 1;
/** How long diagnose() waits for the server before it says it does not answer. */
const DIAGNOSE_TIMEOUT_MS = 2000;

const INT8 = 20;
const BYTEA = 17;

/** Bytes of a bytea's text form (`\x` and hex) in a buffer of their own, never a slice of Node's shared pool. */
function parseBytea(text: string): Uint8Array {
  if (!text.startsWith('\\x')) {
    // The older escape format (bytea_output = escape), through pg's own parser.
    const buffer = pg.types.getTypeParser(BYTEA)(text) as Buffer;
    return new Uint8Array(buffer);
  }
  const bytes = new Uint8Array((text.length - 2) / 2);
  Buffer.from(bytes.buffer).write(text.slice(2), 'hex');
  return bytes;
}

/** This pool's parsers (never pg's global ones): ids, times and sums as numbers, blobs as Uint8Array. */
function typeParsers(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8, Number);
  types.setTypeParser(BYTEA, parseBytea);
  return types;
}

/** A pool or one of its clients (in a transaction). */
interface Db {
  query<R extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<R>>;
}

async function rows<R extends pg.QueryResultRow>(db: Db, text: string, values: unknown[] = []) {
  return (await db.query<R>({ text, values })).rows;
}

/** A statement prepared once per connection: the hot paths (append, findIntent, loadBoardDoc). */
async function prepared<R extends pg.QueryResultRow>(db: Db, name: string, text: string, values: unknown[]) {
  return (await db.query<R>({ name, text, values })).rows;
}

/** A state some snapshots read: a stored state and the board's log up to a position. */
interface Moment {
  blob_id: number;
  log_to_seq: number;
}
const momentKey = ({ blob_id, log_to_seq }: Moment) => `${blob_id}/${log_to_seq}`;

const LOCK_BOARDS = `SELECT id, fence FROM boards WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`;

/**
 * Takes the boards' locks, in the order of their ids so that two writers never wait for each other,
 * and returns their fences; a board that is not there has none.
 */
async function lockBoards(db: Db, boardIds: string[]): Promise<Map<string, number>> {
  const locked = await prepared<{ id: string; fence: number }>(db, 'kaptar_lock_boards', LOCK_BOARDS, [
    boardIds,
  ]);
  return new Map(locked.map((row) => [row.id, row.fence]));
}

async function lockBoard(db: Db, boardId: string): Promise<void> {
  if (!(await lockBoards(db, [boardId])).has(boardId)) throw new BoardGoneError(boardId);
}

/** `$1, $2, … $n`: a function's arguments. */
const params = (n: number) => Array.from({ length: n }, (_, index) => `$${index + 1}`).join(', ');

/** Each writes in one call (migrations.ts tells what and why). */
const APPEND = `SELECT seq FROM kaptar_append(${params(27)})`;
const WRITE_PRIVATE = `SELECT kaptar_write_private(${params(16)})`;
/** The PostgreSQL errors kaptar_append refuses an append with. */
const BOARD_GONE = 'KP001';
const FENCED_OUT = 'KP002';
const INTENT_CLASH = 'KP003';

/** kaptar_append's refusals in the contract's terms (the detail names the board, or the intent); any other error as it is. */
function refusalOf(error: unknown, updates: BoardAppend[]): unknown {
  if (!(error instanceof pg.DatabaseError) || error.detail === undefined) return error;
  const named = error.detail;
  switch (error.code) {
    case BOARD_GONE:
      return new BoardGoneError(named);
    case FENCED_OUT:
      return new FencedOutError(named, updates.find((append) => append.boardId === named)?.fence ?? 0);
    case INTENT_CLASH:
      return new Error(`intent ${named} is stored already`);
    default:
      return error;
  }
}

/** Private state as kaptar_write_private takes it: the last write of each key (a draft keeps its first author). */
function privateArguments(writes: Array<{ boardId: string; change: PrivateChange }>): unknown[] {
  const ballots = new Map<
    string,
    { boardId: string; participantId: string; cardId: string; votes: number }
  >();
  const drafts = new Map<
    string,
    { boardId: string; cardId: string; authorId: string; card: string | null }
  >();
  const authors = new Map<string, { boardId: string; cardId: string; participantId: string | null }>();
  for (const { boardId, change } of writes) {
    switch (change.kind) {
      case 'ballot':
        ballots.set(JSON.stringify([boardId, change.participantId, change.cardId]), { boardId, ...change });
        break;
      case 'draft': {
        const key = JSON.stringify([boardId, change.cardId]);
        drafts.set(key, {
          boardId,
          cardId: change.cardId,
          authorId: drafts.get(key)?.authorId ?? change.authorId,
          card: change.card && JSON.stringify(change.card),
        });
        break;
      }
      case 'author':
        authors.set(JSON.stringify([boardId, change.cardId]), { boardId, ...change });
        break;
    }
  }
  const set = [...ballots.values()].filter((ballot) => ballot.votes > 0);
  const dropped = [...ballots.values()].filter((ballot) => ballot.votes <= 0);
  const authored = [...authors.values()].filter((author) => author.participantId !== null);
  const unauthored = [...authors.values()].filter((author) => author.participantId === null);
  const draftRows = [...drafts.values()];
  return [
    set.map((b) => b.boardId),
    set.map((b) => b.participantId),
    set.map((b) => b.cardId),
    set.map((b) => b.votes),
    dropped.map((b) => b.boardId),
    dropped.map((b) => b.participantId),
    dropped.map((b) => b.cardId),
    draftRows.map((d) => d.boardId),
    draftRows.map((d) => d.cardId),
    draftRows.map((d) => d.authorId),
    draftRows.map((d) => d.card),
    authored.map((a) => a.boardId),
    authored.map((a) => a.cardId),
    authored.map((a) => a.participantId),
    unauthored.map((a) => a.boardId),
    unauthored.map((a) => a.cardId),
  ];
}

async function writePrivate(db: Db, writes: Array<{ boardId: string; change: PrivateChange }>) {
  if (writes.length === 0) return;
  await prepared(db, 'kaptar_write_private', WRITE_PRIVATE, privateArguments(writes));
}

/** A snapshot's own columns, in the order of the snapshots table (id to vote_count). */
const snapshotValues = (snapshot: SnapshotRecord) => [
  snapshot.id,
  snapshot.boardId,
  snapshot.name,
  snapshot.kind,
  snapshot.createdAt,
  snapshot.createdBy,
  snapshot.cardCount,
  snapshot.voteCount,
];

/** A board's private state as createBoard and replaceBoardDoc store it: its live drafts, ... */
const draftWrites = (boardId: string, cards: Card[]) =>
  cards.map((card) => {
    const change: PrivateChange = { kind: 'draft', cardId: card.id, authorId: card.authorId, card };
    return { boardId, change };
  });
/** ...its retired drafts and the authors of its cards. */
function rowWrites(boardId: string, { retiredDrafts, authors }: PrivateRows) {
  const changes: PrivateChange[] = [
    ...retiredDrafts.map((cardId): PrivateChange => ({ kind: 'draft', cardId, authorId: '', card: null })),
    ...authors.map(({ cardId, participantId }): PrivateChange => ({ kind: 'author', cardId, participantId })),
  ];
  return changes.map((change) => ({ boardId, change }));
}

/** Replaces the board's ballots with these (the last of a key counts, as SQLite's upsert does). */
async function writeBallots(db: Db, boardId: string, ballots: PrivateRows['ballots']) {
  await rows(db, 'DELETE FROM ballots WHERE board_id = $1', [boardId]);
  if (ballots.length === 0) return;
  const byKey = new Map(ballots.map((b) => [JSON.stringify([b.participantId, b.cardId]), b]));
  const list = [...byKey.values()];
  await rows(
    db,
    `INSERT INTO ballots (board_id, participant_id, card_id, votes)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::integer[])`,
    [boardId, list.map((b) => b.participantId), list.map((b) => b.cardId), list.map((b) => b.votes)],
  );
}

async function insertBlob(db: Db, data: Uint8Array): Promise<number> {
  const [row] = await rows<{ id: number }>(db, 'INSERT INTO state_blobs (data) VALUES ($1) RETURNING id', [
    data,
  ]);
  if (!row) throw new Error('state_blobs returned no id');
  return row.id;
}

/** A state may be named by several boards' heads (an import stores identical states once) and snapshots: it goes only once none names it. */
async function dropBlobsIfUnnamed(db: Db, ids: number[]) {
  if (ids.length === 0) return;
  await rows(
    db,
    `DELETE FROM state_blobs WHERE id = ANY($1::bigint[])
       AND NOT EXISTS (SELECT 1 FROM board_heads WHERE blob_id = state_blobs.id)
       AND NOT EXISTS (SELECT 1 FROM snapshots WHERE blob_id = state_blobs.id)`,
    [ids],
  );
}

/** Points the board at a new state; the old one goes unless a snapshot (or another board) still names it. */
async function setState(db: Db, boardId: string, state: Uint8Array) {
  const old = await rows<{ blob_id: number }>(db, 'SELECT blob_id FROM board_heads WHERE board_id = $1', [
    boardId,
  ]);
  await rows(
    db,
    `INSERT INTO board_heads (board_id, blob_id) VALUES ($1, $2)
     ON CONFLICT (board_id) DO UPDATE SET blob_id = excluded.blob_id`,
    [boardId, await insertBlob(db, state)],
  );
  await dropBlobsIfUnnamed(
    db,
    old.map((row) => row.blob_id),
  );
}

async function insertSession(db: Db, session: SessionRecord) {
  await rows(
    db,
    `INSERT INTO sessions (id, title, join_code, viewer_token, sites, allow_new_sites, lang, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      session.id,
      session.title,
      session.joinCode,
      session.viewerToken,
      JSON.stringify(session.sites),
      session.allowNewSites,
      session.lang,
      session.createdAt,
    ],
  );
}

async function insertBoard(db: Db, board: BoardRecord) {
  await rows(
    db,
    `INSERT INTO boards (id, session_id, title, position, archived, created_at, epoch)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [board.id, board.sessionId, board.title, board.position, board.archived, board.createdAt, board.epoch],
  );
}

const INSERT_PARTICIPANTS = `
  INSERT INTO participants (id, session_id, role, name, site, token_hash, created_at, no_device)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                       $7::bigint[], $8::boolean[])`;

async function insertParticipants(db: Db, participants: ParticipantRecord[]) {
  if (participants.length === 0) return;
  await rows(db, INSERT_PARTICIPANTS, [
    participants.map((p) => p.id),
    participants.map((p) => p.sessionId),
    participants.map((p) => p.role),
    participants.map((p) => p.name),
    participants.map((p) => p.site),
    participants.map((p) => p.tokenHash),
    participants.map((p) => p.createdAt),
    participants.map((p) => Boolean(p.noDevice)),
  ]);
}

/** The moments of the board's snapshots that still read its log. */
const statesReadingLog = (db: Db, boardId: string) =>
  rows<Moment>(
    db,
    'SELECT DISTINCT blob_id, log_to_seq FROM snapshots WHERE board_id = $1 AND log_to_seq IS NOT NULL',
    [boardId],
  );

/** A moment as one state: its blob and the log up to its position, read in one statement. */
async function foldMoment(db: Db, boardId: string, { blob_id, log_to_seq }: Moment): Promise<Uint8Array> {
  const parts = await rows<{ data: Uint8Array }>(
    db,
    `SELECT data FROM (
       SELECT 0 AS part, 0::bigint AS seq, data FROM state_blobs WHERE id = $1
       UNION ALL
       SELECT 1, seq, data FROM board_updates WHERE board_id = $2 AND seq <= $3
     ) AS moment ORDER BY part, seq`,
    [blob_id, boardId, log_to_seq],
  );
  return mergeAll(parts.map((part) => part.data));
}

/**
 * Points the board at `state`, gives the snapshots still reading its log states of their own (those
 * of `folded` computed ahead) and drops the log up to `upTo`. The board's lock is held.
 */
async function compact(
  db: Db,
  boardId: string,
  state: Uint8Array,
  upTo: number,
  folded: ReadonlyMap<string, Uint8Array> = new Map(),
) {
  await setState(db, boardId, state);
  for (const moment of await statesReadingLog(db, boardId)) {
    const data = folded.get(momentKey(moment)) ?? (await foldMoment(db, boardId, moment));
    await rows(
      db,
      `UPDATE snapshots SET blob_id = $1, log_to_seq = NULL
       WHERE board_id = $2 AND blob_id = $3 AND log_to_seq = $4`,
      [await insertBlob(db, data), boardId, moment.blob_id, moment.log_to_seq],
    );
    await dropBlobsIfUnnamed(db, [moment.blob_id]);
  }
  await rows(db, 'DELETE FROM board_updates WHERE board_id = $1 AND seq <= $2', [boardId, upTo]);
}

/** Where the database is, without its password: "PostgreSQL at db.example.org:5432/kaptar". */
function describeLocation(url: string): string {
  const { host, port, database } = new pg.Client(url);
  return `PostgreSQL at ${host}:${port}/${database ?? ''}`;
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** The code of a socket error (ECONNREFUSED), or else its message. */
function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && !/^[0-9A-Z]{5}$/.test(code)) return code;
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  return error instanceof Error ? error.message : String(error);
}

const PROBE = `INSERT INTO health_probe (id, at) VALUES (1, $1)
               ON CONFLICT (id) DO UPDATE SET at = excluded.at`;

export async function openPostgresStore(url: string): Promise<Store> {
  const where = describeLocation(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: 'kaptar',
    types: typeParsers(),
    async onConnect(client) {
      // A client checked out (in a transaction) has no pool listener: its query fails instead, and
      // the transaction releases it as broken.
      client.on('error', () => undefined);
      // The prepared statements' plans, made once per connection: replanning the append's at each
      // execution (PostgreSQL's choice for the first ones, and often after) took 0.4 ms of its 1.5.
      // A server before 12 has no such setting and plans as it will.
      await client.query('SET plan_cache_mode = force_generic_plan').catch(() => undefined);
    },
  });
  // When the server dies, each idle client reports it here and the pool drops it; unhandled, the
  // event would end the process. The next query opens a new connection, or fails as a StorageFailure.
  pool.on('error', () => undefined);
  let closed = false;

  /** Every operation goes through here: the driver's errors leave as the contract's (errors.ts). */
  const use = async <T>(operation: () => Promise<T>): Promise<T> => {
    if (closed) throw new StorageUnavailableError('the store is closed');
    try {
      return await operation();
    } catch (error) {
      throw translate(error);
    }
  };
  const query = <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
    use(() => rows<R>(pool, text, values));
  /** `work` on one client between BEGIN and COMMIT; a client whose connection broke is dropped, not reused. */
  const transaction = <T>(work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN') =>
    use(async () => {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query(begin);
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that failed is closed, not rolled back (the server rolls back what it
        // loses): a ROLLBACK behind a query that timed out would wait as long again.
        broken = isConnectionFailure(error)
          ? asError(error)
          : await client.query('ROLLBACK').then(() => undefined, asError);
        throw error;
      } finally {
        client.release(broken);
      }
    });
  /** Reads of several statements that see one moment of the database. */
  const read = <T>(work: (client: pg.PoolClient) => Promise<T>) =>
    transaction(work, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');

  // Joins of one turn of the event loop share an insert: 300 phones joining at once, a commit each,
  // took 60-85 ms of this process's time and 65-80 ms a join; in one insert, 1 ms and 5 ms.
  let joining: Array<{
    participant: ParticipantRecord;
    resolve: () => void;
    reject: (error: unknown) => void;
  }> = [];
  const storeJoins = async () => {
    const batch = joining;
    joining = [];
    try {
      await use(() =>
        insertParticipants(
          pool,
          batch.map(({ participant }) => participant),
        ),
      );
      for (const join of batch) join.resolve();
    } catch (error) {
      if (batch.length === 1 || error instanceof StorageFailure) {
        for (const join of batch) join.reject(error);
        return;
      }
      // One by one and in order, so that only a row that itself cannot be stored is refused (the
      // later of two joins with one token, as SQLite refuses it).
      for (const join of batch) {
        await use(() => insertParticipants(pool, [join.participant])).then(join.resolve, join.reject);
      }
    }
  };

  try {
    await transaction(migrate);
  } catch (error) {
    closed = true;
    await pool.end().catch(() => undefined);
    throw error;
  }

  return {
    async createSession(session, firstBoard, firstState, members) {
      await transaction(async (c) => {
        await insertSession(c, session);
        await insertBoard(c, firstBoard);
        await setState(c, firstBoard.id, firstState);
        await insertParticipants(c, members);
      });
    },
    async getSession(id) {
      const [row] = await query<SessionRow>('SELECT * FROM sessions WHERE id = $1', [id]);
      return row && toSession(row);
    },
    async findSessionByJoinCode(joinCode) {
      const [row] = await query<SessionRow>('SELECT * FROM sessions WHERE join_code = $1', [joinCode]);
      return row && toSession(row);
    },
    async renewViewerToken(sessionId, viewerToken, tokenHash) {
      await query(
        `WITH renewed AS (UPDATE sessions SET viewer_token = $2 WHERE id = $1)
         UPDATE participants SET token_hash = $3 WHERE session_id = $1 AND role = 'viewer'`,
        [sessionId, viewerToken, tokenHash],
      );
    },
    async closeSession(sessionId, closedAt) {
      await query('UPDATE sessions SET closed_at = $2 WHERE id = $1', [sessionId, closedAt]);
    },
    async deleteSession(sessionId) {
      return transaction(async (c) => {
        // Appends to its boards wait for this and then find them gone (BoardGoneError).
        await rows(c, 'SELECT id FROM boards WHERE session_id = $1 ORDER BY id FOR UPDATE', [sessionId]);
        const ofBoards = 'board_id IN (SELECT id FROM boards WHERE session_id = $1)';
        const blobs = await rows<{ blob_id: number }>(
          c,
          `SELECT blob_id FROM board_heads WHERE ${ofBoards} UNION SELECT blob_id FROM snapshots WHERE ${ofBoards}`,
          [sessionId],
        );
        await rows(
          c,
          `DELETE FROM snapshot_updates WHERE snapshot_id IN (SELECT id FROM snapshots WHERE ${ofBoards})`,
          [sessionId],
        );
        for (const table of PER_BOARD_TABLES) {
          await rows(c, `DELETE FROM ${table} WHERE ${ofBoards}`, [sessionId]);
        }
        for (const table of PER_SESSION_TABLES) {
          await rows(c, `DELETE FROM ${table} WHERE session_id = $1`, [sessionId]);
        }
        const deleted = (await c.query('DELETE FROM sessions WHERE id = $1', [sessionId])).rowCount;
        await dropBlobsIfUnnamed(
          c,
          blobs.map((row) => row.blob_id),
        );
        if (!deleted) return false;
        await rows(c, "INSERT INTO pending_vacuum (reason) VALUES ('a session was deleted')");
        return true;
      });
    },
    async followUpLink(sessionId, initiativeId) {
      const [row] = await query<{ token: string }>(
        'SELECT token FROM follow_up_links WHERE session_id = $1 AND initiative_id = $2',
        [sessionId, initiativeId],
      );
      return row?.token;
    },
    async saveFollowUpLink(link) {
      await query(
        `INSERT INTO follow_up_links (initiative_id, session_id, token, token_hash, created_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (session_id, initiative_id) DO UPDATE SET token = excluded.token,
           token_hash = excluded.token_hash, created_at = excluded.created_at`,
        [link.initiativeId, link.sessionId, link.token, link.tokenHash, link.at],
      );
    },
    async dropFollowUpLink(sessionId, initiativeId) {
      await query('DELETE FROM follow_up_links WHERE session_id = $1 AND initiative_id = $2', [
        sessionId,
        initiativeId,
      ]);
    },
    async findFollowUpLink(tokenHash) {
      const [row] = await query<{ session_id: string; initiative_id: string }>(
        'SELECT session_id, initiative_id FROM follow_up_links WHERE token_hash = $1',
        [tokenHash],
      );
      return row && { sessionId: row.session_id, initiativeId: row.initiative_id };
    },
    async updateSites(sessionId, sites, allowNewSites) {
      await query('UPDATE sessions SET sites = $2, allow_new_sites = $3 WHERE id = $1', [
        sessionId,
        JSON.stringify(sites),
        allowNewSites,
      ]);
    },
    async listBoards(sessionId) {
      return (
        await query<BoardRow>('SELECT * FROM boards WHERE session_id = $1 ORDER BY position, created_at', [
          sessionId,
        ])
      ).map(toBoard);
    },
    async getBoard(id) {
      const [row] = await query<BoardRow>('SELECT * FROM boards WHERE id = $1', [id]);
      return row && toBoard(row);
    },
    async createBoard(board, state, privateRows = EMPTY_PRIVATE_ROWS) {
      await transaction(async (c) => {
        await insertBoard(c, board);
        await setState(c, board.id, state);
        await writeBallots(c, board.id, privateRows.ballots);
        await writePrivate(c, [
          ...draftWrites(board.id, privateRows.drafts),
          ...rowWrites(board.id, privateRows),
        ]);
      });
    },
    async importSession(archive) {
      // One transaction: PostgreSQL takes the states while this process goes on serving, and no
      // other process ever sees a state no record names.
      await transaction(async (c) => {
        await insertSession(c, archive.session);
        await insertParticipants(c, archive.participants);
        const blobs = new Map<Uint8Array, number>();
        const blobOf = async (state: Uint8Array) => {
          let id = blobs.get(state);
          if (id === undefined) {
            id = await insertBlob(c, state);
            blobs.set(state, id);
          }
          return id;
        };
        for (const { board, state, ballots } of archive.boards) {
          await insertBoard(c, board);
          await rows(c, 'INSERT INTO board_heads (board_id, blob_id) VALUES ($1, $2)', [
            board.id,
            await blobOf(state),
          ]);
          await writeBallots(c, board.id, ballots);
        }
        for (const { snapshot, state, rows: privateRows } of archive.snapshots) {
          await rows(
            c,
            `INSERT INTO snapshots
               (id, board_id, name, kind, created_at, created_by, card_count, vote_count, blob_id, private)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
            [...snapshotValues(snapshot), await blobOf(state), packPrivateRows(privateRows)],
          );
        }
        if (archive.sessionDoc) {
          await rows(c, 'INSERT INTO session_docs (session_id, state) VALUES ($1, $2)', [
            archive.session.id,
            archive.sessionDoc,
          ]);
        }
      });
    },
    async updateBoard(boardId, change) {
      await query(
        'UPDATE boards SET title = COALESCE($2, title), archived = COALESCE($3, archived) WHERE id = $1',
        [boardId, change.title ?? null, change.archived ?? null],
      );
    },
    async reorderBoards(sessionId, boardIds) {
      // An id named twice takes its last place, as one update after another would give it.
      await query(
        `UPDATE boards SET position = places.position
         FROM (SELECT DISTINCT ON (id) id, n - 1 AS position
               FROM unnest($2::text[]) WITH ORDINALITY AS listed(id, n) ORDER BY id, n DESC) AS places
         WHERE boards.id = places.id AND boards.session_id = $1`,
        [sessionId, boardIds],
      );
    },
    async listSnapshots(boardId) {
      return (
        await query<SnapshotRow>(
          `SELECT id, board_id, name, kind, created_at, created_by, card_count, vote_count
           FROM snapshots WHERE board_id = $1 ORDER BY created_at, ord`,
          [boardId],
        )
      ).map(toSnapshot);
    },
    async snapshotBoard(snapshot, unsaved, privateRows) {
      await transaction(async (c) => {
        // An append in flight commits first: its updates are in the log the snapshot reads.
        await lockBoards(c, [snapshot.boardId]);
        const copied = await c.query(
          `INSERT INTO snapshots (id, board_id, name, kind, created_at, created_by, card_count, vote_count,
                                  blob_id, log_to_seq, private)
           SELECT $1, $2, $3, $4, $5, $6, $7, $8, blob_id,
                  (SELECT MAX(seq) FROM board_updates WHERE board_id = $2), $9
           FROM board_heads WHERE board_id = $2`,
          [...snapshotValues(snapshot), packPrivateRows(privateRows)],
        );
        if (copied.rowCount !== 1) throw new Error(`board ${snapshot.boardId} has no state`);
        if (unsaved.length > 0) {
          await rows(
            c,
            'INSERT INTO snapshot_updates (snapshot_id, data) SELECT $1, * FROM unnest($2::bytea[])',
            [snapshot.id, unsaved],
          );
        }
      });
    },
    async getSnapshot(boardId, id) {
      return read(async (c) => {
        const [row] = await rows<SnapshotRow & { state: Uint8Array; private: string | null }>(
          c,
          `SELECT snapshots.*, data AS state FROM snapshots JOIN state_blobs ON state_blobs.id = blob_id
           WHERE board_id = $1 AND snapshots.id = $2`,
          [boardId, id],
        );
        if (!row) return undefined;
        const log = await rows<{ data: Uint8Array }>(
          c,
          `SELECT data FROM (
             SELECT 0 AS part, seq AS ord, board_updates.data FROM snapshots
             JOIN board_updates ON board_updates.board_id = snapshots.board_id
               AND board_updates.seq <= snapshots.log_to_seq
             WHERE snapshots.id = $1
             UNION ALL
             SELECT 1, ord, data FROM snapshot_updates WHERE snapshot_id = $1
           ) AS log ORDER BY part, ord`,
          [id],
        );
        return {
          snapshot: toSnapshot(row),
          state: mergeAll([row.state, ...log.map((update) => update.data)]),
          rows: row.private === null ? null : unpackPrivateRows(row.private),
        };
      });
    },
    async listSnapshotsWithoutPrivate() {
      return (
        await query<{ board_id: string; id: string }>(
          'SELECT board_id, id FROM snapshots WHERE private IS NULL',
        )
      ).map((row) => ({ boardId: row.board_id, id: row.id }));
    },
    async rewriteSnapshot(id, state, privateRows) {
      await transaction(async (c) => {
        const old = await rows<{ blob_id: number }>(
          c,
          'SELECT blob_id FROM snapshots WHERE id = $1 FOR UPDATE',
          [id],
        );
        await rows(c, 'UPDATE snapshots SET blob_id = $1, log_to_seq = NULL, private = $2 WHERE id = $3', [
          await insertBlob(c, state),
          packPrivateRows(privateRows),
          id,
        ]);
        await rows(c, 'DELETE FROM snapshot_updates WHERE snapshot_id = $1', [id]);
        await dropBlobsIfUnnamed(
          c,
          old.map((row) => row.blob_id),
        );
      });
    },
    async loadPrivateRows(boardId) {
      return read(async (c) => {
        const drafts = await rows<{ card_id: string; card: string | null }>(
          c,
          'SELECT card_id, card FROM drafts WHERE board_id = $1',
          [boardId],
        );
        const authors = await rows<{ card_id: string; participant_id: string }>(
          c,
          'SELECT card_id, participant_id FROM card_authors WHERE board_id = $1',
          [boardId],
        );
        const ballots = await rows<{ participant_id: string; card_id: string; votes: number }>(
          c,
          'SELECT participant_id, card_id, votes FROM ballots WHERE board_id = $1',
          [boardId],
        );
        return {
          drafts: drafts.flatMap((row) => (row.card === null ? [] : [JSON.parse(row.card) as Card])),
          retiredDrafts: drafts.filter((row) => row.card === null).map((row) => row.card_id),
          authors: authors.map((row) => ({ cardId: row.card_id, participantId: row.participant_id })),
          ballots: ballots.map((row) => ({
            participantId: row.participant_id,
            cardId: row.card_id,
            votes: row.votes,
          })),
        };
      });
    },
    async vacuumPending() {
      const [row] = await query<{ pending: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM pending_vacuum) AS pending',
      );
      return row?.pending ?? false;
    },
    async vacuum() {
      // Only the marks made before it started: a session deleted while it runs waits for the next.
      const [mark] = await query<{ last: number | null }>('SELECT MAX(id) AS last FROM pending_vacuum');
      // Outside a transaction (VACUUM refuses to run in one); as long as the tables need.
      await use(() => pool.query({ text: 'VACUUM', query_timeout: NO_TIMEOUT_MS } as pg.QueryConfig));
      await query('DELETE FROM pending_vacuum WHERE id <= $1', [mark?.last ?? 0]);
    },
    addParticipant(participant) {
      return new Promise<void>((resolve, reject) => {
        joining.push({ participant, resolve, reject });
        if (joining.length === 1) setImmediate(() => void storeJoins());
      });
    },
    async findParticipantByTokenHash(tokenHash) {
      const [row] = await query<ParticipantRow>(
        'SELECT * FROM participants WHERE token_hash = $1 AND removed_at IS NULL',
        [tokenHash],
      );
      return row && toParticipant(row);
    },
    async countParticipants(sessionId) {
      const [row] = await query<{ count: number }>(
        "SELECT COUNT(*) AS count FROM participants WHERE session_id = $1 AND role = 'participant' AND removed_at IS NULL",
        [sessionId],
      );
      return row?.count ?? 0;
    },
    async listParticipants(sessionId) {
      return (
        await query<ParticipantRow>(
          'SELECT * FROM participants WHERE session_id = $1 AND removed_at IS NULL ORDER BY created_at, id',
          [sessionId],
        )
      ).map(toParticipant);
    },
    async removeParticipant(sessionId, participantId, at) {
      const removed = await use(() =>
        pool.query(
          'UPDATE participants SET removed_at = $1 WHERE id = $2 AND session_id = $3 AND removed_at IS NULL',
          [at, participantId, sessionId],
        ),
      );
      return (removed.rowCount ?? 0) > 0;
    },
    async loadBoardDoc(boardId): Promise<StoredBoardDoc> {
      // One statement, so that a compaction committing meanwhile is seen whole or not at all.
      const parts = await use(() =>
        prepared<{ head: boolean; seq: number; data: Uint8Array }>(
          pool,
          'kaptar_load_board_doc',
          `SELECT TRUE AS head, 0::bigint AS seq, data
           FROM board_heads JOIN state_blobs ON state_blobs.id = board_heads.blob_id
           WHERE board_heads.board_id = $1
           UNION ALL
           SELECT FALSE, seq, data FROM board_updates WHERE board_id = $1
           ORDER BY head DESC, seq`,
          [boardId],
        ),
      );
      const updates = parts.filter((part) => !part.head);
      return {
        state: parts.find((part) => part.head)?.data ?? null,
        updates: updates.map((update) => update.data),
        seq: updates.at(-1)?.seq ?? 0,
      };
    },
    async claimBoard(boardId) {
      const [claimed] = await query<{ fence: number }>(
        'UPDATE boards SET fence = fence + 1 WHERE id = $1 RETURNING fence',
        [boardId],
      );
      if (!claimed) throw new BoardGoneError(boardId);
      return claimed.fence;
    },
    async loadSessionDoc(sessionId) {
      const [row] = await query<{ state: Uint8Array }>(
        'SELECT state FROM session_docs WHERE session_id = $1',
        [sessionId],
      );
      return row?.state ?? null;
    },
    async claimSessionDoc(sessionId) {
      const [claimed] = await query<{ fence: number }>(
        'UPDATE sessions SET doc_fence = doc_fence + 1 WHERE id = $1 RETURNING doc_fence AS fence',
        [sessionId],
      );
      return claimed?.fence ?? 0;
    },
    async saveSessionDoc(sessionId, state, fence) {
      const [saved] = await query<{ saved: boolean }>('SELECT kaptar_save_session_doc($1, $2, $3) AS saved', [
        sessionId,
        state,
        fence,
      ]);
      return saved?.saved === true;
    },
    async appendBoardUpdates(updates: BoardAppend[]) {
      if (updates.length === 0) return [];
      const logged = updates.filter((append) => append.update !== null);
      const intents = updates.flatMap(({ boardId, intents }) =>
        intents.map((intent) => ({ boardId, ...intent })),
      );
      const named = new Set<string>();
      for (const { boardId, intentId } of intents) {
        const key = JSON.stringify([boardId, intentId]);
        if (named.has(key)) throw new Error(`intent ${intentId} is in the append twice`);
        named.add(key);
      }
      const args = [
        updates.map(({ boardId }) => boardId),
        updates.map(({ fence }) => fence),
        logged.map(({ boardId }) => boardId),
        logged.map(({ update }) => update),
        logged.map(({ fence }) => fence),
        intents.map(({ boardId }) => boardId),
        intents.map(({ intentId }) => intentId),
        intents.map(({ participantId }) => participantId),
        intents.map(({ result }) => result),
        intents.map(({ changes }) => changes),
        INTENT_ROW_BYTES,
        ...privateArguments(
          updates.flatMap(({ boardId, changes }) => changes.map((change) => ({ boardId, change }))),
        ),
      ];
      // One statement is its own transaction: committed (and durable) when it answers.
      const seqs = await use(() =>
        prepared<{ seq: number }>(pool, 'kaptar_append', APPEND, args).catch((error: unknown) => {
          throw refusalOf(error, updates);
        }),
      );
      return seqs.map((row) => row.seq);
    },
    async sessionStoredBytes(sessionId) {
      // Each distinct state counted once, however many snapshots and heads share it.
      const [row] = await query<{ bytes: number }>(
        `WITH b AS (SELECT id FROM boards WHERE session_id = $1)
         SELECT (
           (SELECT COALESCE(SUM(intent_bytes), 0) FROM boards WHERE session_id = $1)
         + (SELECT COALESCE(SUM(length(data)), 0) FROM board_updates WHERE board_id IN (SELECT id FROM b))
         + (SELECT COALESCE(SUM(length(data)), 0) FROM state_blobs WHERE id IN
             (SELECT blob_id FROM board_heads WHERE board_id IN (SELECT id FROM b)
              UNION SELECT blob_id FROM snapshots WHERE board_id IN (SELECT id FROM b)))
         + (SELECT COALESCE(SUM(length(data)), 0) FROM snapshot_updates
             WHERE snapshot_id IN (SELECT id FROM snapshots WHERE board_id IN (SELECT id FROM b)))
         + (SELECT COALESCE(SUM(octet_length(private)), 0) FROM snapshots WHERE board_id IN (SELECT id FROM b))
         + (SELECT COALESCE(SUM(COALESCE(octet_length(card), 0) + ${SMALL_ROW_BYTES}), 0) FROM drafts
             WHERE board_id IN (SELECT id FROM b))
         + (SELECT COUNT(*) * ${SMALL_ROW_BYTES} FROM ballots WHERE board_id IN (SELECT id FROM b))
         + (SELECT COUNT(*) * ${SMALL_ROW_BYTES} FROM card_authors WHERE board_id IN (SELECT id FROM b))
         + (SELECT COUNT(*) * ${SMALL_ROW_BYTES} FROM participants WHERE session_id = $1)
         + (SELECT COALESCE(SUM(length(state)), 0) FROM session_docs WHERE session_id = $1)
         )::bigint AS bytes`,
        [sessionId],
      );
      return row?.bytes ?? 0;
    },
    async compactBoard(boardId, state, upTo) {
      // The snapshots still reading the log are folded first, outside the transaction, so that the
      // board's appends do not wait for the merging. The log only grows, so a moment folded now is
      // the same at the end; one taken meanwhile is folded in the transaction; rows after `upTo`
      // stay (`state` may lack them). Held in memory until then: only the moments since the last
      // compaction (500 updates ago) read the log.
      const folded = new Map<string, Uint8Array>();
      for (const moment of await use(() => statesReadingLog(pool, boardId))) {
        folded.set(momentKey(moment), await use(() => foldMoment(pool, boardId, moment)));
      }
      await transaction(async (c) => {
        await lockBoard(c, boardId);
        await compact(c, boardId, state, upTo, folded);
      });
    },
    async findIntent(boardId, intentId) {
      const [row] = await use(() =>
        prepared<{ participant_id: string; result: string }>(
          pool,
          'kaptar_find_intent',
          'SELECT participant_id, result FROM board_intents WHERE board_id = $1 AND intent_id = $2',
          [boardId, intentId],
        ),
      );
      return row && { intentId, participantId: row.participant_id, result: row.result, changes: '' };
    },
    async listIntentIds(boardId) {
      const found = await use(() =>
        rows<{ intent_id: string }>(pool, 'SELECT intent_id FROM board_intents WHERE board_id = $1', [
          boardId,
        ]),
      );
      return found.map((row) => row.intent_id);
    },
    async listChangesBy(boardId, participantId) {
      return (
        await query<{ intent_id: string; changes: string }>(
          'SELECT intent_id, changes FROM board_intents WHERE board_id = $1 AND participant_id = $2 ORDER BY ord',
          [boardId, participantId],
        )
      ).map((row) => ({ intentId: row.intent_id, changes: row.changes }));
    },
    async listBoardsWithoutEpoch() {
      return (await query<{ id: string }>("SELECT id FROM boards WHERE epoch = ''")).map((row) => row.id);
    },
    async replaceBoardDoc(boardId, state, epoch, privateRows) {
      await transaction(async (c) => {
        await lockBoard(c, boardId);
        await compact(c, boardId, state, Number.MAX_SAFE_INTEGER);
        await rows(c, 'UPDATE boards SET epoch = $1 WHERE id = $2', [epoch, boardId]);
        await writeBallots(c, boardId, privateRows.ballots);
        await writePrivate(c, draftWrites(boardId, privateRows.drafts));
      });
    },
    async checkWritable() {
      await query(PROBE, [Date.now()]);
    },
    async diagnose(): Promise<StorageDiagnosis> {
      // A connection of its own: the pool's may all be waiting on the very failure.
      const client = new pg.Client({
        connectionString: url,
        connectionTimeoutMillis: DIAGNOSE_TIMEOUT_MS,
        query_timeout: DIAGNOSE_TIMEOUT_MS,
        application_name: 'kaptar',
      });
      client.on('error', () => undefined);
      try {
        try {
          await client.connect();
        } catch (error) {
          return error instanceof pg.DatabaseError
            ? { where, problem: `${where} refuses connections: ${error.message}` }
            : { where, problem: `${where} does not answer (${reasonOf(error)})` };
        }
        try {
          await client.query(PROBE, [Date.now()]);
          return { where, problem: null };
        } catch (error) {
          return { where, problem: `${where} refuses writes: ${reasonOf(error)}` };
        }
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
