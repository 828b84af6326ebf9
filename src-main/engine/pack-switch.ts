/**
 * Switching the active pack and removing a user pack, as they touch the running engine: a switch
 * validates the new pack before the old one is let go, records it as the active pack, then
 * queues every indexed photo lacking the new pack's embedding in the library queue's lowest lane
 * (re-embed), in the background. Removal deletes the pack (PackInstaller), its embedding files,
 * their fingerprint record and the catalogue's pointers into them.
 */
import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Engine } from './engine.js';
import { fingerprintFile } from './index/pack-fingerprint.js';
import { installedResult, type PackInstaller } from './model/pack-installer.js';
import { validatePack } from './model/pack-install.js';
import { findPack } from './model/pack-registry.js';
import type { UsePackResult } from './model/pack-results.js';
import { embeddingFilePattern } from './store/embedding-store.js';
import { photosToReembed } from './store/photo-states.js';

/** Makes pack `id` the active one (the old pack stays if validation fails). */
export async function usePack(engine: Engine, id: string): Promise<UsePackResult> {
  const entry = await findPack(engine.packRoots, id);
  const pack = await validatePack(entry.dir);
  if (engine.selectedPackId !== id) await engine.switchPack(pack);
  const catalogue = engine.catalogue;
  catalogue.setActivePack(id);
  await catalogue.flush();
  const library = await engine.library();
  const waiting = photosToReembed(catalogue, id);
  for (const photo of waiting) library.queue.add(photo.path, 'reembed');
  return { pack: installedResult(pack), reembedQueued: waiting.length };
}

/** Deletes a user pack, its embeddings files and the catalogue's pointers into it. */
export async function removePack(
  engine: Engine,
  installer: PackInstaller,
  id: string,
): Promise<void> {
  await installer.remove(id);
  const catalogue = engine.catalogue;
  catalogue.forgetPackEmbeddings(id);
  await catalogue.flush();
  const embeddings = path.join(engine.options.dataDir, 'embeddings');
  const pattern = embeddingFilePattern(id);
  for (const name of await readdir(embeddings).catch(() => [] as string[])) {
    if (pattern.test(name)) await unlink(path.join(embeddings, name)).catch(() => undefined);
  }
  const fingerprint = fingerprintFile(engine.options.dataDir, id);
  for (const file of [fingerprint, `${fingerprint}.bak`]) await unlink(file).catch(() => undefined);
}
