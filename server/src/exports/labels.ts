/**
 * The words of the server's files (CSV, Markdown, SVG; PNG and the report's pictures are drawn
 * from the SVG) in each session language. Words the interface says too (phases, card kinds, an
 * untitled group, the moderator) come from @kaptar/board's vocabulary.
 */
import { isCardKind, isPhase, KIND_TITLES, type Language, MODERATOR_NAME, PHASE_TITLES } from '@kaptar/board';

export interface ExportLabels {
  lang: Language;
  /**
   * Hungarian spreadsheet programs read `;` as the column separator (the comma is the decimal
   * sign there): a comma-separated file opens as one column.
   */
  csvSeparator: ';' | ',';
  csvColumns: readonly [string, string, string, string, string, string, string, string, string];
  snapshot: string;
  phase: string;
  /** Names the file of a whole session (its archive). */
  archive: string;
  moderator: string;
  /** A card kind, as on a card; a kind this version does not know stays as stored. */
  kind(kind: string): string;
  /** The cards of one kind, as a heading. */
  kinds(kind: string): string;
  phaseTitle(phase: string): string;
  votes(count: number): string;
}

const kindWord = (form: 'one' | 'many', lang: Language) => (kind: string) =>
  isCardKind(kind) ? KIND_TITLES[kind][form][lang] : kind;

const phaseWord = (lang: Language) => (phase: string) => (isPhase(phase) ? PHASE_TITLES[phase][lang] : phase);

export const EXPORT_LABELS: Record<Language, ExportLabels> = {
  hu: {
    lang: 'hu',
    csvSeparator: ';',
    csvColumns: [
      'típus',
      'szöveg',
      'csoport',
      'szavazat',
      'település',
      'szerző',
      'idő',
      'terület',
      'rögzítette',
    ],
    snapshot: 'Pillanatkép',
    phase: 'Szakasz',
    archive: 'archívum',
    moderator: MODERATOR_NAME.hu,
    kind: kindWord('one', 'hu'),
    kinds: kindWord('many', 'hu'),
    phaseTitle: phaseWord('hu'),
    // Hungarian counts take the singular noun: "3 szavazat".
    votes: (count) => `${count} szavazat`,
  },
  en: {
    lang: 'en',
    csvSeparator: ',',
    csvColumns: ['kind', 'text', 'group', 'votes', 'settlement', 'author', 'time', 'area', 'entered by'],
    snapshot: 'Snapshot',
    phase: 'Phase',
    archive: 'archive',
    moderator: MODERATOR_NAME.en,
    kind: kindWord('one', 'en'),
    kinds: kindWord('many', 'en'),
    phaseTitle: phaseWord('en'),
    votes: (count) => `${count} ${count === 1 ? 'vote' : 'votes'}`,
  },
};
