/**
 * Indexes image files: new or changed files go through the model in batches, their matrices go
 * to the embedding store and their tags to the catalogue. A file that fails is recorded with its
 * reason and retried when it changes; it never stops the run.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { toErrorShape } from '../errors.js';
import type { Embedder } from '../model/embedder.js';
import type { Catalogue } from '../store/catalogue.js';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import type { EmbeddingStore } from '../store/embedding-store.js';
import type { SearchIndex } from './search-index.js';
import { seenTags } from './tagger.js';

export interface IndexProgress {
  done: number;
  total: number;
  indexed: number;
  skipped: number;
  failed: number;
  imagesPerSecond: number;
  etaSeconds: number | null;
  current?: string;
}

export interface IndexDeps {
  catalogue: Catalogue;
  embedder: Embedder;
  store: EmbeddingStore;
  searchIndex: SearchIndex;
  batchSize?: number;
  onProgress?: (progress: IndexProgress) => void;
}

export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** True when the record already holds this pack's embedding for the file as it is now. */
function upToDate(
  photo: PhotoRecord | undefined,
  size: number,
  mtimeMs: number,
  packId: string,
): boolean {
  if (!photo || photo.size !== size || photo.mtimeMs !== mtimeMs) return false;
  return photo.state === 'error' || (photo.state === 'indexed' && photo.embedding?.pack === packId);
}

export async function indexFiles(
  files: readonly string[],
  deps: IndexDeps,
): Promise<IndexProgress> {
  const { catalogue, embedder, store, searchIndex } = deps;
  const packId = embedder.pack.manifest.id;
  const batchSize = deps.batchSize ?? 8;
  const progress: IndexProgress = {
    done: 0,
    total: files.length,
    indexed: 0,
    skipped: 0,
    failed: 0,
    imagesPerSecond: 0,
    etaSeconds: null,
  };
  const started = performance.now();
  const report = (): void => {
    const seconds = (performance.now() - started) / 1000;
    const work = progress.indexed + progress.failed;
    progress.imagesPerSecond = seconds > 0 ? work / seconds : 0;
    progress.etaSeconds =
      progress.imagesPerSecond > 0
        ? (progress.total - progress.done) / progress.imagesPerSecond
        : null;
    deps.onProgress?.({ ...progress });
  };

  const todo: { file: string; size: number; mtimeMs: number }[] = [];
  for (const file of files) {
    try {
      const info = await stat(file);
      if (upToDate(catalogue.photoByPath(file), info.size, info.mtimeMs, packId)) {
        progress.skipped++;
        progress.done++;
      } else todo.push({ file, size: info.size, mtimeMs: info.mtimeMs });
    } catch (error) {
      recordFailure(catalogue, file, 0, 0, toErrorShape(error));
      progress.failed++;
      progress.done++;
    }
  }
  report();

  for (let i = 0; i < todo.length; i += batchSize) {
    const batch = todo.slice(i, i + batchSize);
    const results = await embedder.embed(batch.map((b) => b.file));
    for (const [j, result] of results.entries()) {
      const { file, size, mtimeMs } = batch[j]!;
      if (!result.ok) {
        recordFailure(catalogue, file, size, mtimeMs, result.error);
        progress.failed++;
      } else {
        const photo = catalogue.photoByPath(file) ?? newPhoto(catalogue, file);
        const slot = await store.put(
          result.matrix,
          photo.embedding?.pack === packId ? photo.embedding.slot : undefined,
        );
        Object.assign(photo, {
          size,
          mtimeMs,
          hash: await hashFile(file).catch(() => null),
          width: result.image.sourceWidth,
          height: result.image.sourceHeight,
          format: result.image.format,
          state: 'indexed',
          error: undefined,
          embedding: { pack: packId, slot },
          tags: seenTags(embedder.pack, result.matrix),
          taggedBy: { pack: packId, at: new Date().toISOString() },
        } satisfies Partial<PhotoRecord>);
        searchIndex.set(photo.id, result.matrix);
        catalogue.touched();
        progress.indexed++;
      }
      progress.done++;
      progress.current = file;
    }
    report();
  }
  await store.sync();
  await catalogue.flush();
  return progress;
}

function newPhoto(catalogue: Catalogue, file: string): PhotoRecord {
  const photo: PhotoRecord = {
    id: randomUUID(),
    path: file,
    size: 0,
    mtimeMs: 0,
    hash: null,
    state: 'pending',
    tags: [],
  };
  catalogue.addPhoto(photo);
  return photo;
}

function recordFailure(
  catalogue: Catalogue,
  file: string,
  size: number,
  mtimeMs: number,
  error: { code: string; message: string },
): void {
  const photo = catalogue.photoByPath(file) ?? newPhoto(catalogue, file);
  Object.assign(photo, {
    size,
    mtimeMs,
    state: 'error',
    error: { code: error.code, message: error.message },
    tags: [],
  });
  catalogue.touched();
}
