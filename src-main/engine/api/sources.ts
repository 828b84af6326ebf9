/**
 * What the read-and-label handlers are given instead of the Engine: the catalogue, the active
 * pack (loaded on first use), and a photo's stored matrix. The Api builds one from the Engine.
 */
import type { ActivePack } from '../active-pack.js';
import type { Catalogue } from '../store/catalogue.js';

export interface CatalogueSource {
  readonly catalogue: Catalogue;
  /** The active pack with its vocabulary, tagging, embeddings and search index. */
  active(): Promise<ActivePack>;
}

export interface MatrixSource extends CatalogueSource {
  /** The photo's stored matrix ([k, d], kd layout) for the active pack; NOT_FOUND if none. */
  matrixOf(photoId: string): Promise<Float32Array>;
}
