/**
 * The words of the server's files (CSV, Markdown, SVG; PNG and the report's pictures are drawn
 * from the SVG) in each session language. Words the interface says too (phases, card kinds, an
 * untitled group, the moderator) come from @kaptar/board's vocabulary.
 */
import {
  ENTERED_FOR_THEM,
  isCardKind,
  isPhase,
  KIND_TITLES,
  type Language,
  MODERATOR_NAME,
  PHASE_TITLES,
} from '@kaptar/board';
import type { OutcomeTable } from '@kaptar/protocol';

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
  outcome: OutcomeLabels;
}

/** The words of the outcome's files (its Markdown and its three CSV tables). */
export interface OutcomeLabels {
  /** The heading of the file, and a word of its name. */
  initiatives: string;
  none: string;
  type: string;
  goal: string;
  proposedBy: string;
  contact: string;
  nextMeeting: string;
  members: string;
  tasks: string;
  changes: string;
  buildsOn: string;
  due: string;
  noOwner: string;
  enteredForThem: string;
  yes: string;
  no: string;
  /** A CSV table's columns, and the word naming its file. */
  tables: Record<OutcomeTable, { name: string; columns: readonly string[] }>;
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
    outcome: {
      initiatives: 'Kezdeményezések',
      none: 'Nem alakult kezdeményezés.',
      type: 'Típus',
      goal: 'Cél',
      proposedBy: 'Javasolta',
      contact: 'Kapcsolattartó',
      nextMeeting: 'Következő találkozó',
      members: 'Tagok',
      tasks: 'Feladatok',
      changes: 'Amin változtatni szeretne',
      buildsOn: 'Amire épít',
      due: 'határidő',
      noOwner: 'nincs felelőse',
      enteredForThem: ENTERED_FOR_THEM.hu,
      yes: 'igen',
      no: 'nem',
      tables: {
        initiatives: {
          name: 'kezdeményezések',
          columns: [
            'kezdeményezés',
            'típus',
            'cél',
            'javasolta',
            'kapcsolattartó',
            'találkozó napja',
            'találkozó ideje',
            'találkozó helye',
            'tagok',
            'feladatok',
            'amin változtatni szeretne',
            'amire épít',
            'létrehozva',
          ],
        },
        members: {
          name: 'tagok',
          columns: ['kezdeményezés', 'név', 'település', 'csatlakozott', ENTERED_FOR_THEM.hu],
        },
        tasks: {
          name: 'feladatok',
          columns: [
            'kezdeményezés',
            'feladat',
            'felelős',
            'település',
            'határidő',
            'kész',
            ENTERED_FOR_THEM.hu,
          ],
        },
      },
    },
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
    outcome: {
      initiatives: 'Initiatives',
      none: 'No initiative was founded.',
      type: 'Type',
      goal: 'Goal',
      proposedBy: 'Proposed by',
      contact: 'Contact person',
      nextMeeting: 'Next meeting',
      members: 'Members',
      tasks: 'Tasks',
      changes: 'What it wants to change',
      buildsOn: 'What it builds on',
      due: 'due',
      noOwner: 'nobody has taken it on',
      enteredForThem: ENTERED_FOR_THEM.en,
      yes: 'yes',
      no: 'no',
      tables: {
        initiatives: {
          name: 'initiatives',
          columns: [
            'initiative',
            'type',
            'goal',
            'proposed by',
            'contact person',
            'meeting date',
            'meeting time',
            'meeting place',
            'members',
            'tasks',
            'wants to change',
            'builds on',
            'created',
          ],
        },
        members: {
          name: 'members',
          columns: ['initiative', 'name', 'settlement', 'joined', ENTERED_FOR_THEM.en],
        },
        tasks: {
          name: 'tasks',
          columns: ['initiative', 'task', 'owner', 'settlement', 'due', 'done', ENTERED_FOR_THEM.en],
        },
      },
    },
  },
};
