import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Processes, not threads: the Temporal worker's native bridge and V8 isolates do not
    // share well with worker_threads (sdk-typescript #876).
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'mappers/**/*.test.ts', 'decisions/**/*.test.ts', 'connectors/**/*.test.ts'],
          testTimeout: 15_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/quiet-runtime.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          // The console driven in real Chromium (playwright-core with @sparticuz/chromium's binary).
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts', 'test/support/chromium-setup.ts'],
          setupFiles: ['test/support/quiet-runtime.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
