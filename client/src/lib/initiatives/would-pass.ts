/**
 * Whether the rules of @kaptar/board's initiative-rules.ts would let an actor make a change: the views
 * show a button only where its press would pass. Judged by the rules themselves on a scratch copy
 * of the initiatives concerned (the replica is the server's to write), so no rule is restated here.
 */
import {
  applyInitiativeChange,
  BoardError,
  INITIATIVES_ROOT,
  type Initiative,
  type InitiativeActor,
  type InitiativeChange,
} from '@kaptar/board';
import * as Y from 'yjs';

export function wouldPass(
  initiatives: readonly Initiative[],
  actor: InitiativeActor,
  change: InitiativeChange,
): boolean {
  const scratch = new Y.Doc();
  const root = scratch.getMap<unknown>(INITIATIVES_ROOT);
  for (const initiative of initiatives) root.set(initiative.id, initiative);
  try {
    applyInitiativeChange(scratch, actor, change, Date.now());
    return true;
  } catch (error) {
    if (error instanceof BoardError) return false;
    throw error;
  } finally {
    scratch.destroy();
  }
}
