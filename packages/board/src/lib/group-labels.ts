/**
 * What a group is called wherever it is shown (phone list, group menu, canvas, exports): its
 * title, or, for a group nobody named, the untitled word with a number, so that two groups never
 * look the same on a screen where people say "put it in that one".
 */
import type { Group } from './schema.js';
import { type Language, UNTITLED_GROUP } from './vocabulary.js';

/**
 * Oldest first by the server's clock, ties (groups from before it was kept) by id in code-unit
 * order: the same on every device, whatever its locale (localeCompare is not).
 */
export function byCreation(
  a: { createdAt: number; id: string },
  b: { createdAt: number; id: string },
): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Group id -> the label to show. The rule:
 * - a titled group shows its title; a later group with the same title (ignoring case and
 *   surrounding spaces) shows it with the first free number from 2 ("Víz 2");
 * - an untitled group shows UNTITLED_GROUP with its place among all the board's groups in the order
 *   they were made ("Névtelen csoport 3" is the third group made): naming another group does not
 *   renumber it; if that label is someone's title, the next free number.
 * Every label differs from every other, ignoring case.
 */
export function groupLabels(groups: readonly Group[], lang: Language): Map<string, string> {
  const untitled = UNTITLED_GROUP[lang];
  const key = (label: string) => label.trim().toLocaleLowerCase();
  const ordered = [...groups].sort(byCreation);
  // Every title is reserved before any number is given, so a number never borrows a real title.
  const taken = new Set(ordered.filter((group) => group.title !== '').map((group) => key(group.title)));
  const shown = new Set<string>();
  const numbered = (base: string, from: number): string => {
    for (let n = from; ; n++) {
      const label = `${base} ${n}`;
      if (!taken.has(key(label))) {
        taken.add(key(label));
        return label;
      }
    }
  };
  const labels = new Map<string, string>();
  ordered.forEach((group, index) => {
    if (group.title === '') labels.set(group.id, numbered(untitled, index + 1));
    else if (shown.has(key(group.title))) labels.set(group.id, numbered(group.title, 2));
    else {
      shown.add(key(group.title));
      labels.set(group.id, group.title);
    }
  });
  return labels;
}

/** Words of a card offered as the name of a group started from it: a start to edit, not a title. */
const SUGGESTED_WORDS = 4;
const SUGGESTED_LENGTH = 40;

/** The first few words of `cardText` on one line, cut at a word, without trailing punctuation. */
export function suggestGroupTitle(cardText: string): string {
  const words = cardText.split(/\s+/).filter((word) => word !== '');
  let title = '';
  for (const word of words.slice(0, SUGGESTED_WORDS)) {
    const longer = title === '' ? word : `${title} ${word}`;
    if ([...longer].length > SUGGESTED_LENGTH) break;
    title = longer;
  }
  // A first word longer than the limit is still a start: cut it rather than offer nothing.
  if (title === '' && words[0]) title = [...words[0]].slice(0, SUGGESTED_LENGTH).join('');
  return title.replace(/[\p{P}\s]+$/u, '');
}
