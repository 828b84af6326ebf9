/**
 * The desktop app's build: the ESM main process (with the engine; native modules stay external),
 * the sandboxed CommonJS preload, and the same renderer as the web mode.
 * Output: out/main/index.js (with the WebAssembly kernels beside it), out/preload/index.cjs,
 * out/renderer/.
 */
import path from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { assembleWat, watSources } from './scripts/wasm-kernels.mjs';
import { rendererConfig } from './vite.renderer.config.js';

const root = import.meta.dirname;

/**
 * The engine's WebAssembly kernels (every .wat under src-main/, assembled by wabt) as assets of
 * the main bundle, in its folder: int8-kernel.ts looks for int8-kernel.wasm beside the module that runs it.
 */
function wasmKernels(): Plugin {
  return {
    name: 'anytag-wasm-kernels',
    async generateBundle() {
      for (const relative of watSources()) {
        this.emitFile({
          type: 'asset',
          fileName: path.basename(relative).replace(/\.wat$/, '.wasm'),
          source: await assembleWat(relative),
        });
      }
    },
  };
}

export default defineConfig({
  main: {
    plugins: [wasmKernels()],
    build: {
      outDir: path.join(root, 'out/main'),
      externalizeDeps: true,
      lib: {
        entry: {
          index: path.join(root, 'src-main/app/index.ts'),
          // Indexing runs in a worker thread; the engine looks for it beside itself.
          'index-worker': path.join(root, 'src-main/engine/workers/index-worker.ts'),
        },
        formats: ['es'],
      },
      rollupOptions: { output: { entryFileNames: '[name].js' } },
    },
  },
  preload: {
    build: {
      outDir: path.join(root, 'out/preload'),
      externalizeDeps: true,
      lib: { entry: path.join(root, 'src-main/app/preload.ts'), formats: ['cjs'] },
      rollupOptions: { output: { entryFileNames: 'index.cjs' } },
    },
  },
  renderer: {
    ...rendererConfig,
    build: {
      ...rendererConfig.build,
      rollupOptions: { input: path.join(root, 'src-renderer/index.html') },
    },
  },
});
