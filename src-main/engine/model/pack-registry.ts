/** Finds installed model packs: the ones shipped with the app and the ones the user added. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { AnytagError, isNodeError } from '../errors.js';
import { readManifest } from './pack.js';
import type { PackManifest } from './pack-schema.js';

export interface PackEntry {
  dir: string;
  manifest: PackManifest | null;
  /** Why the pack cannot be used, when manifest is null. */
  problem?: string;
}

/** Packs are the sub-folders of each root holding a pack.json; earlier roots win on equal ids. */
export async function listPacks(roots: readonly string[]): Promise<PackEntry[]> {
  const entries: PackEntry[] = [];
  const seen = new Set<string>();
  for (const root of roots) {
    let names: string[];
    try {
      names = (await readdir(root, { withFileTypes: true }))
        .filter((e) => e.isDirectory())
        .map((e) => e.name);
    } catch (error) {
      if (isNodeError(error, 'ENOENT')) continue;
      throw error;
    }
    for (const name of names.sort()) {
      const dir = path.join(root, name);
      try {
        const manifest = await readManifest(dir);
        if (seen.has(manifest.id)) continue;
        seen.add(manifest.id);
        entries.push({ dir, manifest });
      } catch (error) {
        if (error instanceof AnytagError && error.code === 'PACK_NOT_FOUND') continue;
        entries.push({ dir, manifest: null, problem: (error as Error).message });
      }
    }
  }
  return entries;
}

/** The pack with `id`, or the first usable one when id is undefined. */
export async function findPack(roots: readonly string[], id?: string): Promise<PackEntry> {
  const packs = await listPacks(roots);
  const usable = packs.filter((p) => p.manifest);
  const found = id ? usable.find((p) => p.manifest!.id === id) : usable[0];
  if (!found) {
    const known = usable.map((p) => p.manifest!.id);
    throw new AnytagError(
      'PACK_NOT_FOUND',
      id
        ? `No model pack "${id}" in ${roots.join(', ')} (installed: ${known.join(', ') || 'none'})`
        : `No model pack installed in ${roots.join(', ')}. Run \`npm run build:packs\` to build the starter pack.`,
      { id, roots: [...roots], installed: known },
    );
  }
  return found;
}
