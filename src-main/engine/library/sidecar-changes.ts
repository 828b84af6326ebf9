/**
 * A sidecar (photo.xmp, photo.jpg.xmp) appeared, changed or went: the photos beside it that it
 * describes have their metadata read again — never the model.
 */
import path from 'node:path';
import { isSidecarName, isSidecarOf } from '../image/sidecar.js';
import type { Catalogue } from '../store/catalogue.js';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import type { ChangeBatch } from './folder-watcher.js';
import { rereadMetadata } from './metadata-refresh.js';

/** Takes the sidecars out of a watcher's batch (they are no photos) and returns them. */
export function takeSidecars(batch: ChangeBatch): string[] {
  const sidecars = [...batch.files.keys()].filter((file) => isSidecarName(file));
  for (const sidecar of sidecars) batch.files.delete(sidecar);
  return sidecars;
}

/** Re-reads the metadata of the indexed photos `sidecar` describes; returns those it changed. */
export async function sidecarChanged(
  catalogue: Catalogue,
  sidecar: string,
): Promise<PhotoRecord[]> {
  const dir = path.dirname(sidecar);
  const photos = catalogue
    .photosUnder(dir)
    .filter((p) => path.dirname(p.path) === dir && isSidecarOf(sidecar, p.path));
  const changed: PhotoRecord[] = [];
  for (const photo of photos) {
    if (photo.state === 'indexed' && (await rereadMetadata(catalogue, photo))) changed.push(photo);
  }
  return changed;
}
