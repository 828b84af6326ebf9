/**
 * A catalogue and the pack embeddings of pack "tiny" in a data folder, holding photos that are
 * indexed already (their matrices given, not run through a model): for tests of the embedding
 * store, the search index and its saved copy. Real store and catalogue; nothing stood in for.
 */
import type { PhotoRecord } from '../../src-main/engine/store/catalogue-schema.js';
import { Catalogue } from '../../src-main/engine/store/catalogue.js';
import { PackEmbeddings } from '../../src-main/engine/index/pack-embeddings.js';

export interface StoredPhotosOptions {
  /** Rows K and dimension d of every matrix. */
  k: number;
  d: number;
  /** Photo i's matrix [k·d], "kd" layout. */
  matrix: (i: number) => Float32Array;
  /** Photo i's id (default `p${i}`); its path is /p/<i>.jpg. */
  id?: (i: number) => string;
  /** The catalogue's save delay in ms (default 1). */
  debounceMs?: number;
}

/** Opens the catalogue and embeddings in `dir` and adds `count` indexed photos; saves once. */
export async function storedPhotos(dir: string, count: number, options: StoredPhotosOptions) {
  const catalogue = await Catalogue.open(dir, { debounceMs: options.debounceMs ?? 1 });
  const embeddings = await PackEmbeddings.open(dir, catalogue, 'tiny', options.k, options.d);
  const photos: PhotoRecord[] = [];
  for (let i = 0; i < count; i++) {
    const photo: PhotoRecord = {
      id: options.id?.(i) ?? `p${i}`,
      path: `/p/${i}.jpg`,
      size: 1,
      mtimeMs: 1,
      hash: null,
      state: 'indexed',
      tags: [],
    };
    catalogue.addPhoto(photo);
    await embeddings.put(photo, options.matrix(i));
    photos.push(photo);
  }
  await catalogue.flush();
  return { catalogue, embeddings, photos };
}
