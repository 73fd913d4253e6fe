/**
 * The languages a workshop runs in, and the words both the interface and the server's files
 * (exports, pictures, snapshot names, the report) say: written once here, so a phase has the same
 * name on the phase bar as in the snapshot saved when it ended, and a card kind the same on a
 * phone as in the CSV.
 */
import type { CardKind, Phase } from './schema.js';
import type { Localized } from './templates.js';

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
