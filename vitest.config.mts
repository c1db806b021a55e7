import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/security/**/*.test.ts',
      'test/team/**/*.test.ts',
    ],
    environment: 'node',
    // better-sqlite3 is native: separate processes keep one test file's database handles and
    // timers from leaking into another's.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
