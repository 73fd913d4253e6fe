/**
 * Where a CPU profile's time went: `npx tsx tests/bench/profile-summary.ts <file.cpuprofile> [top]`
 * prints the functions with the most self time and their share. For the server's profiles
 * (SERVER_PROFILE_DIR=dir pnpm bench ...) and the client's (PROFILE=1 tests/bench/client.ts).
 */
import fs from 'node:fs';
import { hotspots, type Profile } from './client-profile.js';

const [file, top = '20'] = process.argv.slice(2);
if (!file) {
  console.error('usage: npx tsx tests/bench/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const totalMs = profile.timeDeltas.reduce((sum, delta) => sum + delta, 0) / 1000;
console.log(`${file}: ${(totalMs / 1000).toFixed(1)} s sampled`);
console.table(
  hotspots(profile, Number(top)).map((spot) => ({
    ...spot,
    share: `${((spot.selfMs / totalMs) * 100).toFixed(1)} %`,
  })),
);
