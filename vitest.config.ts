import os from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Three projects sharing one worker pool:
 *  - unit: `src/**\/*.test.ts` beside the code; fast, default timeouts.
 *  - integration: `test/**\/*.test.ts` (real sshd, IdP, keychain); slower, longer timeouts.
 *  - e2e: `test/e2e/**` (Chromium through the browser-mode host); longest timeouts.
 * `vitest run --project unit` runs one of them. Every run writes test-results/vitest.json, which
 * scripts/check-test-report.js reads in CI to refuse unexpected skips.
 */
const exclude = ['**/node_modules/**', '**/out/**', '**/dist/**', '**/test-results/**'];

// Vitest's default is cores - 1, i.e. one worker on the 2-core CI machines. Most of our tests wait
// on child processes (sshd, Chromium), so one worker per core keeps both cores busy.
const workers = Math.max(2, os.availableParallelism());

export default defineConfig({
  test: {
    pool: 'forks',
    // Each test file gets its own throw-away HOME and no ssh-agent (see the file).
    setupFiles: ['test/support/isolatedHome.ts'],
    maxWorkers: workers,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    // Leftover servers from a failed test must not keep the run alive.
    teardownTimeout: 10_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.{ts,tsx}'],
          exclude,
          testTimeout: 10_000,
          hookTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...exclude, 'test/e2e/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
