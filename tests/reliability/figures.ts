/**
 * The reliability suite's figures: each test records what it did and found;
 * `summary.ts` prints them as one table when the suite ends.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TEST_OUTPUT } from '../support/browser.js';

export const FIGURES_DIR = path.join(TEST_OUTPUT, 'reliability');

export interface Figures {
  scenario: string;
  faults: number;
  survived: boolean;
  messagesFuzzed?: number;
  cardsLost: number;
  duplicates: number;
  peakRssMiB?: number;
  note?: string;
}

export function record(figures: Figures): void {
  fs.mkdirSync(FIGURES_DIR, { recursive: true });
  const file = path.join(FIGURES_DIR, `${figures.scenario.replace(/[^a-z0-9]+/gi, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(figures));
}
