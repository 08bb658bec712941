import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One embedded engine and one build of the web console for the run; each test file gets its
    // own tables (see environment.ts).
    globalSetup: ['test/support/global-setup.ts', 'test/support/console-build.ts'],
    setupFiles: ['test/support/environment.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    restoreMocks: true,
  },
});
