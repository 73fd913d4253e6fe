/**
 * Undoing one person: every change is recorded with what it replaced, so the moderator can take
 * back everything one participant did on a board (a hostile visitor who dissolved, renamed and
 * regrouped the room's work, or filled the board). A field is put back only while it still holds
 * what that person wrote: a later change by someone else stays.
 */
import { listGroups } from './groups.js';
import { type BoardModel, type PatchOp, PlainBoard } from './model.js';
import type { BoardMeta, Card, Group } from './schema.js';
import type { ServerBoard } from './server-board.js';

/**
 * One write and what it replaced: the fields it changed, the whole card or group it removed, or
 * nothing when it created one.
 */
export interface RecordedChange {
  op: PatchOp;
  before?: Card | Group;
  /** The removed card was a silent-collect draft: taken back, it is a draft again while silence lasts. */
  draft?: boolean;
}

/** A model that writes through to `inner` and keeps what each write replaced. */
export class RecordingModel implements BoardModel {
  readonly changes: RecordedChange[] = [];

  constructor(private readonly inner: BoardModel) {}

  meta(): BoardMeta {
    return this.inner.meta();
  }
  card(id: string): Card | undefined {
    return this.inner.card(id);
  }
  group(id: string): Group | undefined {
    return this.inner.group(id);
  }
  cards(): Card[] {
    return this.inner.cards();
  }
  cardCount(): number {
    return this.inner.cardCount();
  }
  cardCountBy(authorId: string): number {
    return this.inner.cardCountBy(authorId);
  }
  groupCount(): number {
    return this.inner.groupCount();
  }
  idUsed(id: string): boolean {
    return this.inner.idUsed(id);
  }
  isDraft(id: string): boolean {
    return this.inner.isDraft(id);
  }

  apply(patch: PatchOp[]): void {
    for (const op of patch) {
      const was = op.op.startsWith('card:') ? this.inner.card(targetId(op)) : this.inner.group(targetId(op));
      // A field change keeps only the fields it wrote (each is stored with the intent); a removal
      // keeps the whole card or group, to put it back.
      const before = was && (op.op === 'card:set' || op.op === 'group:set') ? pick(was, op.fields) : was;
      const draft = op.op === 'card:remove' && this.inner.isDraft(op.id);
      this.changes.push(before ? { op, before, ...(draft ? { draft } : {}) } : { op });
    }
    this.inner.apply(patch);
  }
}

/**
 * Takes back recorded changes, newest first, in one transaction. Returns how many writes it made.
 * A write is taken back only where the board still shows it.
 */
export function undoChanges(board: ServerBoard, changes: readonly RecordedChange[]): number {
  // Each inverse is computed against the board as the ones before it leave it: a plain copy takes
  // them as they come, and the board gets them all at once.
  const copy = new PlainBoard(board.cards(), listGroups(board.doc), board.meta());
  const drafts = new Set(board.secrets.drafts().map((card) => card.id));
  const silent = board.meta().silentCollect;
  const inverse: PatchOp[] = [];
  for (const change of [...changes].reverse()) {
    const undo = inverseOf(copy, change, silent);
    // A draft is grouped only once revealed: that step is skipped, not the whole undo.
    if (!undo || (undo.op === 'card:set' && undo.fields.groupId && drafts.has(undo.id))) continue;
    if (undo.op === 'card:put' && undo.draft) drafts.add(undo.card.id);
    copy.apply([undo]);
    inverse.push(undo);
  }
  board.apply(inverse);
  return inverse.length;
}

/** `silent`: silent collect is on, so a draft taken back is a draft again (never public). */
function inverseOf(
  board: PlainBoard,
  { op, before, draft }: RecordedChange,
  silent: boolean,
): PatchOp | undefined {
  switch (op.op) {
    case 'card:put':
      return board.card(op.card.id) ? { op: 'card:remove', id: op.card.id } : undefined;
    case 'group:put':
      return board.group(op.group.id) ? { op: 'group:remove', id: op.group.id } : undefined;
    case 'card:remove':
      if (board.card(op.id) || !before) return undefined;
      return draft && silent
        ? { op: 'card:put', card: before as Card, draft }
        : { op: 'card:put', card: before as Card };
    case 'group:remove':
      return !board.group(op.id) && before ? { op: 'group:put', group: before as Group } : undefined;
    case 'card:set': {
      const now = board.card(op.id);
      if (!now || !before) return undefined;
      const fields = unchangedSince(now, before, op.fields);
      return fields ? { op: 'card:set', id: op.id, fields } : undefined;
    }
    case 'group:set': {
      const now = board.group(op.id);
      if (!now || !before) return undefined;
      const fields = unchangedSince(now, before, op.fields);
      return fields ? { op: 'group:set', id: op.id, fields } : undefined;
    }
  }
}

/** The earlier values of the fields that still hold what `written` set; undefined if none does. */
function unchangedSince<T extends object, F extends object>(
  now: T,
  before: object,
  written: F,
): F | undefined {
  const restore: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(written)) {
    const current = (now as Record<string, unknown>)[field] ?? null;
    if (current === (value ?? null)) restore[field] = (before as Record<string, unknown>)[field] ?? null;
  }
  return Object.keys(restore).length > 0 ? (restore as F) : undefined;
}

function pick<T extends object>(value: T, fields: object): T {
  const kept: Record<string, unknown> = {};
  for (const field of Object.keys(fields)) kept[field] = (value as Record<string, unknown>)[field];
  return kept as T;
}

function targetId(op: PatchOp): string {
  switch (op.op) {
    case 'card:put':
      return op.card.id;
    case 'group:put':
      return op.group.id;
    default:
      return op.id;
  }
}
