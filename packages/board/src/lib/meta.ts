/**
 * Board settings (phase, votes, lock, timer). Stored in a protected root:
 * clients read them; only the server's control plane writes them.
 */
import * as Y from 'yjs';
import { BoardError } from './errors.js';
import { type BoardMeta, DEFAULT_META, isPhase, MAX_VOTE_BUDGET, metaRoot, type Timer } from './schema.js';
import { findTemplate } from './templates.js';

export function readMeta(doc: Y.Doc): BoardMeta {
  const root = metaRoot(doc);
  const phase = root.get('phase');
  const budget = root.get('voteBudget');
  const flag = (
    key: 'votesHidden' | 'locked' | 'silentCollect' | 'cardsDuringVote' | 'groupingLocked' | 'anonymous',
  ) => {
    const value = root.get(key);
    return typeof value === 'boolean' ? value : DEFAULT_META[key];
  };
  return {
    phase: isPhase(phase) ? phase : DEFAULT_META.phase,
    voteBudget: isValidBudget(budget) ? budget : DEFAULT_META.voteBudget,
    votesHidden: flag('votesHidden'),
    locked: flag('locked'),
    silentCollect: flag('silentCollect'),
    cardsDuringVote: flag('cardsDuringVote'),
    groupingLocked: flag('groupingLocked'),
    anonymous: flag('anonymous'),
    timer: readTimer(root.get('timer')),
    template: readTemplateId(root.get('template')),
  };
}

/** Server only: validates and writes a change of settings in one transaction. */
export function updateMeta(doc: Y.Doc, patch: Partial<BoardMeta>): BoardMeta {
  const next = { ...readMeta(doc), ...patch };
  if (!isPhase(next.phase)) throw new BoardError('invalid-setting', `Unknown phase ${String(next.phase)}`);
  if (!isValidBudget(next.voteBudget)) {
    throw new BoardError(
      'invalid-setting',
      `Vote budget must be a whole number from 0 to ${MAX_VOTE_BUDGET}`,
    );
  }
  if (next.timer && readTimer(next.timer) === null) throw new BoardError('invalid-setting', 'Invalid timer');
  if (!findTemplate(next.template))
    throw new BoardError('invalid-setting', `Unknown template ${next.template}`);
  const root = metaRoot(doc);
  doc.transact(() => {
    for (const [key, value] of Object.entries(patch) as [keyof BoardMeta, BoardMeta[keyof BoardMeta]][]) {
      root.set(key, value);
    }
  });
  return next;
}

export function observeMeta(doc: Y.Doc, onChange: (meta: BoardMeta) => void): () => void {
  const root = metaRoot(doc);
  const handler = () => onChange(readMeta(doc));
  root.observe(handler);
  return () => root.unobserve(handler);
}

function isValidBudget(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_VOTE_BUDGET;
}

function readTimer(value: unknown): Timer | null {
  if (typeof value !== 'object' || value === null) return null;
  const { startedAt, durationMs, pausedAt } = value as Partial<Timer>;
  const valid =
    typeof startedAt === 'number' &&
    Number.isFinite(startedAt) &&
    typeof durationMs === 'number' &&
    durationMs > 0;
  if (!valid) return null;
  const paused = typeof pausedAt === 'number' && Number.isFinite(pausedAt);
  return paused ? { startedAt, durationMs, pausedAt } : { startedAt, durationMs };
}

function readTemplateId(value: unknown): string {
  return typeof value === 'string' && findTemplate(value) ? value : DEFAULT_META.template;
}

/** The first state of a new board made from a template (server only: meta is protected). */
export function newBoardState(templateId: string): Uint8Array {
  const doc = new Y.Doc();
  updateMeta(doc, { template: templateId });
  return Y.encodeStateAsUpdate(doc);
}
