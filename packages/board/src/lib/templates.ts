/**
 * Board templates: data, one JSON file each in src/templates. A template
 * names labelled areas drawn behind the cards; the board's meta records which
 * one it uses, so snapshots and exports keep the picture.
 */
import actionPlan from '../templates/action-plan.json' with { type: 'json' };
import blank from '../templates/blank.json' with { type: 'json' };
import examples from '../templates/examples.json' with { type: 'json' };
import formsOfSelfHelp from '../templates/forms-of-self-help.json' with { type: 'json' };
import fourTypes from '../templates/four-types.json' with { type: 'json' };
import principles from '../templates/principles.json' with { type: 'json' };
import problemsResources from '../templates/problems-resources.json' with { type: 'json' };
import { BoardError } from './errors.js';
import { type Card, type CardKind, isCardKind } from './schema.js';

export interface Localized {
  hu: string;
  en: string;
}

export interface TemplateArea {
  /** Cards name their area by this id (`Card.area`); unique within the template. */
  id: string;
  /** The kind of the cards written into this area; areas without one take notes. */
  kind?: CardKind;
  title: Localized;
  hint?: Localized;
  /**
   * The area's place in the template's grid, and its share of the width: the layout
   * (layout.ts) puts areas of one x in a column and of one y in a row, and gives each column
   * card columns in proportion to its width. Cards placed before areas existed are found an
   * area by these rectangles (`legacyAreaAt`).
   */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Index into the views' area palette. */
  color: number;
}

export interface BoardTemplate {
  id: string;
  title: Localized;
  description: Localized;
  areas: TemplateArea[];
}

type TemplateFile = Omit<BoardTemplate, 'areas'> & {
  areas: Array<Omit<TemplateArea, 'kind'> & { kind?: string }>;
};

/**
 * A template file as typed data: JSON types an area's kind as any string. Its areas' ids name
 * them in cards and views, and two areas in one grid cell would be drawn as one: both unique.
 */
function readTemplate(file: TemplateFile): BoardTemplate {
  const ids = new Set(file.areas.map((area) => area.id));
  const cells = new Set(file.areas.map((area) => `${area.x},${area.y}`));
  if (ids.size !== file.areas.length || cells.size !== file.areas.length) {
    throw new Error(`${file.id}: two areas share an id or a place`);
  }
  return {
    ...file,
    areas: file.areas.map(({ kind, ...area }) => {
      if (kind !== undefined && !isCardKind(kind)) throw new Error(`${file.id}: unknown card kind ${kind}`);
      return kind === undefined ? area : { ...area, kind };
    }),
  };
}

/** In the order a moderator picks from; the workshop's own first. */
export const TEMPLATES: readonly BoardTemplate[] = [
  problemsResources,
  fourTypes,
  formsOfSelfHelp,
  principles,
  examples,
  actionPlan,
  blank,
].map(readTemplate);

/** Boards made before templates existed show the problems and resources map. */
export const DEFAULT_TEMPLATE = 'problems-resources';

export function findTemplate(id: string): BoardTemplate | undefined {
  return TEMPLATES.find((template) => template.id === id);
}

/**
 * The area a card belongs in: its own when the template has it, else (a card from before
 * areas, or of another template) the area its old position falls in, else the first area of
 * its kind, else the first area. '' on a template without areas.
 */
export function areaOf(
  template: BoardTemplate | undefined,
  item: { area?: string; kind?: CardKind; x: number; y: number },
): string {
  const areas = template?.areas ?? [];
  if (item.area !== undefined && areas.some((area) => area.id === item.area)) return item.area;
  const at = legacyAreaAt(areas, item.x, item.y);
  if (at) return at.id;
  return (areas.find((area) => item.kind !== undefined && area.kind === item.kind) ?? areas[0])?.id ?? '';
}

/** The area whose rectangle holds (x, y): how positions written before areas map to one. */
function legacyAreaAt(areas: readonly TemplateArea[], x: number, y: number): TemplateArea | undefined {
  return areas.find((a) => x >= a.x && x < a.x + a.width && y >= a.y && y < a.y + a.height);
}

/**
 * The kind a new card takes in `areaId`: the area's own, or a note where the area has none (a
 * hand-made client cannot put a problem among the four types); on a board without areas, the
 * card's own, never a note (such a board lists cards by problem and resource).
 */
export function kindInArea(template: BoardTemplate | undefined, areaId: string, kind: CardKind): CardKind {
  const areas = template?.areas ?? [];
  if (areas.length === 0) {
    if (kind === 'note')
      throw new BoardError('invalid-kind', 'A board without areas takes problems and resources');
    return kind;
  }
  return areaKind(template, areaId) ?? 'note';
}

/** The kind of the area's cards, if it has one: a loose card moved there takes it (a problem among the resources is a resource). */
export function areaKind(template: BoardTemplate | undefined, areaId: string): CardKind | undefined {
  return template?.areas.find((area) => area.id === areaId)?.kind;
}

/** One way to add a card: into an area (with its kind), or, on a board without areas, by kind. */
export interface CardChoice {
  /** A key unique among the choices (the area's id, or the kind on a board without areas). */
  key: string;
  area: string;
  kind: CardKind;
  /** The area's title and prompt; none where the kind names the choice (no areas, or one area per kind). */
  title?: Localized;
  hint?: Localized;
}

/**
 * What a device offers for a new card: the template's areas, each with its own title and prompt
 * (the four types of self-help groups, the action plan's columns), or problem and resource on
 * a board without areas.
 */
export function cardChoices(template: BoardTemplate | undefined): CardChoice[] {
  const areas = template?.areas ?? [];
  if (areas.length === 0) {
    return (['problem', 'resource'] as const).map((kind) => ({ key: kind, area: '', kind }));
  }
  // Areas that are each of their own kind (the problems and resources map) are named by it:
  // "Probléma hozzáadása" says more than "+ Problémák".
  const kinds = areas.map((area) => area.kind);
  if (kinds.every((kind, i) => kind !== undefined && kinds.indexOf(kind) === i)) {
    return areas.map((area) => ({ key: area.id, area: area.id, kind: area.kind as CardKind }));
  }
  return areas.map((area) => ({
    key: area.id,
    area: area.id,
    kind: area.kind ?? 'note',
    title: area.title,
    ...(area.hint ? { hint: area.hint } : {}),
  }));
}

/** Whether a card is listed under the choice (its area's, or its kind's on a board without areas). */
export function inChoice(template: BoardTemplate | undefined, choice: CardChoice, card: Card): boolean {
  return choice.area === '' ? card.kind === choice.kind : areaOf(template, card) === choice.area;
}
