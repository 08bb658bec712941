import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One embedded engine, one build of the web console and of the CLI, and one scratch folder
    // for the run; each test file gets its own tables (see environment.ts).
    globalSetup: [
      'test/support/global-setup.ts',
      'test/support/console-build.ts',
      'test/support/cli-build.ts',
      'test/support/scratch-root.ts',
    ],
    setupFiles: ['test/support/environment.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    restoreMocks: true,
  },
});
