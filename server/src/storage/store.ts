/**
 * The storage contract: what Kaptár keeps, and nothing about how. Two engines answer it, SQLite
 * (sqlite/, the embedded default) and PostgreSQL (postgres/); storage-contract.test.ts holds both
 * to it. Errors come out as storage/errors.ts's types, never a driver's.
 */
import type { Ballot, Language, PrivateChange, PrivateRows } from '@kaptar/board';
import type { Role } from '@kaptar/protocol';

export interface SessionRecord {
  id: string;
  title: string;
  joinCode: string;
  /** Read-only token for projectors; kept in clear so the moderator can show the link again. */
  viewerToken: string;
  /** Settlements taking part, as listed by the moderator. */
  sites: string[];
  /** Whether participants may name a settlement that is not listed. */
  allowNewSites: boolean;
  /** The language of the session's files: exports, pictures, snapshot names, the report. */
  lang: Language;
  createdAt: number;
  /** When the moderator closed it for writing (it still reads: the report, follow-up pages); null while open. */
  closedAt?: number | null;
}

export interface BoardRecord {
  id: string;
  sessionId: string;
  title: string;
  position: number;
  /** Archived boards are kept (and exported) but no longer offered to participants. */
  archived: boolean;
  createdAt: number;
  /**
   * Names the board's document. A new epoch (a rebuilt board) tells every device to drop its
   * replica and sync afresh; empty on boards saved by a version before intents, until rebuilt.
   */
  epoch: string;
}

export interface ParticipantRecord {
  id: string;
  sessionId: string;
  role: Role;
  name: string;
  site: string;
  /** SHA-256 of the bearer token; only the projector's is also kept in clear (SessionRecord.viewerToken). */
  tokenHash: string;
  createdAt: number;
  /**
   * A resident taking part without a phone, added by the moderator, who enters their cards,
   * paper votes and joins for them. Their token was never handed out: nobody signs in as them.
   */
  noDevice?: boolean;
}

/** An initiative's follow-up link: the token in clear (shown to members again) and its hash (looked up). */
export interface FollowUpLinkRecord {
  initiativeId: string;
  sessionId: string;
  token: string;
  tokenHash: string;
  at: number;
}

export interface SnapshotRecord {
  id: string;
  boardId: string;
  name: string;
  /** 'manual' when a moderator saved it; 'auto' at phase changes and before restores. */
  kind: 'manual' | 'auto';
  createdAt: number;
  /** Participant id of whoever saved it (a moderator). */
  createdBy: string;
  cardCount: number;
  voteCount: number;
}

/** A whole session to store at once (an imported archive): all of it or nothing. */
export interface ImportedSession {
  session: SessionRecord;
  participants: ParticipantRecord[];
  /** Ballots: an archive keeps totals only, brought in as votes of no participant. */
  boards: Array<{ board: BoardRecord; state: Uint8Array; ballots: Ballot[] }>;
  snapshots: Array<{ snapshot: SnapshotRecord; state: Uint8Array; rows: PrivateRows }>;
  /** The session document's state (its initiatives), or null. */
  sessionDoc: Uint8Array | null;
}

/** An applied intent: who sent it, the answer they got, and its writes with what they replaced (JSON). */
export interface StoredIntent {
  intentId: string;
  participantId: string;
  result: string;
  /** `RecordedChange[]` of @kaptar/board, for undoing this person; not read back by `findIntent`. */
  changes: string;
}

/**
 * One board's share of a write: one merged update (none when only private state changed: a
 * hidden vote, a draft), the intents it came from, and the private state it changed.
 */
export interface BoardAppend {
  boardId: string;
  /** The writer's fencing number (`claimBoard`): refused with FencedOutError once a newer writer claimed the board. */
  fence: number;
  update: Uint8Array | null;
  intents: StoredIntent[];
  changes: PrivateChange[];
}

/** A board's Yjs history: the last compacted state plus the updates logged since. */
export interface StoredBoardDoc {
  state: Uint8Array | null;
  updates: Uint8Array[];
  /** The sequence number of the last update in `updates` (0 when there is none): what `compactBoard` may fold. */
  seq: number;
}

/** Why the database cannot take writes, in words an operator acts on (health, the log). */
export interface StorageDiagnosis {
  /** The engine and where its data lives, without secrets: "SQLite in /var/lib/kaptar". */
  where: string;
  /** Null when a write goes through; otherwise the reason ("the disk of … is full"). */
  problem: string | null;
}

/** Sessions, their people, boards' records and follow-up pages, and the session document. */
export interface SessionStore {
  /** Creates the session with its first board (and its first state) and its moderator and viewer credentials. */
  createSession(
    session: SessionRecord,
    firstBoard: BoardRecord,
    firstState: Uint8Array,
    members: ParticipantRecord[],
  ): Promise<void>;
  getSession(id: string): Promise<SessionRecord | undefined>;
  findSessionByJoinCode(joinCode: string): Promise<SessionRecord | undefined>;
  updateSites(sessionId: string, sites: string[], allowNewSites: boolean): Promise<void>;
  /** Closes the session for writing (`closedAt`) or opens it again (null). */
  closeSession(sessionId: string, closedAt: number | null): Promise<void>;
  /** Deletes the session and everything it holds (boards, people, snapshots, follow-up links); false if none. */
  deleteSession(sessionId: string): Promise<boolean>;
  /** The initiative's follow-up token, if it has one. */
  followUpLink(sessionId: string, initiativeId: string): Promise<string | undefined>;
  /** Gives the initiative this follow-up link; the one it had stops working. */
  saveFollowUpLink(link: FollowUpLinkRecord): Promise<void>;
  /** The initiative no longer has a follow-up page (it was deleted or merged). */
  dropFollowUpLink(sessionId: string, initiativeId: string): Promise<void>;
  findFollowUpLink(tokenHash: string): Promise<{ sessionId: string; initiativeId: string } | undefined>;
  listBoards(sessionId: string): Promise<BoardRecord[]>;
  getBoard(id: string): Promise<BoardRecord | undefined>;
  /** Stores an imported session in one transaction; a state named twice (one array) is stored once. */
  importSession(archive: ImportedSession): Promise<void>;
  /** Adds a board with its first state (a restored snapshot, a template) and private state. */
  createBoard(board: BoardRecord, state: Uint8Array, rows?: PrivateRows): Promise<void>;
  updateBoard(boardId: string, change: { title?: string; archived?: boolean }): Promise<void>;
  /** Sets the order of the session's boards; ids not in the session are ignored. */
  reorderBoards(sessionId: string, boardIds: string[]): Promise<void>;

  addParticipant(participant: ParticipantRecord): Promise<void>;
  /** Only participants still in their session: a removed participant's token stops working. */
  findParticipantByTokenHash(tokenHash: string): Promise<ParticipantRecord | undefined>;
  listParticipants(sessionId: string): Promise<ParticipantRecord[]>;
  /** How many participants (not moderators or projectors) the session has, the removed left out. */
  countParticipants(sessionId: string): Promise<number>;
  /** Gives the session's projector a new token (kept in clear, and hashed for sign-in); the old one stops working. */
  renewViewerToken(sessionId: string, viewerToken: string, tokenHash: string): Promise<void>;
  /** Marks a participant removed; false if there is no such participant in the session. */
  removeParticipant(sessionId: string, participantId: string, at: number): Promise<boolean>;
  /** The session document's whole Yjs state; null before its first change. */
  loadSessionDoc(sessionId: string): Promise<Uint8Array | null>;
  /**
   * Makes the caller the session document's writer (as claimBoard does for a board): the number it
   * returns goes with each save, and a writer with an older one can save nothing after this.
   * 0 for a session that does not exist.
   */
  claimSessionDoc(sessionId: string): Promise<number>;
  /**
   * Replaces the session document's state, durably, before anyone is sent the change; false (and
   * nothing saved) if a newer writer claimed the document since `fence`.
   */
  saveSessionDoc(sessionId: string, state: Uint8Array, fence: number): Promise<boolean>;
  /**
   * What a session takes in the store: its boards' logs, intents and private rows, its people, and
   * each distinct state of its boards and snapshots once.
   */
  sessionStoredBytes(sessionId: string): Promise<number>;
}

/**
 * Each board's document (a state and the log since), with what is kept beside it: the intents it
 * applied, its private state (ballots, drafts, authors) and its snapshots, which share states.
 */
export interface BoardStore {
  loadBoardDoc(boardId: string): Promise<StoredBoardDoc>;
  /**
   * Makes the caller the board's writer: a fencing number higher than any given before. Appends
   * with an older number are refused from then on, so a writer that lost the board never writes.
   */
  claimBoard(boardId: string): Promise<number>;
  /** The board's private state: drafts, the authors of an anonymous board, ballots. */
  loadPrivateRows(boardId: string): Promise<PrivateRows>;
  /**
   * Appends updates to their boards' logs with the intents they came from and the private state
   * they changed, all in one durable transaction, or none of it: BoardGoneError or FencedOutError
   * name the board that refused. Resolves with each board's sequence number after the append.
   */
  appendBoardUpdates(updates: BoardAppend[]): Promise<number[]>;
  /** The stored answer to an intent, if it was applied on this board. */
  findIntent(boardId: string, intentId: string): Promise<StoredIntent | undefined>;
  /**
   * The ids of every intent stored with the board: its room keeps them, so that a new intent (most
   * are) costs no lookup, and only a replay is looked up (`findIntent`).
   */
  listIntentIds(boardId: string): Promise<string[]>;
  /** One participant's intents on a board with their recorded changes (JSON), oldest first. */
  listChangesBy(
    boardId: string,
    participantId: string,
  ): Promise<Array<{ intentId: string; changes: string }>>;
  /** Boards saved by a version before intents, to be rebuilt from their typed contents. */
  listBoardsWithoutEpoch(): Promise<string[]>;
  /**
   * Replaces the board's document with a fresh one (a rebuild): new state, empty log, new epoch,
   * and the private state moved out of the old document (its ballots, a silent collect's drafts).
   */
  replaceBoardDoc(boardId: string, state: Uint8Array, epoch: string, rows: PrivateRows): Promise<void>;
  /**
   * Replaces the state and drops the log up to `upToSeq`, which `state` must hold. Updates logged
   * after it (by this writer meanwhile, or any other) stay, and snapshots still read what they saw.
   */
  compactBoard(boardId: string, state: Uint8Array, upToSeq: number): Promise<void>;

  /**
   * Snapshots keep a full state (`Y.encodeStateAsUpdate`), so garbage collection can stay on.
   * Saves the board as stored, plus `unsaved` (updates still waiting to be written), as a
   * snapshot, without reading the board into the process: the live board's snapshots.
   */
  snapshotBoard(snapshot: SnapshotRecord, unsaved: Uint8Array[], rows: PrivateRows): Promise<void>;
  listSnapshots(boardId: string): Promise<SnapshotRecord[]>;
  /** `rows`: the private state at the snapshot's moment; null for one saved before it was kept. */
  getSnapshot(
    boardId: string,
    id: string,
  ): Promise<{ snapshot: SnapshotRecord; state: Uint8Array; rows: PrivateRows | null } | undefined>;
  /** Snapshots saved before private state was kept apart: their documents may hold ballots. */
  listSnapshotsWithoutPrivate(): Promise<Array<{ boardId: string; id: string }>>;
  /** Gives a snapshot a rebuilt state and its private state (the old state's bytes go). */
  rewriteSnapshot(id: string, state: Uint8Array, rows: PrivateRows): Promise<void>;
}

/** Both stores on one database, with what keeps it healthy. */
export interface Store extends SessionStore, BoardStore {
  /** Gives the space of deleted rows back, so that what was deleted is gone from the disk. */
  vacuum(): Promise<void>;
  /** Whether a migration or a delete left what must leave the disk and no vacuum has run since. */
  vacuumPending(): Promise<boolean>;
  /** Writes a tiny record; throws a StorageFailure if the database cannot take writes (health probe). */
  checkWritable(): Promise<void>;
  /** Asks the engine why writes fail (or that they do not): read when a failure is first seen. */
  diagnose(): Promise<StorageDiagnosis>;
  close(): Promise<void>;
}
