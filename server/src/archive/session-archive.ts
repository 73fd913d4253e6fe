/**
 * Session archives: a whole session (boards, snapshots, participants) as one
 * JSON file, and the checks an archive from elsewhere must pass before
 * anything of it is stored. Tokens never leave the server.
 */
import { createHash } from 'node:crypto';
import {
  type Ballot,
  type BoardContents,
  type ContentsOfAnyVersion,
  carriedInitiative,
  DEFAULT_LANGUAGE,
  docFromContents,
  EMPTY_PRIVATE_ROWS,
  type Initiative,
  rebuildDoc,
  restoreInitiatives,
} from '@kaptar/board';
import { cleanText, LIMITS, type SessionArchive, type SessionArchiveV1 } from '@kaptar/protocol';
import * as Y from 'yjs';
import { hashToken, newId, newToken } from '../auth/secrets.js';
import { newBoard } from '../boards/lifecycle.js';
import type {
  BoardRecord,
  ImportedSession,
  ParticipantRecord,
  SessionRecord,
  SnapshotRecord,
} from '../storage/store.js';

export function buildArchive(
  session: SessionRecord,
  participants: ParticipantRecord[],
  boards: Array<{ board: BoardRecord; contents: BoardContents }>,
  snapshots: Array<{ snapshot: SnapshotRecord; contents: BoardContents }>,
  initiatives: Initiative[],
): SessionArchive {
  return {
    format: 'kaptar-session-archive',
    version: 2,
    exportedAt: Date.now(),
    session: {
      title: session.title,
      sites: session.sites,
      allowNewSites: session.allowNewSites,
      createdAt: session.createdAt,
      lang: session.lang,
    },
    participants: participants.map(({ id, role, name, site, createdAt, noDevice }) => ({
      id,
      role,
      name,
      site,
      createdAt,
      ...(noDevice ? { noDevice } : {}),
    })),
    boards: boards.map(({ board, contents }) => ({
      id: board.id,
      title: board.title,
      position: board.position,
      archived: board.archived,
      createdAt: board.createdAt,
      content: contents,
    })),
    snapshots: snapshots.map(({ snapshot, contents }) => ({ ...snapshot, content: contents })),
    initiatives,
  };
}

/**
 * The imported session's document: its initiatives with their people and boards under the new
 * ids (whoever and whatever is not in the file is left out); null when it has none.
 */
function sessionDocOf(
  archive: SessionArchive | SessionArchiveV1,
  rename: Parameters<typeof carriedInitiative>[1],
): Uint8Array | null {
  const initiatives = 'initiatives' in archive ? (archive.initiatives ?? []) : [];
  if (initiatives.length === 0) return null;
  const doc = new Y.Doc();
  restoreInitiatives(
    doc,
    initiatives.map((initiative) => carriedInitiative(initiative, rename)),
  );
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

/** Why an archive cannot be imported; answered with 400 and the message. */
export class ArchiveError extends Error {}

/** A board of an archive of version 2, given as plain content its schema has checked. */
function contentState(
  contents: ContentsOfAnyVersion,
  where: string,
  renamePerson: (participantId: string) => string,
): { state: Uint8Array; ballots: Ballot[] } {
  // Two cards of one id would be one card whose total and ballots disagree.
  for (const [list, what] of [
    [contents.cards, 'card'],
    [contents.groups, 'group'],
  ] as const) {
    const ids = new Set<string>();
    for (const { id } of list) {
      if (ids.has(id)) throw new ArchiveError(`${where}: ${what} ${id} appears twice`);
      ids.add(id);
    }
  }
  let rebuilt: ReturnType<typeof docFromContents>;
  try {
    rebuilt = docFromContents(contents, renamePerson);
  } catch (error) {
    throw new ArchiveError(`${where}: ${(error as Error).message}`);
  }
  const state = Y.encodeStateAsUpdate(rebuilt.doc);
  rebuilt.doc.destroy();
  return { state, ballots: rebuilt.ballots };
}

/**
 * Reads a board state from an archive of version 1: it must be a complete Yjs update. What is stored is a fresh
 * document built from its typed contents (cards, groups, settings, votes; texts cleaned by the text
 * rule), never the bytes as sent:
 * anything else in them (junk keys, unknown roots, values of the wrong type) is left behind.
 */
function readState(
  encoded: string,
  where: string,
  renamePerson: (participantId: string) => string,
): { state: Uint8Array; ballots: Ballot[] } {
  const state = new Uint8Array(Buffer.from(encoded, 'base64'));
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
  } catch {
    throw new ArchiveError(`${where}: not a board state`);
  }
  if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
    throw new ArchiveError(`${where}: the board state is incomplete`);
  }
  const rebuilt = rebuildDoc(doc, undefined, renamePerson);
  doc.destroy();
  return { state: Y.encodeStateAsUpdate(rebuilt.doc), ballots: rebuilt.ballots };
}

/** An imported session as read from its file: its join code is drawn when it is stored. */
export type ImportWithoutCode = Omit<ImportedSession, 'session'> & {
  session: Omit<ImportedSession['session'], 'joinCode'>;
};

/** What the importing server draws for the new session. */
export interface ArchiveFreshIds {
  sessionId: string;
  viewerToken: string;
  moderatorToken: string;
  now: number;
}

/**
 * Turns a checked archive into records for a new session on this server. Every id is new: the
 * session's, its boards', snapshots' and people's (the file's ids could name people of another
 * session here); cards and votes are linked to their people through the file's ids. The caller's
 * moderator and viewer credentials are added.
 */
export function importArchive(
  archive: SessionArchive | SessionArchiveV1,
  fresh: ArchiveFreshIds,
): ImportWithoutCode {
  const ids = (list: Array<{ id: string }>, what: string) => {
    if (new Set(list.map((item) => item.id)).size !== list.length)
      throw new ArchiveError(`duplicate ${what} ids`);
  };
  ids(archive.participants, 'participant');
  ids(archive.boards, 'board');
  const sessionId = fresh.sessionId;
  const records = new Map(
    archive.boards.map((board) => [
      board.id,
      newBoard(sessionId, {
        title: cleanText(board.title, 'line', LIMITS.boardTitle),
        position: board.position,
        archived: board.archived,
        createdAt: board.createdAt,
      }),
    ]),
  );
  // People get new ids too: the file's ids would name people of another session on this server.
  // Cards written by someone not in the file's list keep no author.
  const personIds = new Map(archive.participants.map((person) => [person.id, newId()]));
  const renamePerson = (id: string) => personIds.get(id) ?? '';

  // Identical states (a board and the snapshots taken while it did not change) become one array,
  // stored once, as the store shares a state between a board and its snapshots.
  const distinct = new Map<string, Uint8Array>();
  const read = (held: { content: ContentsOfAnyVersion } | { state: string }, where: string) => {
    const { state, ballots } =
      'content' in held
        ? contentState(held.content, where, renamePerson)
        : readState(held.state, where, renamePerson);
    const key = createHash('sha256').update(state).digest('base64');
    if (!distinct.has(key)) distinct.set(key, state);
    return { state: distinct.get(key) as Uint8Array, ballots };
  };
  const boards: ImportedSession['boards'] = [];
  for (const [index, board] of archive.boards.entries()) {
    boards.push({ board: records.get(board.id) as BoardRecord, ...read(board, `board ${index + 1}`) });
  }
  const snapshots: ImportedSession['snapshots'] = [];
  for (const [index, snapshot] of archive.snapshots.entries()) {
    const boardId = records.get(snapshot.boardId)?.id;
    if (!boardId) throw new ArchiveError(`snapshot ${index + 1} belongs to no board of the archive`);
    const { state, ballots } = read(snapshot, `snapshot ${index + 1}`);
    snapshots.push({
      snapshot: {
        id: newId(),
        boardId,
        name: cleanText(snapshot.name, 'line', LIMITS.snapshotName),
        kind: snapshot.kind,
        createdAt: snapshot.createdAt,
        createdBy: snapshot.createdBy,
        cardCount: snapshot.cardCount,
        voteCount: snapshot.voteCount,
      },
      state,
      rows: { ...EMPTY_PRIVATE_ROWS, ballots },
    });
  }
  // Imported people keep their names on the cards, but nobody can sign in as them.
  const unusable = () => hashToken(`imported:${newToken()}`);
  const participants: ParticipantRecord[] = [
    ...archive.participants.map((person) => ({
      ...person,
      id: renamePerson(person.id),
      name: cleanText(person.name, 'line', LIMITS.displayName),
      site: cleanText(person.site, 'line', LIMITS.siteName),
      sessionId,
      tokenHash: unusable(),
      noDevice: person.noDevice === true,
    })),
    {
      id: newId(),
      sessionId,
      role: 'moderator',
      name: '',
      site: '',
      tokenHash: hashToken(fresh.moderatorToken),
      createdAt: fresh.now,
    },
    {
      id: newId(),
      sessionId,
      role: 'viewer',
      name: '',
      site: '',
      tokenHash: hashToken(fresh.viewerToken),
      createdAt: fresh.now,
    },
  ];
  // Texts the text rule would refuse are cleaned, as in a data file of an earlier version.
  const sites = archive.session.sites.map((site) => cleanText(site, 'line', LIMITS.siteName));
  return {
    session: {
      ...archive.session,
      lang: archive.session.lang ?? DEFAULT_LANGUAGE,
      title: cleanText(archive.session.title, 'line', LIMITS.sessionTitle),
      sites: [...new Set(sites)].filter((site) => site !== ''),
      id: sessionId,
      viewerToken: fresh.viewerToken,
    },
    participants,
    boards,
    snapshots,
    sessionDoc: sessionDocOf(archive, { person: renamePerson, board: (id) => records.get(id)?.id ?? '' }),
  };
}
