/**
 * Export formats. Card text is residents' own words: it is quoted for CSV
 * (and kept from being read as a spreadsheet formula) and escaped for Markdown. Code points the
 * text rule refuses (controls, text-direction overrides; only in texts stored before the rule) are
 * left out of both.
 */
import { withoutRefusedCharacters } from '@kaptar/board';
import type { BoardExport, ExportedCard } from '@kaptar/protocol';

const CSV_COLUMNS = ['kind', 'text', 'group', 'votes', 'settlement', 'author', 'time'] as const;

export function toCsv(board: BoardExport): string {
  const rows = board.cards.map((card) => [
    card.kind,
    card.text,
    card.group,
    String(card.votes),
    card.site,
    card.author,
    new Date(card.createdAt).toISOString(),
  ]);
  // A BOM makes spreadsheet programs read the Hungarian accents as UTF-8.
  return `\uFEFF${[CSV_COLUMNS, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function csvCell(raw: string): string {
  const value = withoutRefusedCharacters(raw);
  // Cells starting like a formula would run in a spreadsheet: make them plain text.
  const safe = /^[=+\-@\t\r\n]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const KIND_TITLES: Record<string, string> = { problem: 'Problems', resource: 'Resources' };

export function toMarkdown(board: BoardExport): string {
  const lines = [`# ${escapeMarkdown(board.sessionTitle)}`, ''];
  if (board.snapshot) {
    lines.push(
      `Snapshot: ${escapeMarkdown(board.snapshot.name)} (${new Date(board.snapshot.createdAt).toISOString()})`,
      '',
    );
  }
  lines.push(`Phase: ${board.phase}`, '');
  const byVotes = (cards: ExportedCard[]) => [...cards].sort((a, b) => b.votes - a.votes);
  for (const group of board.groups) {
    const cards = board.cards.filter((card) => card.groupId === group.id);
    if (cards.length === 0) continue;
    lines.push(
      `## ${escapeMarkdown(group.title || 'Untitled group')}`,
      '',
      ...byVotes(cards).map(cardLine),
      '',
    );
  }
  for (const kind of ['problem', 'resource']) {
    const cards = board.cards.filter((card) => card.kind === kind && card.groupId === '');
    if (cards.length === 0) continue;
    lines.push(`## ${KIND_TITLES[kind]}`, '', ...byVotes(cards).map(cardLine), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function cardLine(card: ExportedCard): string {
  const votes = card.votes > 0 ? ` (${card.votes} ${card.votes === 1 ? 'vote' : 'votes'})` : '';
  const who = [card.author, card.site].filter(Boolean).map(escapeMarkdown).join(', ');
  return `- ${KIND_TITLES[card.kind]?.slice(0, -1) ?? card.kind}: ${escapeMarkdown(card.text)}${votes}${who ? ` — ${who}` : ''}`;
}

/** One line of plain text: white space as one space, every character Markdown (or HTML) acts on escaped. */
function escapeMarkdown(text: string): string {
  return withoutRefusedCharacters(text)
    .replace(/\s+/g, ' ')
    .replace(/([\\`*_{}[\]()#+\-.!|<>~&])/g, '\\$1');
}
