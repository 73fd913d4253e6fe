/**
 * The languages a workshop runs in, and the words both the interface and the server's files
 * (exports, pictures, snapshot names, the report) say: written once here, so a phase has the same
 * name on the phase bar as in the snapshot saved when it ended, and a card kind the same on a
 * phone as in the CSV.
 */
import { INITIATIVE_TYPES_TEMPLATE, type Meeting } from './initiatives.js';
import type { CardKind, Phase } from './schema.js';
import { findTemplate, type Localized } from './templates.js';

export const LANGUAGES = ['hu', 'en'] as const satisfies ReadonlyArray<keyof Localized>;
export type Language = (typeof LANGUAGES)[number];

/** A session stored or archived before sessions had a language speaks Hungarian, as they all did. */
export const DEFAULT_LANGUAGE: Language = 'hu';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export const PHASE_TITLES: Record<Phase, Localized> = {
  collect: { hu: 'Gyűjtés', en: 'Collect' },
  group: { hu: 'Csoportosítás', en: 'Group' },
  vote: { hu: 'Szavazás', en: 'Vote' },
  discuss: { hu: 'Megbeszélés', en: 'Discuss' },
};

export const KIND_TITLES: Record<CardKind, { one: Localized; many: Localized }> = {
  problem: { one: { hu: 'Probléma', en: 'Problem' }, many: { hu: 'Problémák', en: 'Problems' } },
  resource: { one: { hu: 'Erőforrás', en: 'Resource' }, many: { hu: 'Erőforrások', en: 'Resources' } },
  note: { one: { hu: 'Ötlet', en: 'Idea' }, many: { hu: 'Ötletek', en: 'Ideas' } },
};

/** What a group without a name is called wherever it is shown. */
export const UNTITLED_GROUP: Localized = { hu: 'Névtelen csoport', en: 'Untitled group' };

/** The name shown for the moderator's cards (a moderator joins without a name). */
export const MODERATOR_NAME: Localized = { hu: 'Moderátor', en: 'Moderator' };

/** The automatic snapshot saved when a board moves from one phase to another. */
export function phaseSnapshotName(from: Phase, to: Phase, lang: Language): string {
  return `${PHASE_TITLES[from][lang]} → ${PHASE_TITLES[to][lang]}`;
}

/** The automatic snapshot of a board saved just before another snapshot replaces it. */
export function restoreBackupName(restored: string, lang: Language): string {
  return lang === 'hu' ? `Visszaállítás előtt: „${restored}”` : `Before restoring "${restored}"`;
}

/** An initiative of none of the four types of self-help groups (the types' own titles are the four-types template's areas). */
export const OTHER_INITIATIVE_TYPE: Localized = { hu: 'Egyéb', en: 'Other' };

/** The title of an initiative's type, as every view and file names it. */
export function initiativeTypeTitle(type: string, lang: Language): string {
  const area = findTemplate(INITIATIVE_TYPES_TEMPLATE)?.areas.find((each) => each.id === type);
  return area ? area.title[lang] : OTHER_INITIATIVE_TYPE[lang];
}

/** Beside a join or a task's owner the moderator entered for a resident without a phone. */
export const ENTERED_FOR_THEM: Localized = { hu: 'a moderátor rögzítette', en: 'entered by the moderator' };

/**
 * A calendar day (YYYY-MM-DD) in words: "2026. december 9., szerda", "Wednesday, December 9, 2026".
 * Read as a day, not a moment: the same words on every clock. A string that is no day stays as it is.
 */
export function dayInWords(day: string, lang: Language, withWeekday = false): string {
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!parts) return day;
  const at = Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]));
  return new Intl.DateTimeFormat(lang, {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    ...(withWeekday ? { weekday: 'long' } : {}),
  }).format(at);
}

/** A meeting in words, as a member reads it on a page or a print: "2026. december 9., szerda 17:00, Kultúrház". */
export function meetingInWords(meeting: Meeting, lang: Language): string {
  const when = [dayInWords(meeting.date, lang, true), meeting.time].filter(Boolean).join(' ');
  return [when, meeting.place].filter(Boolean).join(', ');
}

/** What a board left without a title is called: its word and its place among the session's boards ("Tábla 1"). */
export const UNTITLED_BOARD: Localized = { hu: 'Tábla', en: 'Board' };

export function boardLabel(title: string, index: number, lang: Language): string {
  return title || `${UNTITLED_BOARD[lang]} ${index + 1}`;
}
