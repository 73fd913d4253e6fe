import { checkText, MAX_TASK_TEXT } from '@kaptar/board';
import { describe, expect, it } from 'vitest';
import { taskTextFromCard } from './task-from-card.js';

describe('a card’s text as a task’s', () => {
  it('keeps a text that fits as it is', () => {
    const text = 'á'.repeat(MAX_TASK_TEXT);
    expect(taskTextFromCard(text)).toEqual({ text, cut: false });
  });

  it('joins a card’s lines into the one line a task has', () => {
    const { text, cut } = taskTextFromCard('Kisbusz szervezése\n\n  Kovács Mari szervezi\npéntekig');
    expect(text).toBe('Kisbusz szervezése Kovács Mari szervezi péntekig');
    expect(cut).toBe(false);
    expect(checkText(text, 'line')).toEqual({ ok: true, text });
  });

  it('cuts a longer text to the limit, counted in characters, and says so with an ellipsis', () => {
    // Emoji are two UTF-16 units each: the limit counts characters, as the rules do.
    const { text, cut } = taskTextFromCard('🚌'.repeat(MAX_TASK_TEXT + 80));
    expect(cut).toBe(true);
    expect([...text]).toHaveLength(MAX_TASK_TEXT);
    expect(text.endsWith('🚌…')).toBe(true);
  });

  it('does not end a cut text with a space before the ellipsis', () => {
    const words = 'ab '.repeat(MAX_TASK_TEXT);
    const { text } = taskTextFromCard(words);
    expect(text).not.toMatch(/\s…$/);
    expect([...text].length).toBeLessThanOrEqual(MAX_TASK_TEXT);
  });
});
