/**
 * Asks the filesystem itself why writes fail: SQLite reports a read-only filesystem as a bare
 * "disk I/O error", which tells an operator nothing.
 */
import fs from 'node:fs';
import path from 'node:path';

const REASONS: Record<string, (dir: string) => string> = {
  EROFS: (dir) => `the filesystem of ${dir} is read-only`,
  ENOSPC: (dir) => `the disk of ${dir} is full`,
  EDQUOT: (dir) => `the disk quota of ${dir} is used up`,
  EACCES: (dir) => `no permission to write in ${dir}`,
  EPERM: (dir) => `no permission to write in ${dir}`,
  ENOENT: (dir) => `${dir} is missing (is its disk mounted?)`,
  EIO: (dir) => `the disk of ${dir} reports input/output errors`,
};

/** Why the data folder takes no writes, from a probe file written and removed. */
export function diagnoseDataDir(dataDir: string): string {
  const probe = path.join(dataDir, '.kaptar-write-probe');
  try {
    fs.writeFileSync(probe, 'probe');
    fs.rmSync(probe);
    return `${dataDir} takes new files, yet the database cannot be written`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return REASONS[code]?.(dataDir) ?? `${dataDir} cannot be written (${code})`;
  }
}
