import { defineConfig } from 'vitest/config';

// End-to-end tests: the built renderer in Debian's Chromium against a real `anytag serve`.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    // `anytag serve` runs the tsc output, which holds no assets: assemble the WebAssembly kernels.
    globalSetup: ['test/wasm-kernels-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
