/**
 * A board as an SVG picture, laid out as the canvas shows it: the template's
 * areas, groups with their cards stacked inside, loose cards where they lie.
 * Every text is XML-escaped: card text is residents' words, never markup; and whatever a text
 * holds (one stored before the text rule, say), the picture stays valid XML 1.0.
 */
import { type BoardContents, CARD_SIZE, findTemplate, withoutRefusedCharacters } from '@kaptar/board';
import type { ExportLabels } from './labels.js';

/** The words a picture says (the session's language, or the export's `lang=`). */
export type PictureLabels = Pick<ExportLabels, 'lang' | 'kind' | 'votes' | 'untitledGroup'>;

const FONT = 14;
const LINE = 18;
const CHARS_PER_LINE = 24;
const PADDING = 10;
const GROUP_PADDING = 12;
/**
 * Lines of card text that fit the card's slot (CARD_SIZE) beside the kind, author and votes lines:
 * longer texts are cut with an ellipsis, as on the canvas, so cards do not cover each other. The
 * whole texts are in the CSV, Markdown and JSON exports and the report.
 */
const MAX_TEXT_LINES = Math.floor((CARD_SIZE.height - PADDING * 2 - LINE * 3 - 6) / LINE);
const GROUP_HEADER = 36;
const KIND_STYLE: Record<string, { fill: string; edge: string }> = {
  problem: { fill: '#fde4de', edge: '#b3261e' },
  resource: { fill: '#dff3e5', edge: '#1e6b35' },
};

type Card = BoardContents['cards'][number];

export function toSvg(contents: BoardContents, names: Map<string, string>, labels: PictureLabels): string {
  const parts: string[] = [];
  let right = 800;
  let bottom = 600;
  const extend = (x: number, y: number) => {
    right = Math.max(right, x + 40);
    bottom = Math.max(bottom, y + 40);
  };

  for (const area of findTemplate(contents.meta.template)?.areas ?? []) {
    extend(area.x + area.width, area.y + area.height);
    parts.push(
      `<rect x="${area.x}" y="${area.y}" width="${area.width}" height="${area.height}" rx="16" fill="#ffffff" fill-opacity="0.5" stroke="#8a8270" stroke-dasharray="8 6" stroke-width="2"/>`,
      text(area.x + 14, area.y + 28, area.title[labels.lang], { size: 18, weight: 700 }),
    );
  }

  const card = (item: Card, x: number, y: number): number => {
    const style = KIND_STYLE[item.kind] ?? (KIND_STYLE.problem as (typeof KIND_STYLE)[string]);
    const lines = clamp(wrap(item.text), MAX_TEXT_LINES);
    const meta = [names.get(item.authorId) ?? '', item.site].filter(Boolean).join(' · ');
    const height = PADDING * 2 + LINE + lines.length * LINE + LINE + (item.votes > 0 ? LINE + 6 : 0);
    parts.push(
      `<rect x="${x}" y="${y}" width="${CARD_SIZE.width}" height="${height}" rx="10" fill="${style.fill}" stroke="${style.edge}" stroke-width="2"/>`,
      `<rect x="${x}" y="${y}" width="6" height="${height}" rx="3" fill="${style.edge}"/>`,
      text(x + 14, y + PADDING + 12, labels.kind(item.kind).toLocaleUpperCase(labels.lang), {
        size: 11,
        weight: 700,
        fill: style.edge,
      }),
      ...lines.map((line, i) => text(x + 14, y + PADDING + LINE * (i + 2), line, {})),
      text(x + 14, y + PADDING + LINE * (lines.length + 2), meta, { size: 12, fill: '#4a463d' }),
    );
    if (item.votes > 0) {
      parts.push(
        text(x + 14, y + PADDING + LINE * (lines.length + 3) + 4, labels.votes(item.votes), {
          size: 13,
          weight: 700,
        }),
      );
    }
    extend(x + CARD_SIZE.width, y + height);
    return height;
  };

  for (const group of contents.groups) {
    const members = contents.cards.filter((c) => c.groupId === group.id);
    const start = parts.length;
    let y = group.y + GROUP_HEADER;
    for (const member of members) y += card(member, group.x + GROUP_PADDING, y) + 8;
    const frame = [
      `<rect x="${group.x}" y="${group.y}" width="${CARD_SIZE.width + GROUP_PADDING * 2}" height="${y - group.y + 4}" rx="14" fill="#fff4cc" stroke="#7a6a3a" stroke-width="3"/>`,
      text(group.x + GROUP_PADDING, group.y + 24, group.title || labels.untitledGroup, {
        size: 15,
        weight: 700,
      }),
    ];
    // The frame goes under its cards.
    parts.splice(start, 0, ...frame);
  }
  for (const item of contents.cards.filter((c) => c.groupId === null)) card(item, item.x, item.y + 8);

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${right}" height="${bottom}" viewBox="0 0 ${right} ${bottom}" font-family="DejaVu Sans, Verdana, sans-serif">`,
    `<rect width="${right}" height="${bottom}" fill="#f7f3e8"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function text(
  x: number,
  y: number,
  content: string,
  { size = FONT, weight = 400, fill = '#1d1b16' }: { size?: number; weight?: number; fill?: string },
): string {
  return `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}" fill="${fill}">${escapeXml(content)}</text>`;
}

/** Word wrap by character count: close enough for a report picture at this width. */
function wrap(content: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of content.split(/\s+/).filter(Boolean)) {
    for (const piece of word.match(new RegExp(`.{1,${CHARS_PER_LINE}}`, 'gu')) ?? []) {
      if (line && [...line].length + 1 + [...piece].length > CHARS_PER_LINE) {
        lines.push(line);
        line = piece;
      } else {
        line = line ? `${line} ${piece}` : piece;
      }
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

function clamp(lines: string[], max: number): string[] {
  if (lines.length <= max) return lines;
  const last = [...(lines[max - 1] ?? '')].slice(0, CHARS_PER_LINE - 1).join('');
  return [...lines.slice(0, max - 1), `${last}…`];
}

/**
 * Text for XML 1.0 content or an attribute: the markup characters as references, and every code
 * point the text rule refuses left out (C0 controls, lone surrogates and U+FFFE/U+FFFF are not
 * XML 1.0 characters at all; one NUL made the whole picture unreadable). Tabs and line breaks are
 * XML characters (and `wrap` has already split on them).
 */
export function escapeXml(value: string): string {
  return withoutRefusedCharacters(value).replace(/[<>&"']/g, (char) => `&#${char.codePointAt(0)};`);
}
