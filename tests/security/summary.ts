/** Vitest global setup of the security project: clears old figures, prints the doors' table at the end. */
import fs from 'node:fs';
import path from 'node:path';
import { type DoorFigures, FIGURES_DIR } from './support/figures.js';

export default function setup() {
  fs.rmSync(FIGURES_DIR, { recursive: true, force: true });
  return () => {
    if (!fs.existsSync(FIGURES_DIR)) return;
    const rows = fs
      .readdirSync(FIGURES_DIR)
      .map((file) => JSON.parse(fs.readFileSync(path.join(FIGURES_DIR, file), 'utf8')) as DoorFigures);
    console.log("\nDoors: another session's intent round trip while each attack runs");
    console.table(
      Object.fromEntries(
        rows.map((row) => [
          row.door,
          {
            attack: row.attack,
            bound: row.bound,
            'p95 (ms)': row.intentP95,
            'largest (ms)': row.intentMax,
            'peak RSS (MiB)': row.peakRssMiB,
          },
        ]),
      ),
    );
  };
}
