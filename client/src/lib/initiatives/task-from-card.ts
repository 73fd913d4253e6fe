/**
 * A card's words as a task's, so what the room wrote is not typed again: a card may have several
 * lines, a task has one (its lines are joined with a space), and a task holds at most
 * MAX_TASK_TEXT characters: a longer text is cut there, ends in '…' so everyone reading the task
 * sees it goes on, and `cut` says so to the person sending it.
 */
import { MAX_TASK_TEXT } from '@kaptar/board';

/** `cardText` as the board holds it: the card text rule (text.ts) has already been applied. */
export function taskTextFromCard(cardText: string): { text: string; cut: boolean } {
  const line = cardText
    .split('\n')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(' ');
  const chars = [...line];
  if (chars.length <= MAX_TASK_TEXT) return { text: line, cut: false };
  const kept = chars
    .slice(0, MAX_TASK_TEXT - 1)
    .join('')
    .trimEnd();
  return { text: `${kept}…`, cut: true };
}
