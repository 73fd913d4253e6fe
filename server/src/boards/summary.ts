/** A board as the session's board list shows it (HTTP replies and the `boards` event alike). */
import type { BoardSummary } from '@kaptar/protocol';
import type { BoardRecord } from '../storage/store.js';

export const boardSummary = ({ id, title, archived, epoch }: BoardRecord): BoardSummary => ({
  id,
  title,
  archived,
  epoch,
});
