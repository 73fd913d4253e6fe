/**
 * The session's outcome as files, in the words of `labels` (the session's language): one Markdown
 * document of every initiative, and its three tables (initiatives, members, tasks) as CSV, quoted
 * and escaped as every export is (formats.ts).
 */
import { dayInWords, meetingInWords, membersBySite } from '@kaptar/board';
import type { InitiativeOutcome as Outcome, OutcomeTable } from '@kaptar/protocol';
import { csvFile, escapeMarkdown } from './formats.js';
import type { ExportLabels } from './labels.js';

type Person = { name: string; site: string } | null;
type LinkedCard = Outcome['changes'][number];

/** "Kovács Anna (Alsóváros)"; a person of no settlement (the moderator) by name alone. */
const personWords = (person: Person) =>
  person ? (person.site ? `${person.name} (${person.site})` : person.name) : '';

const cardWords = (card: LinkedCard, labels: ExportLabels) =>
  `${labels.kind(card.kind)}: ${card.text}${card.votes > 0 ? ` (${labels.votes(card.votes)})` : ''}`;

export function outcomeMarkdown(sessionTitle: string, initiatives: Outcome[], labels: ExportLabels): string {
  const words = labels.outcome;
  const md = escapeMarkdown;
  const lines = [`# ${md(sessionTitle)}: ${md(words.initiatives)}`, ''];
  if (initiatives.length === 0) lines.push(md(words.none), '');
  for (const initiative of initiatives) {
    lines.push(`## ${md(initiative.name)}`, '');
    const facts: Array<[string, string]> = [
      [words.type, initiative.typeTitle],
      [words.goal, initiative.goal],
      [words.proposedBy, personWords(initiative.proposedBy)],
      [words.contact, personWords(initiative.contact)],
      [words.nextMeeting, initiative.nextMeeting ? meetingInWords(initiative.nextMeeting, labels.lang) : ''],
    ];
    for (const [label, value] of facts) if (value) lines.push(`- ${md(label)}: ${md(value)}`);
    if (initiative.members.length > 0)
      lines.push('', `### ${md(words.members)} (${initiative.members.length})`, '');
    for (const { site, members } of membersBySite(initiative)) {
      const names = members.map((m) => (m.enteredForThem ? `${m.name} (${words.enteredForThem})` : m.name));
      lines.push(`- ${site ? `${md(site)}: ` : ''}${names.map(md).join('; ')}`);
    }
    if (initiative.tasks.length > 0) {
      lines.push('', `### ${md(words.tasks)}`, '');
      for (const task of initiative.tasks) {
        const owner = task.owner
          ? `${personWords(task.owner)}${task.ownerEnteredForThem ? `, ${words.enteredForThem}` : ''}`
          : words.noOwner;
        const due = task.due ? `, ${words.due}: ${dayInWords(task.due, labels.lang)}` : '';
        lines.push(`- [${task.done ? 'x' : ' '}] ${md(task.text)} — ${md(owner + due)}`);
      }
    }
    for (const [title, cards] of [
      [words.changes, initiative.changes],
      [words.buildsOn, initiative.buildsOn],
    ] as const) {
      if (cards.length === 0) continue;
      lines.push('', `### ${md(title)}`, '');
      for (const card of cards) lines.push(`- ${md(cardWords(card, labels))} — ${md(card.boardTitle)}`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export function outcomeCsv(initiatives: Outcome[], table: OutcomeTable, labels: ExportLabels): string {
  const words = labels.outcome;
  const yes = (value: boolean) => (value ? words.yes : '');
  const time = (ms: number) => new Date(ms).toISOString();
  const cardList = (cards: LinkedCard[]) => cards.map((card) => cardWords(card, labels)).join('\n');
  const rows = {
    initiatives: () =>
      initiatives.map((i) => [
        i.name,
        i.typeTitle,
        i.goal,
        personWords(i.proposedBy),
        personWords(i.contact),
        i.nextMeeting?.date ?? '',
        i.nextMeeting?.time ?? '',
        i.nextMeeting?.place ?? '',
        String(i.members.length),
        String(i.tasks.length),
        cardList(i.changes),
        cardList(i.buildsOn),
        time(i.createdAt),
      ]),
    members: () =>
      initiatives.flatMap((i) =>
        i.members.map((m) => [i.name, m.name, m.site, time(m.joinedAt), yes(m.enteredForThem)]),
      ),
    tasks: () =>
      initiatives.flatMap((i) =>
        i.tasks.map((task) => [
          i.name,
          task.text,
          task.owner?.name ?? '',
          task.owner?.site ?? '',
          task.due ?? '',
          task.done ? words.yes : words.no,
          yes(task.ownerEnteredForThem),
        ]),
      ),
  }[table]();
  return csvFile([words.tables[table].columns, ...rows], labels.csvSeparator);
}
