/**
 * Applies index results to the library: the matrix to the embedding store and search index,
 * facts and tags to the catalogue. Identity is the content hash: a result for a path the
 * catalogue does not know, whose hash belongs to a photo whose file just went missing, is that
 * photo moved or renamed — it keeps its id and tags. Any other unknown path is a photo that left
 * the library while its batch was in flight (its folder removed, the file deleted): the result is
 * dropped, not turned into a new photo. A failed file is recorded with its reason and retried when
 * it changes; it never stops the run. Two failures are not the file's: a file gone before it was
 * read (left to the scan or watcher, which match it to its new path), and a failed model run (the
 * photo stays pending).
 */
import type { Catalogue } from '../store/catalogue.js';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import { modelFailed, photoFailed, photoIndexed, photoMoved } from '../store/photo-states.js';
import type { PackEmbeddings } from '../index/pack-embeddings.js';
import type { IndexJobResult } from '../workers/index-job.js';

export interface IndexProgress {
  done: number;
  total: number;
  indexed: number;
  skipped: number;
  failed: number;
  imagesPerSecond: number;
  etaSeconds: number | null;
  current?: string;
  /** Files still waiting (the queue's length). */
  queued?: number;
  paused?: boolean;
}

export interface ApplyDeps {
  catalogue: Catalogue;
  embeddings: PackEmbeddings;
  /** A photo with this hash whose file went missing (moved away), taken out of limbo. */
  claimMoved?: (hash: string) => PhotoRecord | undefined;
  /** After each result; `matrix` is the model's float32 output when the photo was indexed. */
  onIndexed?: (photo: PhotoRecord, matrix?: Float32Array) => void;
}

export async function applyResults(
  results: readonly IndexJobResult[],
  deps: ApplyDeps,
): Promise<{ indexed: number; failed: number }> {
  let indexed = 0;
  let failed = 0;
  for (const result of results) {
    const photo = photoFor(result, deps);
    if (!photo) continue;
    if (result.ok) {
      await deps.embeddings.put(photo, result.matrix);
      // The photo keeps its tags (and their votes) until the vocabulary re-tags it, from this
      // matrix in hand, on photoIndexed.
      photoIndexed(deps.catalogue, photo, result, result.hash);
      deps.onIndexed?.(photo, result.matrix);
      indexed++;
      continue;
    } else if (result.error.details?.errno === 'ENOENT') {
      // The file went before it was read (moved, renamed, deleted): the photo keeps its size and
      // hash, so the scan or watcher that sees it gone can match it to its new file.
      continue;
    } else if (result.error.code === 'MODEL_RUNTIME') {
      modelFailed(deps.catalogue, photo);
      deps.onIndexed?.(photo);
      failed++;
      continue;
    } else {
      deps.embeddings.drop(photo);
      photoFailed(deps.catalogue, photo, result, result.hash, result.error);
      failed++;
    }
    deps.onIndexed?.(photo);
  }
  return { indexed, failed };
}

/** Every queued file has a catalogue record (added when it was found); none means it left. */
function photoFor(result: IndexJobResult, deps: ApplyDeps): PhotoRecord | undefined {
  const known = deps.catalogue.photoByPath(result.file);
  if (known) return known;
  const moved = result.hash ? deps.claimMoved?.(result.hash) : undefined;
  if (moved) photoMoved(deps.catalogue, moved, result.file);
  return moved;
}
