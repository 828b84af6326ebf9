import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kernelModule, kernelModuleBytes } from '../../../src-main/engine/index/int8-kernel.js';
import { SearchIndex } from '../../../src-main/engine/index/search-index.js';
import { watSources, writeWasmKernels } from '../../../scripts/wasm-kernels.mjs';

const work = mkdtempSync(path.join(os.tmpdir(), 'anytag-wasm-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('int8 kernel assembled from int8-kernel.wat', () => {
  it('imports one shared memory and exports score', () => {
    const module = kernelModule()!;
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    const instance = new WebAssembly.Instance(module, { env: { memory: shared } });
    expect(Object.keys(instance.exports)).toEqual(['score']);
    expect(instance.exports.score).toBeTypeOf('function');
    const unshared = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
    expect(() => new WebAssembly.Instance(module, { env: { memory: unshared } })).toThrow(
      /memory/i,
    );
  });

  it('is what the build script assembles, mirrored under src-main/ or flat for a bundle', async () => {
    expect(watSources()).toContain(path.join('engine', 'index', 'int8-kernel.wat'));
    const [mirrored] = await writeWasmKernels(path.join(work, 'node'));
    const [flat] = await writeWasmKernels(path.join(work, 'main'), { flat: true });
    expect(mirrored).toBe(path.join(work, 'node', 'engine', 'index', 'int8-kernel.wasm'));
    expect(flat).toBe(path.join(work, 'main', 'int8-kernel.wasm'));
    expect(new Uint8Array(readFileSync(flat!))).toEqual(kernelModuleBytes());
    expect(new Uint8Array(readFileSync(mirrored!))).toEqual(kernelModuleBytes());
  });
});

describe('search index kernel choice', () => {
  it('scores with the plain JavaScript loop on request, as WebAssembly SIMD does', async () => {
    const [k, d, n] = [4, 20, 500];
    const simd = new SearchIndex(k, d, { workers: 0 });
    const js = new SearchIndex(k, d, { kernel: 'js' });
    expect([simd.kernelName, js.kernelName]).toEqual(['wasm-simd', 'js']);
    let x = 12345;
    const next = (): number => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    for (let i = 0; i < n; i++) {
      const matrix = Float32Array.from({ length: k * d }, next);
      simd.set(`p${i}`, matrix);
      js.set(`p${i}`, matrix);
    }
    const w = Float32Array.from({ length: d }, next);
    const norm = Math.hypot(...w);
    const unit = w.map((v) => v / norm);
    const [a] = await simd.score([unit]);
    const [b] = await js.score([unit]);
    for (let i = 0; i < n; i++) {
      expect(Math.abs(a!.scores[i]! - b!.scores[i]!)).toBeLessThanOrEqual(1e-6); // f32 rounding
      expect(a!.rows[i]).toBe(b!.rows[i]);
    }
    await Promise.all([simd.close(), js.close()]);
  });
});
