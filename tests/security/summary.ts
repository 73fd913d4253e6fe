/** Vitest global setup of the security project: clears old figures, prints the doors' table at the end. */
import { figuresTable } from '../support/figures-table.js';
import { type DoorFigures, FIGURES_DIR } from './support/figures.js';

export default figuresTable<DoorFigures>(
  FIGURES_DIR,
  "Doors: another session's intent round trip while each attack runs",
  (row) => [
    row.door,
    {
      attack: row.attack,
      bound: row.bound,
      'p95 (ms)': row.intentP95,
      'largest (ms)': row.intentMax,
      'peak RSS (MiB)': row.peakRssMiB,
    },
  ],
);
