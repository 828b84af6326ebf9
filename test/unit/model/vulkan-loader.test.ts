/**
 * The Vulkan loader is looked for where the dynamic linker looks (vulkan-loader.ts): the
 * LD_LIBRARY_PATH folders, the linker's cache, the default folders; and on this machine the
 * answer agrees with `ldconfig -p` (the linker's own listing, read apart from the engine).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  VULKAN_LOADER,
  findsVulkanLoader,
  hasVulkanLoader,
} from '../../../src-main/engine/model/vulkan-loader.js';
import { tempDir } from '../../helpers/temp.js';

describe('findsVulkanLoader', () => {
  it('finds it in an LD_LIBRARY_PATH folder, in the linker cache, or in a default folder', async () => {
    const root = await tempDir();
    const [lib, empty] = [path.join(root, 'lib'), path.join(root, 'empty')];
    await mkdir(lib);
    await mkdir(empty);
    await writeFile(path.join(lib, VULKAN_LOADER), '');
    const noCache = path.join(root, 'no-cache');
    const nowhere = { libraryPath: empty, cacheFile: noCache, defaultDirs: [empty] };
    expect(findsVulkanLoader(nowhere)).toBe(false);
    expect(findsVulkanLoader({ ...nowhere, libraryPath: `${empty}:${lib}` })).toBe(true);
    expect(findsVulkanLoader({ ...nowhere, defaultDirs: [empty, lib] })).toBe(true);
    // The cache holds each library's name and path as NUL-ended text.
    const cache = path.join(root, 'ld.so.cache');
    await writeFile(cache, `glibc-ld.so.cache1.1\0libvulkan.so.1\0/usr/lib/libvulkan.so.1\0`);
    expect(findsVulkanLoader({ ...nowhere, cacheFile: cache })).toBe(true);
    // A longer name is another library (libvulkan.so.10 would not be the loader).
    await writeFile(cache, `libvulkan.so.10\0/usr/lib/libvulkan.so.10\0`);
    expect(findsVulkanLoader({ ...nowhere, cacheFile: cache })).toBe(false);
  });

  it.runIf(process.platform === 'linux')('agrees with ldconfig -p on this machine', () => {
    let listing: string;
    try {
      listing = execFileSync('ldconfig', ['-p'], { encoding: 'utf8' });
    } catch {
      return; // no ldconfig (e.g. musl): nothing to compare with
    }
    const listed = listing.split('\n').some((line) => line.trim().startsWith(`${VULKAN_LOADER} `));
    const inLibraryPath = (process.env.LD_LIBRARY_PATH ?? '')
      .split(':')
      .some((dir) => dir && existsSync(path.join(dir, VULKAN_LOADER)));
    expect(hasVulkanLoader()).toBe(listed || inLibraryPath);
  });
});
