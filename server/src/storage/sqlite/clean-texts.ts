/**
 * A data migration: every text stored before the text rule (@kaptar/board's text.ts) is brought
 * under it, once, when the file migrates. Session titles and settlements, people's names and
 * settlements, board titles and snapshot names are cleaned in their rows; card texts, card
 * settlements and group titles in every board's and snapshot's document, by one more update in
 * its log (cleanDocTexts: ids, places, groups and votes stay, and devices get the change as any
 * other update, so nobody's replica is dropped); and the copies of cards kept beside them (silent
 * collect drafts, the changes recorded for undoing a person, snapshots' private rows) the same
 * way, so an undo or a reveal cannot bring an old text back. `cleanText` never refuses: it drops
 * what the rule would refuse.
 */
import { cleanDocTexts, cleanText, MAX_CARD_TEXT, MAX_GROUP_TITLE } from '@kaptar/board';
import { LIMITS } from '@kaptar/protocol';
import type Database from 'better-sqlite3';
import * as Y from 'yjs';

/** The texts in a stored JSON value (cards, groups, recorded changes), cleaned wherever they are. */
function cleanJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cleanJson);
  if (value === null || typeof value !== 'object') return value;
  const cleaned: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (typeof field !== 'string') cleaned[key] = cleanJson(field);
    else if (key === 'text') cleaned[key] = cleanText(field, 'card', MAX_CARD_TEXT);
    else if (key === 'title') cleaned[key] = cleanText(field, 'line', MAX_GROUP_TITLE);
    else if (key === 'site') cleaned[key] = cleanText(field);
    else cleaned[key] = field;
  }
  return cleaned;
}

/** The JSON text cleaned, or null when nothing in it changes (or it is not JSON). */
function cleanedJsonText(raw: string): string | null {
  try {
    const cleaned = JSON.stringify(cleanJson(JSON.parse(raw)));
    return cleaned === JSON.stringify(JSON.parse(raw)) ? null : cleaned;
  } catch {
    return null;
  }
}

/** The update that cleans the document merged from `parts`, or null when it is clean already. */
function cleaningUpdate(parts: Uint8Array[]): Uint8Array | null {
  const doc = new Y.Doc();
  try {
    for (const part of parts) Y.applyUpdate(doc, part);
    const before = Y.encodeStateVector(doc);
    return cleanDocTexts(doc) > 0 ? Y.encodeStateAsUpdate(doc, before) : null;
  } finally {
    doc.destroy();
  }
}

const bytes = (data: Buffer) => new Uint8Array(data);

export function cleanStoredTexts(db: Database.Database): void {
  const line = (max: number) => (text: string) => cleanText(text, 'line', max);
  const rows = <T>(sql: string) => db.prepare<[], T>(sql).all();

  const setSession = db.prepare<[string, string, string]>(
    'UPDATE sessions SET title = ?, sites = ? WHERE id = ?',
  );
  for (const session of rows<{ id: string; title: string; sites: string }>(
    'SELECT id, title, sites FROM sessions',
  )) {
    const title = line(LIMITS.sessionTitle)(session.title);
    let sites = session.sites;
    try {
      const list: unknown = JSON.parse(session.sites);
      if (Array.isArray(list)) {
        const cleaned = list.map((site) => (typeof site === 'string' ? line(LIMITS.siteName)(site) : site));
        sites = JSON.stringify([...new Set(cleaned)].filter((site) => site !== ''));
        if (sites === JSON.stringify(list)) sites = session.sites;
      }
    } catch {
      // Unreadable lists are read as empty (parseSites): nothing to clean.
    }
    if (title !== session.title || sites !== session.sites) setSession.run(title, sites, session.id);
  }

  const setPerson = db.prepare<[string, string, string, string]>(
    'UPDATE participants SET name = ?, site = ? WHERE session_id = ? AND id = ?',
  );
  for (const person of rows<{ session_id: string; id: string; name: string; site: string }>(
    'SELECT session_id, id, name, site FROM participants',
  )) {
    const name = line(LIMITS.displayName)(person.name);
    const site = line(LIMITS.siteName)(person.site);
    if (name !== person.name || site !== person.site) setPerson.run(name, site, person.session_id, person.id);
  }

  const setBoardTitle = db.prepare<[string, string]>('UPDATE boards SET title = ? WHERE id = ?');
  for (const board of rows<{ id: string; title: string }>('SELECT id, title FROM boards')) {
    const title = line(LIMITS.boardTitle)(board.title);
    if (title !== board.title) setBoardTitle.run(title, board.id);
  }

  const setSnapshotName = db.prepare<[string, string]>('UPDATE snapshots SET name = ? WHERE id = ?');
  for (const snapshot of rows<{ id: string; name: string }>('SELECT id, name FROM snapshots')) {
    const name = line(LIMITS.snapshotName)(snapshot.name);
    if (name !== snapshot.name) setSnapshotName.run(name, snapshot.id);
  }

  // The copies of cards beside the documents: drafts, recorded changes, snapshots' private rows.
  const jsonColumns = [
    {
      select: 'SELECT rowid AS key, card AS raw FROM drafts WHERE card IS NOT NULL',
      set: 'UPDATE drafts SET card = ? WHERE rowid = ?',
    },
    {
      select: 'SELECT rowid AS key, changes AS raw FROM board_intents',
      set: 'UPDATE board_intents SET changes = ? WHERE rowid = ?',
    },
    {
      select: 'SELECT rowid AS key, private AS raw FROM snapshots WHERE private IS NOT NULL',
      set: 'UPDATE snapshots SET private = ? WHERE rowid = ?',
    },
  ];
  for (const { select, set } of jsonColumns) {
    const update = db.prepare<[string, number]>(set);
    for (const { key, raw } of rows<{ key: number; raw: string }>(select)) {
      const cleaned = cleanedJsonText(raw);
      if (cleaned !== null) update.run(cleaned, key);
    }
  }

  // The documents: each board's head and log, each snapshot's state and the log it reads.
  const head = db.prepare<[string], { data: Buffer }>(
    'SELECT data FROM board_heads JOIN state_blobs ON state_blobs.id = blob_id WHERE board_id = ?',
  );
  const boardLog = db.prepare<[string], { data: Buffer }>(
    'SELECT data FROM board_updates WHERE board_id = ? ORDER BY seq',
  );
  const appendToBoard = db.prepare<[string, Uint8Array]>(
    'INSERT INTO board_updates (board_id, data) VALUES (?, ?)',
  );
  for (const { id } of rows<{ id: string }>('SELECT board_id AS id FROM board_heads')) {
    const state = head.get(id);
    if (!state) continue;
    const update = cleaningUpdate([state.data, ...boardLog.all(id).map((row) => row.data)].map(bytes));
    if (update) appendToBoard.run(id, update);
  }
  const snapshotLog = db.prepare<[string, string], { data: Buffer }>(
    `SELECT data FROM snapshot_updates WHERE snapshot_id = ?
     UNION ALL
     SELECT board_updates.data FROM snapshots
     JOIN board_updates ON board_updates.board_id = snapshots.board_id AND board_updates.seq <= snapshots.log_to_seq
     WHERE snapshots.id = ?`,
  );
  const appendToSnapshot = db.prepare<[string, Uint8Array]>(
    'INSERT INTO snapshot_updates (snapshot_id, data) VALUES (?, ?)',
  );
  for (const { id, data } of rows<{ id: string; data: Buffer }>(
    'SELECT snapshots.id, data FROM snapshots JOIN state_blobs ON state_blobs.id = blob_id',
  )) {
    const update = cleaningUpdate([data, ...snapshotLog.all(id, id).map((row) => row.data)].map(bytes));
    if (update) appendToSnapshot.run(id, update);
  }
}
