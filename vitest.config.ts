import { defineConfig } from 'vitest/config';

// One runner for the whole repo. "unit" is fast and pure; "integration" starts
// real servers on loopback; "e2e" drives Debian's Chromium against the built app.
// Projects whose tests measure round trips (security, reliability, e2e) run each in a group of
// its own (sequence.groupOrder), after the rest: on two cores, a round trip measured while another
// project's servers run says more about the machine than about the server.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'client/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['server/src/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          // Hostile hand-made clients against a real server: every attack changes nothing for others.
          name: 'security',
          include: ['tests/security/**/*.test.ts'],
          globalSetup: ['tests/security/summary.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'reliability',
          include: ['tests/reliability/**/*.test.ts'],
          globalSetup: ['tests/reliability/summary.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          // Three processes, PostgreSQL, Redis and HAProxy: killed, frozen and cut off on purpose.
          name: 'cluster',
          include: ['tests/cluster/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          sequence: { groupOrder: 4 },
        },
      },
      {
        test: {
          // The benchmark harness at toy size (full size: `pnpm bench`).
          name: 'bench',
          include: ['tests/bench/**/*.test.ts'],
          testTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
