/** Vitest global setup of the reliability project: clears old figures, prints the table at the end. */
import { figuresTable } from '../support/figures-table.js';
import { FIGURES_DIR, type Figures } from './figures.js';

export default figuresTable<Figures>(FIGURES_DIR, 'Reliability figures', (row) => [
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
]);
