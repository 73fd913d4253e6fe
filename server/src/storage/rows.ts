/**
 * The rows both engines store, as they read them back (snake_case columns; a flag is 0/1 in SQLite
 * and a boolean in PostgreSQL), and the records the rest of the server sees.
 */
import { DEFAULT_LANGUAGE, isLanguage } from '@kaptar/board';
import type { Role } from '@kaptar/protocol';
import type { BoardRecord, ParticipantRecord, SessionRecord, SnapshotRecord } from './store.js';

/** What an intent row holds besides its result and changes (ids, index entries), roughly. */
export const INTENT_ROW_BYTES = 64;
/** What a participant, ballot, author or draft row holds besides its texts, roughly. */
export const SMALL_ROW_BYTES = 48;

/**
 * What goes when a session is deleted, in the order the engines delete it: the rows kept per
 * board (snapshot_updates first, through its snapshots), then those kept per session.
 */
export const PER_BOARD_TABLES = [
  'snapshots',
  'board_updates',
  'board_heads',
  'board_intents',
  'ballots',
  'drafts',
  'card_authors',
] as const;
export const PER_SESSION_TABLES = ['boards', 'participants', 'session_docs', 'follow_up_links'] as const;

export interface SessionRow {
  id: string;
  title: string;
  join_code: string;
  viewer_token: string;
  sites: string;
  allow_new_sites: number | boolean;
  lang: string;
  created_at: number;
  closed_at: number | null;
}
export interface BoardRow {
  id: string;
  session_id: string;
  title: string;
  position: number;
  archived: number | boolean;
  created_at: number;
  epoch: string;
}
export interface SnapshotRow {
  id: string;
  board_id: string;
  name: string;
  kind: 'manual' | 'auto';
  created_at: number;
  created_by: string;
  card_count: number;
  vote_count: number;
}

export interface ParticipantRow {
  id: string;
  session_id: string;
  role: Role;
  name: string;
  site: string;
  token_hash: string;
  created_at: number;
  no_device: number | boolean;
}

export const toSession = (row: SessionRow): SessionRecord => ({
  id: row.id,
  title: row.title,
  joinCode: row.join_code,
  viewerToken: row.viewer_token,
  sites: parseSites(row.sites),
  allowNewSites: Boolean(row.allow_new_sites),
  lang: isLanguage(row.lang) ? row.lang : DEFAULT_LANGUAGE,
  createdAt: row.created_at,
  closedAt: row.closed_at,
});
export const toBoard = (row: BoardRow): BoardRecord => ({
  id: row.id,
  sessionId: row.session_id,
  title: row.title,
  position: row.position,
  archived: Boolean(row.archived),
  createdAt: row.created_at,
  epoch: row.epoch,
});
export const toSnapshot = (row: SnapshotRow): SnapshotRecord => ({
  id: row.id,
  boardId: row.board_id,
  name: row.name,
  kind: row.kind,
  createdAt: row.created_at,
  createdBy: row.created_by,
  cardCount: row.card_count,
  voteCount: row.vote_count,
});

export const toParticipant = (row: ParticipantRow): ParticipantRecord => ({
  id: row.id,
  sessionId: row.session_id,
  role: row.role,
  name: row.name,
  site: row.site,
  tokenHash: row.token_hash,
  createdAt: row.created_at,
  noDevice: Boolean(row.no_device),
});

export function parseSites(raw: string): string[] {
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value.filter((site): site is string => typeof site === 'string') : [];
  } catch {
    return [];
  }
}
