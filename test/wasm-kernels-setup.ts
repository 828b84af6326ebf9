/**
 * Vitest global setup: tsc makes no assets and the tests run the engine from its TypeScript
 * sources, so assemble the WebAssembly kernels (src-main/**.wat) into the tsc output, where
 * int8-kernel.ts looks for them when running from sources (its KERNEL_FILES).
 */
import path from 'node:path';
import { writeWasmKernels } from '../scripts/wasm-kernels.mjs';

export default async function setup(): Promise<void> {
  await writeWasmKernels(path.resolve(import.meta.dirname, '../out/node'));
}
