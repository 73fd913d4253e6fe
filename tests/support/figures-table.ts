/**
 * A vitest global setup that clears a folder of figures (one JSON file per row, written by the
 * tests) when a project starts and prints them as one table when it ends.
 */
import fs from 'node:fs';
import path from 'node:path';

export function figuresTable<Row>(
  dir: string,
  title: string,
  columns: (row: Row) => [name: string, cells: Record<string, string | number>],
) {
  return () => {
    fs.rmSync(dir, { recursive: true, force: true });
    return () => {
      if (!fs.existsSync(dir)) return;
      const rows = fs
        .readdirSync(dir)
        .map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Row);
      console.log(`\n${title}`);
      console.table(Object.fromEntries(rows.map(columns)));
    };
  };
}
