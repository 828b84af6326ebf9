/**
 * Whether this Linux machine has the Vulkan loader (libvulkan.so.1). onnxruntime's WebGPU
 * provider (Dawn) needs it on Linux; without it, asking for WebGPU only fails after Dawn has
 * printed "Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file" on the
 * process's stderr, where no log level of onnxruntime reaches it. So the provider is not tried
 * where the loader cannot be found (model/session.ts providerAvailability).
 *
 * Looked for where the dynamic linker looks (ld.so(8)): the folders of LD_LIBRARY_PATH, its cache
 * (/etc/ld.so.cache, which names every library ldconfig found), then the default folders (with
 * the Debian multiarch ones). Read once per process; no library is loaded.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const VULKAN_LOADER = 'libvulkan.so.1';

/** Where to look; the defaults are this process's (tests point them at temp folders). */
export interface LoaderSearch {
  /** LD_LIBRARY_PATH as the environment holds it. */
  libraryPath?: string | undefined;
  /** The dynamic linker's cache file. */
  cacheFile?: string;
  /** The linker's default folders. */
  defaultDirs?: readonly string[];
}

const MULTIARCH: Record<string, string> = {
  x64: 'x86_64-linux-gnu',
  arm64: 'aarch64-linux-gnu',
  arm: 'arm-linux-gnueabihf',
};

function defaultDirs(arch: string = process.arch): string[] {
  const triplet = MULTIARCH[arch];
  const multiarch = triplet ? [`/lib/${triplet}`, `/usr/lib/${triplet}`] : [];
  return [...multiarch, '/lib64', '/usr/lib64', '/lib', '/usr/lib'];
}

/** Whether the dynamic linker would find libvulkan.so.1 (see the header). */
export function findsVulkanLoader(search: LoaderSearch = {}): boolean {
  const libraryPath = 'libraryPath' in search ? search.libraryPath : process.env.LD_LIBRARY_PATH;
  const dirs = (libraryPath ?? '').split(':').filter(Boolean);
  if (dirs.some((dir) => existsSync(path.join(dir, VULKAN_LOADER)))) return true;
  if (inLinkerCache(search.cacheFile ?? '/etc/ld.so.cache')) return true;
  return (search.defaultDirs ?? defaultDirs()).some((dir) =>
    existsSync(path.join(dir, VULKAN_LOADER)),
  );
}

/** Whether the linker's cache names the loader (its entries hold each library's name as text). */
function inLinkerCache(cacheFile: string): boolean {
  try {
    return readFileSync(cacheFile).includes(`${VULKAN_LOADER}\0`);
  } catch {
    return false; // no cache (e.g. musl): the folders decide
  }
}

let found: boolean | undefined;

/** findsVulkanLoader for this process, asked once. */
export function hasVulkanLoader(): boolean {
  found ??= findsVulkanLoader();
  return found;
}
