/** Vitest global setup of the reliability project: clears old figures, prints the table at the end. */
import fs from 'node:fs';
import path from 'node:path';
import { FIGURES_DIR, type Figures } from './figures.js';

export default function setup() {
  fs.rmSync(FIGURES_DIR, { recursive: true, force: true });
  return () => {
    if (!fs.existsSync(FIGURES_DIR)) return;
    const rows = fs
      .readdirSync(FIGURES_DIR)
      .map((file) => JSON.parse(fs.readFileSync(path.join(FIGURES_DIR, file), 'utf8')) as Figures);
    console.log('\nReliability figures');
    console.table(
      Object.fromEntries(
        rows.map((row) => [
          row.scenario,
          {
            'faults injected': row.faults,
            survived: row.survived ? 'yes' : 'NO',
            'messages fuzzed': row.messagesFuzzed ?? '',
            'cards lost': row.cardsLost,
            duplicates: row.duplicates,
            'peak RSS (MiB)': row.peakRssMiB ?? '',
            note: row.note ?? '',
          },
        ]),
      ),
    );
  };
}
