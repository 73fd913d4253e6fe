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

export interface Localized {
  hu: string;
  en: string;
}

export interface TemplateArea {
  title: Localized;
  hint?: Localized;
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

/** In the order a moderator picks from; the workshop's own first. */
export const TEMPLATES: readonly BoardTemplate[] = [
  problemsResources,
  fourTypes,
  formsOfSelfHelp,
  principles,
  examples,
  actionPlan,
  blank,
];

/** Boards made before templates existed show the problems and resources map. */
export const DEFAULT_TEMPLATE = 'problems-resources';

export function findTemplate(id: string): BoardTemplate | undefined {
  return TEMPLATES.find((template) => template.id === id);
}
