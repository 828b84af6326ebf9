/**
 * The desktop app's build: the ESM main process (with the engine; native modules stay external),
 * the sandboxed CommonJS preload, and the same renderer as the web mode.
 * Output: out/main/index.js, out/preload/index.cjs, out/renderer/.
 */
import path from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config.js';

const root = import.meta.dirname;

export default defineConfig({
  main: {
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
