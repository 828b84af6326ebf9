/**
 * Execution providers offered only where they exist: the engine reads onnxruntime-node's own list
 * (and, for providers it does not bundle, whether their library is installed), offers those, and
 * refuses a request for one that cannot start with a clear INVALID_INPUT.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXECUTION_PROVIDERS } from '../../../src-main/engine/model/execution-providers.js';
import { providerAvailability } from '../../../src-main/engine/model/session.js';
import { hasVulkanLoader } from '../../../src-main/engine/model/vulkan-loader.js';
import { openLibraryFixture, type LibraryFixture } from '../../helpers/library-fixture.js';

const ortDir = path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node'));
const bindingDir = path.join(ortDir, '..', 'bin', 'napi-v6', process.platform, process.arch);
/** What onnxruntime-node itself says it was built with (read here apart from the engine). */
const backends = (
  createRequire(import.meta.url)('onnxruntime-node') as {
    listSupportedBackends: () => { name: string; bundled: boolean }[];
  }
).listSupportedBackends();

describe('providerAvailability', () => {
  const all = providerAvailability();

  it('lists every provider Anytag knows, the CPU always available', () => {
    expect(all.map((p) => p.provider)).toEqual([...EXECUTION_PROVIDERS]);
    expect(all.find((p) => p.provider === 'cpu')).toEqual({ provider: 'cpu', available: true });
  });

  it('follows onnxruntime-node: built in, or its library installed beside the binding', () => {
    for (const entry of all) {
      const backend = backends.find((b) => b.name === entry.provider);
      const library =
        process.platform === 'win32'
          ? `onnxruntime_providers_${entry.provider}.dll`
          : `libonnxruntime_providers_${entry.provider}.so`;
      // WebGPU on Linux runs on Vulkan: it needs the Vulkan loader the linker can find.
      const vulkan =
        entry.provider !== 'webgpu' || process.platform !== 'linux' || hasVulkanLoader();
      const expected =
        backend !== undefined &&
        (backend.bundled || existsSync(path.join(bindingDir, library))) &&
        vulkan;
      expect(entry.available, entry.provider).toBe(expected);
      if (!expected)
        expect(entry.reason, entry.provider).toMatch(/not part of|not installed|Vulkan/);
      else expect(entry.reason).toBeUndefined();
    }
  });

  it('offers WebGPU on Linux only where the Vulkan loader is installed', () => {
    const webgpu = (vulkan: boolean) =>
      providerAvailability('linux', process.arch, () => vulkan).find(
        (p) => p.provider === 'webgpu',
      );
    if (!backends.some((b) => b.name === 'webgpu')) return; // not built for this platform
    expect(webgpu(false)).toEqual({
      provider: 'webgpu',
      available: false,
      reason: 'WebGPU needs Vulkan on Linux, and no Vulkan loader (libvulkan.so.1) is installed',
    });
    if (process.platform === 'linux') expect(webgpu(true)?.available).toBe(true);
    expect(
      providerAvailability('win32', 'x64', () => false).find((p) => p.provider === 'webgpu'),
    ).not.toMatchObject({ reason: expect.stringContaining('Vulkan') });
  });

  it('names the platform where a provider is not built at all', () => {
    const dml = providerAvailability('linux', 'x64').find((p) => p.provider === 'dml');
    expect(dml).toMatchObject({ available: false, reason: expect.stringContaining('linux-x64') });
  });
});

describe('runtime settings offer and accept only available providers', () => {
  let lib: LibraryFixture;
  beforeAll(async () => {
    lib = await openLibraryFixture();
  });
  afterAll(() => lib?.engine.close());

  it('reports every provider with its availability; choices are the available ones', async () => {
    const settings = await lib.api.call('runtimeSettings', {});
    expect(settings.providers).toEqual(providerAvailability());
    const available = new Set(settings.providers.filter((p) => p.available).map((p) => p.provider));
    expect(settings.choices.length).toBeGreaterThan(0);
    for (const choice of settings.choices) expect(available.has(choice)).toBe(true);
    expect(settings.choices).toContain('cpu');
  });

  it('refuses a provider that cannot start here, naming why and what can', async () => {
    const missing = providerAvailability().find((p) => !p.available);
    expect(missing, 'some provider is unavailable on any one platform').toBeDefined();
    await expect(
      lib.api.call('setRuntimeSettings', { provider: missing!.provider }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(new RegExp(`"${missing!.provider}" is not available here`)),
      details: { field: 'provider', available: expect.arrayContaining(['cpu']) },
    });
    // Nothing was saved by the refused request.
    expect((await lib.api.call('runtimeSettings', {})).provider).not.toBe(missing!.provider);
    const ok = await lib.api.call('setRuntimeSettings', { provider: 'cpu' });
    expect(ok.provider).toBe('cpu');
  });
});
