import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    // Assembles the WebAssembly kernels (src-main/**.wat) before any test loads the engine.
    globalSetup: ['test/wasm-kernels-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // The integration tests share one built starter pack and 2 cores: run files one at a time.
    fileParallelism: false,
  },
});
