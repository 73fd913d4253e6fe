/** Opens the engine the configuration names: PostgreSQL for a `postgres://` URL, else the SQLite file. */
import { openSqliteStore } from './sqlite/store.js';
import type { Store } from './store.js';

export interface StoreLocation {
  dataDir: string;
  databaseUrl: string | null;
}

export async function openStore({ dataDir, databaseUrl }: StoreLocation): Promise<Store> {
  if (!databaseUrl) return openSqliteStore(dataDir);
  // Loaded only when chosen: the embedded default never loads the PostgreSQL driver.
  const { openPostgresStore } = await import('./postgres/store.js');
  return openPostgresStore(databaseUrl);
}

/** The database URL without its password, for the log and health. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}
