/**
 * Export formats, in the words of `labels` (the session's language, or the export's `lang=`).
 * Card text is residents' own words: it is quoted for CSV (and kept from being read as a
 * spreadsheet formula) and escaped for Markdown. Code points the text rule refuses (controls,
 * text-direction overrides; only in texts stored before the rule) are left out of both.
 */
import { CARD_KINDS, ENTERED_FOR_THEM, withoutRefusedCharacters } from '@kaptar/board';
import type { BoardExport, ExportedCard } from '@kaptar/protocol';
import type { ExportLabels } from './labels.js';

export function toCsv(board: BoardExport, labels: ExportLabels): string {
  const rows = board.cards.map((card) => [
    labels.kind(card.kind),
    card.text,
    card.group,
    String(card.votes),
    card.site,
    card.author,
    new Date(card.createdAt).toISOString(),
    card.area,
    card.enteredBy,
  ]);
  return csvFile([labels.csvColumns, ...rows], labels.csvSeparator);
}

/** A CSV file of the rows (the first is the header): every file the server writes is made here. */
export function csvFile(
  rows: ReadonlyArray<readonly string[]>,
  separator: ExportLabels['csvSeparator'],
): string {
  // A BOM makes spreadsheet programs read the Hungarian accents as UTF-8.
  const cell = (raw: string) => csvCell(raw, separator);
  const lines = rows.map((row) => row.map(cell).join(separator));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** One CSV field (RFC 4180): quoted when it holds the separator, a quote or a line break. */
function csvCell(raw: string, separator: ExportLabels['csvSeparator']): string {
  const value = withoutRefusedCharacters(raw);
  // Cells starting like a formula would run in a spreadsheet: make them plain text.
  const safe = /^[=+\-@\t\r\n]/.test(value) ? `'${value}` : value;
  const needsQuotes = safe.includes(separator) || /["\r\n]/.test(safe);
  return needsQuotes ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toMarkdown(board: BoardExport, labels: ExportLabels): string {
  const lines = [`# ${escapeMarkdown(board.sessionTitle)}`, ''];
  if (board.snapshot) {
    lines.push(
      `${labels.snapshot}: ${escapeMarkdown(board.snapshot.name)} (${new Date(board.snapshot.createdAt).toISOString()})`,
      '',
    );
  }
  lines.push(`${labels.phase}: ${escapeMarkdown(labels.phaseTitle(board.phase))}`, '');
  const byVotes = (cards: ExportedCard[]) => [...cards].sort((a, b) => b.votes - a.votes);
  const cardLine = (card: ExportedCard) => {
    const votes = card.votes > 0 ? ` (${labels.votes(card.votes)})` : '';
    const who = [card.author, card.site].filter(Boolean).map(escapeMarkdown).join(', ');
    // Typed by the moderator for a resident without a phone: said, as on the card.
    const entered = card.enteredBy ? ` · ${escapeMarkdown(ENTERED_FOR_THEM[labels.lang])}` : '';
    return `- ${escapeMarkdown(labels.kind(card.kind))}: ${escapeMarkdown(card.text)}${votes}${who ? ` — ${who}` : ''}${entered}`;
  };
  for (const group of board.groups) {
    const cards = board.cards.filter((card) => card.groupId === group.id);
    if (cards.length === 0) continue;
    lines.push(`## ${escapeMarkdown(group.title)}`, '', ...byVotes(cards).map(cardLine), '');
  }
  // Loose cards under their areas, in the template's order (by kind on a board without areas).
  const loose = board.cards.filter((card) => card.groupId === '');
  const sections =
    board.areas.length > 0
      ? board.areas.map((area) => ({
          title: area.title,
          cards: loose.filter((card) => card.area === area.title),
        }))
      : CARD_KINDS.map((kind) => ({
          title: labels.kinds(kind),
          cards: loose.filter((card) => card.kind === kind),
        }));
  for (const { title, cards } of sections) {
    if (cards.length === 0) continue;
    lines.push(`## ${escapeMarkdown(title)}`, '', ...byVotes(cards).map(cardLine), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** One line of plain text: white space as one space, every character Markdown (or HTML) acts on escaped. */
export function escapeMarkdown(text: string): string {
  return withoutRefusedCharacters(text)
    .replace(/\s+/g, ' ')
    .replace(/([\\`*_{}[\]()#+\-.!|<>~&])/g, '\\$1');
}
