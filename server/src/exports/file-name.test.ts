import { describe, expect, it } from 'vitest';
import { asciiFileName, attachment, fullFileName } from './file-name.js';

/** Noon, local time, so the day is the same in every time zone the test runs in. */
const december2 = new Date(2026, 11, 2, 12).getTime();

describe('download file names', () => {
  it('name the file by the session title and the day, in plain ASCII', () => {
    const parts = { words: ['Alsóváros műhely', ''], at: december2, extension: 'csv' };
    expect(asciiFileName(parts)).toBe('alsovaros-muhely-2026-12-02.csv');
    expect(fullFileName(parts)).toBe('Alsóváros műhely - 2026-12-02.csv');
  });

  it('add the board and the snapshot, and drop every accent, sign and case of Hungarian', () => {
    const parts = {
      words: ['ŐSZI Tűzoltó-Találkozó!', 'Tábla 2', 'Gyűjtés → Csoportosítás'],
      at: december2,
      extension: 'md',
    };
    expect(asciiFileName(parts)).toBe('oszi-tuzolto-talalkozo-tabla-2-gyujtes-csoportositas-2026-12-02.md');
  });

  it('keep a name for a title of no Latin letters, and cut a very long one', () => {
    expect(asciiFileName({ words: ['Семинар'], at: december2, extension: 'svg' })).toBe(
      'kaptar-2026-12-02.svg',
    );
    const long = asciiFileName({ words: ['a '.repeat(200)], at: december2, extension: 'csv' });
    expect(long.length).toBeLessThan(80);
    expect(long).toMatch(/^a-a-.*a-2026-12-02\.csv$/);
  });

  it('say both names in Content-Disposition, the real one RFC 5987-encoded and safe for a file system', () => {
    const header = attachment({ words: ["Anna's/műhely (1)"], at: december2, extension: 'csv' });
    expect(header).toBe(
      `attachment; filename="anna-s-muhely-1-2026-12-02.csv"; filename*=UTF-8''Anna%27s-m%C5%B1hely%20%281%29%20-%202026-12-02.csv`,
    );
    const encoded = header.split("UTF-8''")[1] ?? '';
    expect(decodeURIComponent(encoded)).toBe("Anna's-műhely (1) - 2026-12-02.csv");
    expect(encoded).toMatch(/^[A-Za-z0-9%._~-]+$/);
  });
});
