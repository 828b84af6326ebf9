/**
 * A metadata-only re-read: photos indexed before Anytag read metadata (catalogue v3 and older)
 * get their capture time, camera and keywords from their file and sidecar, and photos whose
 * sidecar changed while Anytag was closed get them again — without decoding pixels or running
 * the model. Runs in the background when the library opens, a few files at a
 * time; a file that cannot be read now keeps no metadata and is tried again at the next open.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { photoMetadataOf } from '../image/photo-metadata.js';
import { isSidecarName, sidecarCandidates } from '../image/sidecar.js';
import type { Catalogue } from '../store/catalogue.js';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import { metadataRead } from '../store/photo-states.js';

/** Files read at once: metadata reads are small and I/O-bound. */
const CONCURRENCY = 4;

/** Photos whose metadata was never read (indexed ones; pending ones get it when indexed). */
export function photosWithoutMetadata(catalogue: Catalogue): PhotoRecord[] {
  return catalogue.photos().filter((photo) => photo.state === 'indexed' && !photo.meta);
}

/**
 * Indexed photos whose sidecar appeared, changed or went since their metadata was read (while
 * Anytag was not watching). One directory listing per folder of photos, and a stat per .xmp file
 * found: never a stat per photo.
 */
export async function photosWithChangedSidecars(catalogue: Catalogue): Promise<PhotoRecord[]> {
  const byDir = new Map<string, PhotoRecord[]>();
  for (const photo of catalogue.photos()) {
    if (photo.state !== 'indexed' || !photo.meta) continue;
    const dir = path.dirname(photo.path);
    const list = byDir.get(dir);
    if (list) list.push(photo);
    else byDir.set(dir, [photo]);
  }
  const changed: PhotoRecord[] = [];
  for (const [dir, photos] of byDir) {
    const names = await readdir(dir).catch(() => null);
    if (!names) continue; // an unreachable folder: the library marks it offline
    const sidecars = new Map<string, number>();
    for (const name of names.filter(isSidecarName)) {
      const info = await stat(path.join(dir, name)).catch(() => null);
      if (info) sidecars.set(path.join(dir, name), info.mtimeMs);
    }
    for (const photo of photos) {
      const now = sidecarCandidates(photo.path).find((candidate) => sidecars.has(candidate));
      const was = photo.meta!.sidecar;
      const moved = now !== was;
      if (moved || (now && sidecars.get(now) !== photo.meta!.sidecarMtimeMs)) changed.push(photo);
    }
  }
  return changed;
}

/**
 * Reads the metadata of every photo that lacks it or whose sidecar changed; stops early when
 * `stopped()` turns true. Resolves with how many photos were read.
 */
export async function refreshMetadata(
  catalogue: Catalogue,
  stopped: () => boolean = () => false,
  /** After a photo whose sidecar changed was read again (to re-tag it and tell the UI). */
  onReread: (photo: PhotoRecord) => void = () => undefined,
): Promise<number> {
  // Every record is read first in slices that give the thread back (a million photos' records
  // take seconds to read: never in one go while the library opens).
  await catalogue.allPhotos();
  const waiting: [PhotoRecord, boolean][] = [
    ...photosWithoutMetadata(catalogue).map((photo): [PhotoRecord, boolean] => [photo, false]),
    ...(await photosWithChangedSidecars(catalogue)).map((p): [PhotoRecord, boolean] => [p, true]),
  ];
  let read = 0;
  const worker = async (): Promise<void> => {
    for (let next = waiting.shift(); next && !stopped(); next = waiting.shift()) {
      if (!(await readOne(catalogue, next[0], next[1]))) continue;
      read++;
      if (next[1]) onReread(next[0]);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return read;
}

/**
 * Reads a photo's metadata again (its sidecar changed); resolves false when the file cannot be
 * read now or the photo left meanwhile.
 */
export function rereadMetadata(catalogue: Catalogue, photo: PhotoRecord): Promise<boolean> {
  return readOne(catalogue, photo, true);
}

async function readOne(catalogue: Catalogue, photo: PhotoRecord, again = false): Promise<boolean> {
  try {
    // sharp (libvips) loads with the first photo read, not with every command's start-up.
    const { readEmbeddedBlocks } = await import('../image/decode.js');
    const { format, embedded } = await readEmbeddedBlocks(photo.path);
    const bytes = format === 'tiff' ? await readFile(photo.path) : undefined;
    const meta = await photoMetadataOf(photo.path, embedded, {
      format,
      ...(bytes && { bytes }),
      mtimeMs: photo.mtimeMs,
    });
    // The photo may have left or changed while its file was read.
    if (catalogue.photoById(photo.id) !== photo || (photo.meta && !again)) return false;
    metadataRead(catalogue, photo, meta);
    return true;
  } catch {
    return false;
  }
}
