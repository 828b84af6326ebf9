/**
 * The renderer build on its own, for the web mode (`anytag serve`) and the end-to-end tests:
 * out/renderer, relative asset paths. electron.vite.config.ts builds the same renderer for the app.
 */
import { svelte } from '@sveltejs/vite-plugin-svelte';
import path from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

export const rendererConfig: UserConfig = {
  root: path.resolve(import.meta.dirname, 'src-renderer'),
  base: './',
  plugins: [svelte({ configFile: path.resolve(import.meta.dirname, 'svelte.config.js') })],
  build: {
    outDir: path.resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
};

export default defineConfig(rendererConfig);
