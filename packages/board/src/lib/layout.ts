/**
 * The board's layout: where every area, group and card is drawn, as a pure function of the
 * board's content (the template's areas, each card's area and group, the order things were
 * made in). The canvas, the projector and the exported picture all draw from it, so no card
 * hides another on any of them, whatever order people added and grouped in: intents move cards
 * between areas and groups, never to pixels.
 *
 * Inside an area, groups (oldest first) and then loose cards (oldest first) fill columns, each
 * going to the shortest one. Areas of one template row are as tall as the tallest of them, so
 * an area grows with its cards and pushes the row below down instead of spilling over it.
 */
import { byCreation } from './group-labels.js';
import type { Card, Group } from './schema.js';
import { areaOf, type BoardTemplate, type Localized } from './templates.js';

/** A font size and line height in pixels: enough to count lines without a browser. */
export interface TextStyle {
  size: number;
  lineHeight: number;
}

/** How big a view draws things; each view (canvas, projector, picture) has its own. */
export interface LayoutStyle {
  card: {
    width: number;
    /** Horizontal padding and borders inside the card: the text gets the rest of the width. */
    inset: number;
    text: TextStyle;
    /** Height of everything on a card but its text (label, author, buttons, padding). */
    chrome: number;
    /** The kind label's row, part of `chrome`: a view may leave it off a card (`kindShown`). */
    label: number;
    minLines: number;
    /** Longer texts are cut here and shown whole on demand (a tap, the presenter view). */
    maxLines: number;
  };
  /** `tools`: the height of a row of buttons under the title (rename, dissolve, on screen); 0 for none. */
  group: { padding: number; title: TextStyle; minHeader: number; tools: number };
  area: { padding: number; title: TextStyle; hint: TextStyle };
  /** Between columns, between items of a column, and around the board. */
  gap: number;
}

/**
 * Average advance of a character in the views' sans-serif fonts, in ems: on the wide side for
 * Hungarian text (ő, ű, capitals), so a line counted here is never longer than the browser's.
 */
const CHAR_WIDTH_EM = 0.6;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface AreaBox extends Box {
  id: string;
  /** Index of the area in its template (colours, labels); -1 for a template without areas. */
  index: number;
  titleLines: string[];
  hintLines: string[];
}

export interface GroupBox extends Box {
  id: string;
  area: string;
  /** Height of the title strip above the group's cards. */
  header: number;
  titleLines: string[];
}

export interface CardBox extends Box {
  id: string;
  groupId: string | null;
  /** The text as it is drawn: wrapped, and cut at `maxLines` (then `cut` is true). */
  lines: string[];
  cut: boolean;
}

export interface BoardLayout {
  width: number;
  height: number;
  areas: AreaBox[];
  groups: GroupBox[];
  cards: CardBox[];
}

export interface LayoutContent {
  template: BoardTemplate | undefined;
  cards: readonly Card[];
  groups: readonly Group[];
  /** Group titles as drawn (an untitled group is drawn with a label such as "Névtelen csoport 2"). */
  groupTitle?: (group: Group) => string;
  /** Whether the card's kind label is drawn (all of them when not given). */
  kindShown?: (card: Card) => boolean;
}

export interface LayoutOptions {
  /**
   * The width the areas share. Each template column gets card columns in proportion to its
   * template width; without a width, the template's own width (its design size).
   */
  width?: number;
  locale: keyof Localized;
}

/** Words wrapped greedily into lines of at most `perLine` characters; longer words are broken. */
export function wrapText(text: string, perLine: number): string[] {
  const width = Math.max(1, perLine);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      let rest = [...word];
      while (rest.length > 0) {
        const room = line === '' ? width : width - [...line].length - 1;
        if (rest.length <= room) {
          line = line === '' ? rest.join('') : `${line} ${rest.join('')}`;
          rest = [];
        } else if (line !== '') {
          lines.push(line);
          line = '';
        } else {
          lines.push(rest.slice(0, width).join(''));
          rest = rest.slice(width);
        }
      }
    }
    lines.push(line);
  }
  return lines;
}

/** Characters of `style` that fit a line `width` pixels wide. */
export function charsPerLine(width: number, style: TextStyle): number {
  return Math.max(1, Math.floor(width / (style.size * CHAR_WIDTH_EM)));
}

/**
 * Cards' wrapped texts per style: a card object is never changed (a change is a new object), and
 * a fitting view lays the same cards out many times (each scale it tries, each remote change).
 */
const wrapped = new WeakMap<LayoutStyle, WeakMap<Card, { lines: string[]; cut: boolean }>>();

function linesOf(card: Card, style: LayoutStyle): { lines: string[]; cut: boolean } {
  let cache = wrapped.get(style);
  if (!cache) {
    cache = new WeakMap();
    wrapped.set(style, cache);
  }
  let lines = cache.get(card);
  if (!lines) {
    lines = cardLines(card.text, style);
    cache.set(card, lines);
  }
  return lines;
}

/** The card's text as a view draws it in `style`. */
export function cardLines(text: string, style: LayoutStyle): { lines: string[]; cut: boolean } {
  const { card } = style;
  const all = wrapText(text, charsPerLine(card.width - card.inset, card.text));
  if (all.length <= card.maxLines) return { lines: all, cut: false };
  return { lines: all.slice(0, card.maxLines), cut: true };
}

export function cardHeight(lineCount: number, style: LayoutStyle, labelled = true): number {
  const { card } = style;
  return (
    card.chrome - (labelled ? 0 : card.label) + Math.max(card.minLines, lineCount) * card.text.lineHeight
  );
}

/** Width of one column of an area: a group's width, so loose cards line up with grouped ones. */
export function columnWidth(style: LayoutStyle): number {
  return style.card.width + 2 * style.group.padding;
}

interface Placed<T> {
  item: T;
  height: number;
  /** Column and offset from the top of the area's content. */
  column: number;
  top: number;
}

interface AreaPlan {
  id: string;
  index: number;
  gridColumn: number;
  gridRow: number;
  columns: number;
  titleLines: string[];
  hintLines: string[];
  header: number;
  content: number;
  groups: Array<Placed<GroupItem>>;
  cards: Array<Placed<DrawnCard>>;
}

interface GroupItem {
  group: Group;
  members: DrawnCard[];
  header: number;
  titleLines: string[];
}

interface DrawnCard {
  card: Card;
  lines: string[];
  cut: boolean;
  height: number;
}

/** Lays out the board: see the top of this file. Pure: the same content gives the same boxes. */
export function layoutBoard(content: LayoutContent, style: LayoutStyle, options: LayoutOptions): BoardLayout {
  const { template } = content;
  const templateAreas = template?.areas ?? [];
  const xs = [...new Set(templateAreas.map((area) => area.x))].sort((a, b) => a - b);
  const ys = [...new Set(templateAreas.map((area) => area.y))].sort((a, b) => a - b);
  const areaIdOf = (item: { area?: string; kind?: Card['kind']; x: number; y: number }) =>
    areaOf(template, item);

  // Members of each group, oldest first; a group is drawn in its own area.
  const members = new Map<string, DrawnCard[]>();
  const kindShown = content.kindShown ?? (() => true);
  const drawn = (card: Card): DrawnCard => {
    const text = linesOf(card, style);
    return { card, ...text, height: cardHeight(text.lines.length, style, kindShown(card)) };
  };
  const groupIds = new Set(content.groups.map((group) => group.id));
  const loose: Card[] = [];
  for (const card of [...content.cards].sort(byCreation)) {
    if (card.groupId !== null && groupIds.has(card.groupId)) {
      const list = members.get(card.groupId) ?? [];
      list.push(drawn(card));
      members.set(card.groupId, list);
    } else loose.push(card);
  }
  const titleOf = content.groupTitle ?? ((group: Group) => group.title);

  // What each area holds, in the order it is placed: its groups, then its loose cards.
  const held = new Map<string, Array<{ height: number; group?: GroupItem; card?: DrawnCard }>>();
  const hold = (areaId: string, entry: { height: number; group?: GroupItem; card?: DrawnCard }) => {
    const list = held.get(areaId);
    if (list) list.push(entry);
    else held.set(areaId, [entry]);
  };
  for (const group of [...content.groups].sort(byCreation)) {
    const list = members.get(group.id) ?? [];
    const titleLines = wrapText(titleOf(group), charsPerLine(style.card.width, style.group.title));
    const header =
      Math.max(style.group.minHeader, titleLines.length * style.group.title.lineHeight) +
      style.group.tools +
      style.group.padding;
    const cardsHeight = list.reduce((sum, member) => sum + member.height, 0);
    const height = header + cardsHeight + list.length * (style.gap / 2) + style.group.padding;
    hold(areaIdOf(group), { height, group: { group, members: list, header, titleLines } });
  }
  for (const card of loose) {
    const item = drawn(card);
    hold(areaIdOf(card), { height: item.height, card: item });
  }

  const gridOf = (index: number) => {
    const area = templateAreas[index];
    return area ? { column: xs.indexOf(area.x), row: ys.indexOf(area.y) } : { column: 0, row: 0 };
  };
  const ids = templateAreas.length === 0 ? [''] : templateAreas.map((area) => area.id);
  const columnsOf = gridColumns(
    template,
    style,
    options.width,
    ids.map((id, index) => ({
      gridColumn: gridOf(templateAreas.length === 0 ? -1 : index).column,
      items: held.get(id) ?? [],
    })),
  );

  const plans = new Map<string, AreaPlan>();
  ids.forEach((id, index) => {
    const area = templateAreas[index];
    const { column: gridColumn, row: gridRow } = gridOf(area ? index : -1);
    const columns = columnsOf(gridColumn);
    const innerWidth = columns * columnWidth(style) + (columns - 1) * style.gap;
    const titleLines = area
      ? wrapText(area.title[options.locale], charsPerLine(innerWidth, style.area.title))
      : [];
    const hint = area?.hint?.[options.locale];
    const hintLines = hint ? wrapText(hint, charsPerLine(innerWidth, style.area.hint)) : [];
    const header =
      titleLines.length * style.area.title.lineHeight +
      hintLines.length * style.area.hint.lineHeight +
      (area ? style.gap : 0);
    plans.set(id, {
      id,
      index: area ? index : -1,
      gridColumn,
      gridRow,
      columns,
      titleLines,
      hintLines,
      header,
      content: 0,
      groups: [],
      cards: [],
    });
  });

  const columnHeights = new Map<string, number[]>();
  const place = (plan: AreaPlan, height: number): { column: number; top: number } => {
    let tops = columnHeights.get(plan.id);
    if (!tops) {
      tops = new Array<number>(plan.columns).fill(0);
      columnHeights.set(plan.id, tops);
    }
    let column = 0;
    for (let c = 1; c < tops.length; c++) if ((tops[c] as number) < (tops[column] as number)) column = c;
    const top = tops[column] as number;
    tops[column] = top + height + style.gap;
    return { column, top };
  };
  for (const [areaId, entries] of held) {
    const plan = plans.get(areaId) as AreaPlan;
    for (const { height, group, card } of entries) {
      if (group) plan.groups.push({ item: group, height, ...place(plan, height) });
      else if (card) plan.cards.push({ item: card, height, ...place(plan, height) });
    }
  }
  for (const plan of plans.values()) {
    const tops = columnHeights.get(plan.id) ?? [];
    // An empty area keeps room for one card: somewhere to drop into.
    plan.content = Math.max(cardHeight(style.card.minLines, style), Math.max(0, ...tops) - style.gap);
  }

  // The grid: columns as wide as their areas' card columns, rows as tall as their tallest area.
  const gridWidths: number[] = [];
  const gridHeights: number[] = [];
  for (const plan of plans.values()) {
    const width = plan.columns * columnWidth(style) + (plan.columns - 1) * style.gap + 2 * style.area.padding;
    const height = plan.header + plan.content + 2 * style.area.padding;
    gridWidths[plan.gridColumn] = Math.max(gridWidths[plan.gridColumn] ?? 0, width);
    gridHeights[plan.gridRow] = Math.max(gridHeights[plan.gridRow] ?? 0, height);
  }
  const offsets = (sizes: number[]) => {
    const starts: number[] = [];
    let at = style.gap;
    for (const size of sizes) {
      starts.push(at);
      at += (size ?? 0) + style.gap;
    }
    return { starts, end: at };
  };
  const across = offsets(gridWidths);
  const down = offsets(gridHeights);

  const layout: BoardLayout = { width: across.end, height: down.end, areas: [], groups: [], cards: [] };
  for (const plan of plans.values()) {
    const x = across.starts[plan.gridColumn] as number;
    const y = down.starts[plan.gridRow] as number;
    layout.areas.push({
      id: plan.id,
      index: plan.index,
      x,
      y,
      width: gridWidths[plan.gridColumn] as number,
      height: gridHeights[plan.gridRow] as number,
      titleLines: plan.titleLines,
      hintLines: plan.hintLines,
    });
    const left = (column: number) => x + style.area.padding + column * (columnWidth(style) + style.gap);
    const top = y + style.area.padding + plan.header;
    for (const placed of plan.groups) {
      const { group, members: list, header, titleLines } = placed.item;
      const box = {
        x: left(placed.column),
        y: top + placed.top,
        width: columnWidth(style),
        height: placed.height,
      };
      layout.groups.push({ id: group.id, area: plan.id, header, titleLines, ...box });
      let cardTop = box.y + header;
      for (const member of list) {
        const { height } = member;
        layout.cards.push({
          id: member.card.id,
          groupId: group.id,
          lines: member.lines,
          cut: member.cut,
          x: box.x + style.group.padding,
          y: cardTop,
          width: style.card.width,
          height,
        });
        cardTop += height + style.gap / 2;
      }
    }
    for (const placed of plan.cards) {
      layout.cards.push({
        id: placed.item.card.id,
        groupId: null,
        lines: placed.item.lines,
        cut: placed.item.cut,
        x: left(placed.column) + style.group.padding,
        y: top + placed.top,
        width: style.card.width,
        height: placed.height,
      });
    }
  }
  return layout;
}

/**
 * Card columns of each template column. A view that gives its width has that many columns to
 * share: first in proportion to each column's width in the template (its design), then moved,
 * one at a time, from the column whose areas would be shortest without it to the one whose areas
 * are tallest per column, while that makes the tallest shorter (30 problems beside 5 resources
 * get the room they need). Without a width, the template's own proportions.
 */
function gridColumns(
  template: BoardTemplate | undefined,
  style: LayoutStyle,
  width: number | undefined,
  areas: ReadonlyArray<{ gridColumn: number; items: ReadonlyArray<{ height: number }> }>,
): (gridColumn: number) => number {
  const designWidths = new Map<number, number>();
  for (const area of template?.areas ?? [])
    designWidths.set(area.x, Math.max(designWidths.get(area.x) ?? 0, area.width));
  const design = [...designWidths.entries()].sort(([a], [b]) => a - b).map(([, w]) => w);
  if (design.length === 0) design.push(DESIGN_BLANK_WIDTH);
  const total = design.reduce((sum, w) => sum + w, 0);
  const step = columnWidth(style) + style.gap;
  // A view's width holds the areas and a gap before, between and after them.
  const share = (width === undefined ? total : width - (design.length + 1) * style.gap) / total;
  const columns = design.map((w) =>
    Math.max(1, Math.floor((w * share - 2 * style.area.padding + style.gap) / step)),
  );
  if (width === undefined) return (gridColumn) => columns[gridColumn] ?? 1;

  // The height a template column's areas need (its tallest area's cards, end to end), and the
  // most columns that can hold anything (one item each).
  const demand = design.map(() => 0);
  const most = design.map(() => 1);
  for (const area of areas) {
    const height = area.items.reduce((sum, item) => sum + item.height + style.gap, 0);
    demand[area.gridColumn] = Math.max(demand[area.gridColumn] ?? 0, height);
    most[area.gridColumn] = Math.max(most[area.gridColumn] ?? 1, area.items.length);
  }
  const perColumn = (i: number, count: number) => (demand[i] ?? 0) / count;
  // Each move makes the tallest shorter, so it ends; the bound only says so to a reader.
  const columnCount = columns.reduce((sum, count) => sum + count, 0);
  for (let moves = 0; moves < columnCount * columns.length; moves++) {
    let tallest = -1;
    for (let i = 0; i < columns.length; i++) {
      if ((columns[i] as number) >= (most[i] as number)) continue;
      if (tallest < 0 || perColumn(i, columns[i] as number) > perColumn(tallest, columns[tallest] as number))
        tallest = i;
    }
    let giver = -1;
    for (let i = 0; i < columns.length; i++) {
      if (i === tallest || (columns[i] as number) <= 1) continue;
      if (
        giver < 0 ||
        perColumn(i, (columns[i] as number) - 1) < perColumn(giver, (columns[giver] as number) - 1)
      )
        giver = i;
    }
    if (tallest < 0 || giver < 0) break;
    // Only while the giver, one column short, stays shorter than the taker is now.
    if (perColumn(giver, (columns[giver] as number) - 1) >= perColumn(tallest, columns[tallest] as number))
      break;
    columns[giver] = (columns[giver] as number) - 1;
    columns[tallest] = (columns[tallest] as number) + 1;
  }
  return (gridColumn) => columns[gridColumn] ?? 1;
}

/** A board without areas is laid out as one area this wide in its design size. */
const DESIGN_BLANK_WIDTH = 1400;

/** The number of pairs of boxes that overlap (0 on every correct layout): the tests' and figures' check. */
export function overlappingPairs(boxes: readonly Box[]): number {
  const sorted = [...boxes].sort((a, b) => a.x - b.x);
  let pairs = 0;
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i] as Box;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j] as Box;
      if (b.x >= a.x + a.width) break;
      if (a.y < b.y + b.height && b.y < a.y + a.height) pairs++;
    }
  }
  return pairs;
}
