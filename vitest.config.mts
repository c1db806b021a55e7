import { defineConfig } from 'vitest/config';

/**
 * The suites that exercise the queue (ingest, worker, job actions, ops snapshot) run twice: on
 * the embedded SQLite queue and, in the `postgres` project, with every console in team mode on
 * a throwaway PostgreSQL cluster (test/helpers/pg-global-setup.ts).
 *
 * Not here: sync-rate-limit.test.ts, whose waits (a 31 s Retry-After, UTC midnight) are crossed
 * by moving the engine's clock; the team's queue keeps time on the database's clock, which no test
 * moves. The team's 429 hold and daily budget are tested in test/team/team-rules.test.ts; a 429
 * waited out inside the request (sync-short-rate-limit.test.ts) runs on both.
 */
export const QUEUE_SUITES = [
  'test/integration/local-api-ingest.test.ts',
  'test/integration/local-api-job-actions.test.ts',
  'test/integration/local-api-timeline-search.test.ts',
  'test/integration/sync-auth-pause.test.ts',
  'test/integration/sync-circuit-breaker.test.ts',
  'test/integration/sync-destination-switch.test.ts',
  'test/integration/sync-four-events.test.ts',
  'test/integration/sync-graceful-stop.test.ts',
  'test/integration/sync-in-doubt-storm.test.ts',
  'test/integration/sync-in-doubt.test.ts',
  'test/integration/sync-lease-renewal.test.ts',
  'test/integration/sync-ops-snapshot.test.ts',
  'test/integration/sync-retry-schedule.test.ts',
  'test/integration/sync-short-rate-limit.test.ts',
  'test/integration/sync-transient-errors.test.ts',
  'test/integration/sync-worker-off.test.ts',
  'test/integration/headless-crash-recovery.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    // better-sqlite3 is native: separate processes keep one test file's database handles and
    // timers from leaking into another's.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: [
            'test/unit/**/*.test.ts',
            'test/integration/**/*.test.ts',
            'test/security/**/*.test.ts',
            'test/team/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: QUEUE_SUITES,
          globalSetup: ['test/helpers/pg-global-setup.ts'],
          env: { TEST_QUEUE_BACKEND: 'postgres' },
        },
      },
    ],
  },
});
