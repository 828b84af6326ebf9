/**
 * A metadata-only re-read: photos indexed before Anytag read metadata (catalogue v3 and older)
 * get their capture time, camera and keywords from their file and sidecar, without decoding
 * pixels or running the model. Runs in the background when the library opens, a few files at a
 * time; a file that cannot be read now keeps no metadata and is tried again at the next open.
 */
import { readFile } from 'node:fs/promises';
import { readEmbeddedBlocks } from '../image/decode.js';
import { photoMetadataOf } from '../image/photo-metadata.js';
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
 * Reads the metadata of every photo that lacks it; stops early when `stopped()` turns true.
 * Resolves with how many photos gained metadata.
 */
export async function refreshMetadata(
  catalogue: Catalogue,
  stopped: () => boolean = () => false,
): Promise<number> {
  const waiting = photosWithoutMetadata(catalogue);
  let read = 0;
  const worker = async (): Promise<void> => {
    for (let photo = waiting.shift(); photo && !stopped(); photo = waiting.shift()) {
      if (await readOne(catalogue, photo)) read++;
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
