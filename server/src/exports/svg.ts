/**
 * A board as an SVG picture, laid out as the canvas and the projector show it (layoutBoard of
 * @kaptar/board, in the picture's sizes): the template's areas, groups with their cards inside,
 * loose cards in their areas, none covering another.
 * Every text is XML-escaped: card text is residents' words, never markup; and whatever a text
 * holds (one stored before the text rule, say), the picture stays valid XML 1.0.
 */
import {
  type BoardContents,
  type CardBox,
  findTemplate,
  groupLabels,
  layoutBoard,
  PICTURE_STYLE,
  withoutRefusedCharacters,
} from '@kaptar/board';
import type { ExportLabels } from './labels.js';

/** The words a picture says (the session's language, or the export's `lang=`). */
export type PictureLabels = Pick<ExportLabels, 'lang' | 'kind' | 'votes'>;

const { card: CARD, group: GROUP, area: AREA } = PICTURE_STYLE;
/** Padding above a card's first line (the kind and votes) and below its last (author, settlement). */
const CARD_PADDING = (CARD.chrome - 2 * CARD.text.lineHeight) / 2;
const KIND_STYLE: Record<string, { fill: string; edge: string }> = {
  problem: { fill: '#fde4de', edge: '#b3261e' },
  resource: { fill: '#dff3e5', edge: '#1e6b35' },
  note: { fill: '#fff8e0', edge: '#8a5a00' },
};

type Card = BoardContents['cards'][number];

export function toSvg(contents: BoardContents, names: Map<string, string>, labels: PictureLabels): string {
  const groupTitles = groupLabels(contents.groups, labels.lang);
  // Laid out as drawn: without the characters the picture leaves out.
  const shown = contents.cards.map((card) => ({ ...card, text: withoutRefusedCharacters(card.text) }));
  const layout = layoutBoard(
    {
      template: findTemplate(contents.meta.template),
      cards: shown,
      groups: contents.groups,
      groupTitle: (group) => withoutRefusedCharacters(groupTitles.get(group.id) ?? group.title),
    },
    PICTURE_STYLE,
    { locale: labels.lang },
  );
  const cards = new Map(shown.map((card) => [card.id, card]));
  const parts: string[] = [];

  for (const area of layout.areas) {
    if (area.index < 0) continue;
    parts.push(
      `<rect x="${area.x}" y="${area.y}" width="${area.width}" height="${area.height}" rx="16" fill="#ffffff" fill-opacity="0.5" stroke="#8a8270" stroke-dasharray="8 6" stroke-width="2"/>`,
      ...area.titleLines.map((line, i) =>
        text(
          area.x + AREA.padding,
          area.y + AREA.padding + AREA.title.size + i * AREA.title.lineHeight,
          line,
          {
            size: AREA.title.size,
            weight: 700,
          },
        ),
      ),
      ...area.hintLines.map((line, i) =>
        text(
          area.x + AREA.padding,
          area.y +
            AREA.padding +
            area.titleLines.length * AREA.title.lineHeight +
            AREA.hint.size +
            i * AREA.hint.lineHeight,
          line,
          { size: AREA.hint.size, fill: '#4a463d' },
        ),
      ),
    );
  }
  // Frames first: a group's cards are drawn over it.
  for (const group of layout.groups) {
    parts.push(
      `<rect x="${group.x}" y="${group.y}" width="${group.width}" height="${group.height}" rx="14" fill="#fff4cc" stroke="#7a6a3a" stroke-width="3"/>`,
      ...group.titleLines.map((line, i) =>
        text(
          group.x + GROUP.padding,
          group.y + GROUP.padding + GROUP.title.size + i * GROUP.title.lineHeight,
          line,
          {
            size: GROUP.title.size,
            weight: 700,
          },
        ),
      ),
    );
  }
  for (const box of layout.cards) {
    const card = cards.get(box.id);
    if (card) parts.push(...drawCard(card, box, names, labels));
  }

  const { width, height } = layout;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Verdana, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#f7f3e8"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function drawCard(card: Card, box: CardBox, names: Map<string, string>, labels: PictureLabels): string[] {
  const style = KIND_STYLE[card.kind] ?? (KIND_STYLE.problem as (typeof KIND_STYLE)[string]);
  const { x, y, width, height } = box;
  const left = x + 14;
  const line = CARD.text.lineHeight;
  const baseline = (row: number) => y + CARD_PADDING + CARD.text.size + row * line;
  const lines = box.cut ? [...box.lines.slice(0, -1), `${box.lines.at(-1) ?? ''}…`] : box.lines;
  const meta = [names.get(card.authorId) ?? '', card.site].filter(Boolean).join(' · ');
  return [
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="10" fill="${style.fill}" stroke="${style.edge}" stroke-width="2"/>`,
    `<rect x="${x}" y="${y}" width="6" height="${height}" rx="3" fill="${style.edge}"/>`,
    text(left, baseline(0), labels.kind(card.kind).toLocaleUpperCase(labels.lang), {
      size: 11,
      weight: 700,
      fill: style.edge,
    }),
    ...(card.votes > 0
      ? [
          text(x + width - 10, baseline(0), labels.votes(card.votes), {
            size: 13,
            weight: 700,
            anchor: 'end',
          }),
        ]
      : []),
    ...lines.map((content, i) => text(left, baseline(i + 1), content, {})),
    text(left, baseline(lines.length + 1), meta, { size: 12, fill: '#4a463d' }),
  ];
}

function text(
  x: number,
  y: number,
  content: string,
  {
    size = CARD.text.size,
    weight = 400,
    fill = '#1d1b16',
    anchor = 'start',
  }: { size?: number; weight?: number; fill?: string; anchor?: 'start' | 'end' },
): string {
  const align = anchor === 'end' ? ' text-anchor="end"' : '';
  return `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}" fill="${fill}"${align}>${escapeXml(content)}</text>`;
}

/**
 * Text for XML 1.0 content or an attribute: the markup characters as references, and every code
 * point the text rule refuses left out (C0 controls, lone surrogates and U+FFFE/U+FFFF are not
 * XML 1.0 characters at all; one NUL made the whole picture unreadable). Tabs and line breaks are
 * XML characters (and the layout has already split on them).
 */
export function escapeXml(value: string): string {
  return withoutRefusedCharacters(value).replace(/[<>&"']/g, (char) => `&#${char.codePointAt(0)};`);
}
