/**
 * The session document: what the whole session shares across its boards, written by the server
 * alone and replicated read-only to every member, like a board. This file is the only place that
 * knows how it is laid out in Yjs: one root map whose fields hold plain values, each replaced
 * whole (a field is one fact; nobody merges half of one).
 */
import type * as Y from 'yjs';
import { isId } from './ids.js';

/** The root map of the session document. */
export const SESSION_ROOT = 'session';

/** What the presenter put on the big screen: a card or a group of one board. */
export interface PresenterFocus {
  boardId: string;
  kind: 'card' | 'group';
  id: string;
  /** Phones show it too (as a sheet they may close), not only the projector. */
  onPhones: boolean;
}

export interface SessionShared {
  /** The board the projector shows: the one the moderator has open. */
  screen: { boardId: string } | null;
  /** The board everyone was last brought to, and when (server clock, ms): each bring is new. */
  broughtTo: { boardId: string; at: number } | null;
  /** Presenter mode: what the screen shows large; null when nothing is. */
  focus: PresenterFocus | null;
  /** The projector shows the session's initiatives (initiatives.ts) instead of the board. */
  initiativesOnScreen: boolean;
  /** The moderator closed the session for writing: every screen reads, nothing changes. */
  closed: boolean;
}

export const NO_SESSION_SHARED: SessionShared = {
  screen: null,
  broughtTo: null,
  focus: null,
  initiativesOnScreen: false,
  closed: false,
};

const root = (doc: Y.Doc) => doc.getMap<unknown>(SESSION_ROOT);

/** The shared state as typed values; a field that is missing or off its shape reads as null. */
export function readSessionShared(doc: Y.Doc): SessionShared {
  const map = root(doc);
  return {
    screen: readScreen(map.get('screen')),
    broughtTo: readBroughtTo(map.get('broughtTo')),
    focus: readFocus(map.get('focus')),
    initiativesOnScreen: map.get('initiativesOnScreen') === true,
    closed: map.get('closed') === true,
  };
}

export function observeSessionShared(doc: Y.Doc, onChange: (shared: SessionShared) => void): () => void {
  const map = root(doc);
  const handler = () => onChange(readSessionShared(doc));
  map.observe(handler);
  return () => map.unobserve(handler);
}

/**
 * Server only. The projector follows the moderator's board. Writes nothing when it shows that
 * board already: the moderator's every reload or reconnection sends it again.
 */
export function showOnScreen(doc: Y.Doc, boardId: string): boolean {
  // The same board again (a reload) leaves the initiatives on the screen; another board takes them off.
  if (readSessionShared(doc).screen?.boardId === boardId) return false;
  doc.transact(() => {
    root(doc).set('screen', { boardId });
    root(doc).set('initiativesOnScreen', false);
  });
  return true;
}

/** Server only. The projector shows the initiatives (or the board again), until another board is shown. */
export function showInitiatives(doc: Y.Doc, shown: boolean): void {
  if (readSessionShared(doc).initiativesOnScreen !== shown) root(doc).set('initiativesOnScreen', shown);
}

/** Server only. Marks the session closed for writing (or open again), for every screen to show. */
export function setClosed(doc: Y.Doc, closed: boolean): void {
  if (readSessionShared(doc).closed !== closed) root(doc).set('closed', closed);
}

/** Server only. Everyone goes to the board (phones move once per `at`), and so does the screen. */
export function bringEveryone(doc: Y.Doc, boardId: string, at: number): void {
  doc.transact(() => {
    root(doc).set('broughtTo', { boardId, at });
    showOnScreen(doc, boardId);
  });
}

/**
 * Server only. Puts a card or group on the big screen (the board it is on goes on the screen
 * too, so the projector shows it), or takes it off with null. Whether the card or group exists
 * is the caller's to check: it lives in the board's document, not here.
 */
export function setFocus(doc: Y.Doc, focus: PresenterFocus | null): void {
  doc.transact(() => {
    root(doc).set('focus', focus ? { ...focus } : null);
    if (focus) showOnScreen(doc, focus.boardId);
  });
}

const anId = (value: unknown): value is string => typeof value === 'string' && isId(value);

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

function readScreen(value: unknown): SessionShared['screen'] {
  const fields = record(value);
  return fields && anId(fields.boardId) ? { boardId: fields.boardId } : null;
}

function readBroughtTo(value: unknown): SessionShared['broughtTo'] {
  const fields = record(value);
  if (!fields || !anId(fields.boardId)) return null;
  const { at } = fields;
  return typeof at === 'number' && Number.isFinite(at) ? { boardId: fields.boardId, at } : null;
}

function readFocus(value: unknown): PresenterFocus | null {
  const fields = record(value);
  if (!fields || !anId(fields.boardId) || !anId(fields.id)) return null;
  const { kind, onPhones } = fields;
  if (kind !== 'card' && kind !== 'group') return null;
  return { boardId: fields.boardId, kind, id: fields.id, onPhones: onPhones === true };
}
