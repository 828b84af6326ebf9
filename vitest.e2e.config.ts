import { defineConfig } from 'vitest/config';

// End-to-end tests: the built renderer in Debian's Chromium against a real `anytag serve`.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
