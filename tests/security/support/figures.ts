/**
 * The security suite's figures, one row per door: the attack, the bound that met it, and how the
 * rest of the server fared meanwhile (another session's round trips, the process's peak RSS);
 * `tests/security/summary.ts` prints them as one table when the suite ends.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TEST_OUTPUT } from '../../support/browser.js';
import { p95, type RoundTrips } from './round-trip.js';

export const FIGURES_DIR = path.join(TEST_OUTPUT, 'security');

export interface DoorFigures {
  door: string;
  attack: string;
  bound: string;
  /** Another session's intent round trips during the attack (ms). */
  intentP95: number;
  intentMax: number;
  /** Resident memory of the test process (server and attacking clients together), MiB. */
  peakRssMiB: number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export function recordDoor(
  row: Pick<DoorFigures, 'door' | 'attack' | 'bound'>,
  measured: { trips: RoundTrips; peakRssMiB: number },
): void {
  const figures: DoorFigures = {
    ...row,
    intentP95: round(p95(measured.trips.intent)),
    intentMax: round(Math.max(...measured.trips.intent)),
    peakRssMiB: Math.round(measured.peakRssMiB),
  };
  fs.mkdirSync(FIGURES_DIR, { recursive: true });
  const file = path.join(FIGURES_DIR, `${row.door.replace(/[^a-z0-9]+/gi, '-')}.json`);
  fs.writeFileSync(file, JSON.stringify(figures));
}
