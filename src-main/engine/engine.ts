/**
 * The engine: one object owning the catalogue, the active model pack, its session and the
 * embedding store. Transports (CLI, HTTP, Electron IPC) reach it only through api.ts.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { AnytagError } from './errors.js';
import { indexFiles, type IndexProgress } from './index/indexer.js';
import { SearchIndex } from './index/search-index.js';
import { Embedder } from './model/embedder.js';
import type { ExecutionProviderName } from './model/execution-providers.js';
import { loadPack, type ModelPack } from './model/pack.js';
import { findPack, listPacks, type PackEntry } from './model/pack-registry.js';
import { ModelSession } from './model/session.js';
import { isImageFile, scanFolder } from './library/scan.js';
import { Catalogue } from './store/catalogue.js';
import { EmbeddingStore } from './store/embedding-store.js';
import { TermVectors } from './vocab/term-vectors.js';

export interface EngineOptions {
  dataDir: string;
  /** Folders holding pack folders, searched in order; the data folder's packs/ is added last. */
  packRoots: string[];
  /** Pack id to use; default: the catalogue's active pack, else the first installed. */
  packId?: string;
  provider?: ExecutionProviderName | 'auto';
  threads?: number;
}

interface ActivePack {
  pack: ModelPack;
  terms: TermVectors;
  store: EmbeddingStore;
  searchIndex: SearchIndex;
}

export class Engine {
  private active: ActivePack | undefined;
  private session: ModelSession | undefined;

  private constructor(
    readonly options: EngineOptions,
    readonly catalogue: Catalogue,
  ) {}

  static async open(options: EngineOptions): Promise<Engine> {
    const catalogue = await Catalogue.open(options.dataDir);
    return new Engine(options, catalogue);
  }

  get packRoots(): string[] {
    return [...this.options.packRoots, path.join(this.options.dataDir, 'packs')];
  }

  async packs(): Promise<PackEntry[]> {
    return listPacks(this.packRoots);
  }

  /** Loads the active pack, its embedding store and its in-memory search index, once. */
  async activePack(): Promise<ActivePack> {
    if (this.active) return this.active;
    const id = this.options.packId ?? this.catalogue.data.settings.activePack;
    const entry = await findPack(this.packRoots, id);
    const pack = await loadPack(entry.dir);
    const { k, d } = pack.manifest.output;
    const store = await EmbeddingStore.open(
      EmbeddingStore.fileFor(this.options.dataDir, pack.manifest.id),
      pack.manifest.id,
      k,
      d,
    );
    const searchIndex = new SearchIndex(k, d);
    await this.loadSearchIndex(pack.manifest.id, store, searchIndex);
    this.active = { pack, terms: new TermVectors(pack), store, searchIndex };
    return this.active;
  }

  async embedder(): Promise<Embedder> {
    const { pack } = await this.activePack();
    this.session ??= await ModelSession.create(
      pack.modelPath,
      { inputName: pack.manifest.input.name, output: pack.manifest.output },
      { provider: this.options.provider ?? 'auto', threads: this.options.threads ?? 0 },
    );
    return new Embedder(pack, this.session);
  }

  get provider(): ExecutionProviderName | undefined {
    return this.session?.provider;
  }

  /** Indexes folders (recursively; they join the library) and single image files. */
  async indexPaths(
    paths: readonly string[],
    onProgress?: (p: IndexProgress) => void,
  ): Promise<IndexProgress> {
    const files: string[] = [];
    for (const given of paths) {
      const absolute = path.resolve(given);
      const info = await stat(absolute).catch(() => null);
      if (!info) throw new AnytagError('NOT_FOUND', `${given} does not exist`, { path: given });
      if (info.isFile()) {
        if (!isImageFile(absolute)) {
          throw new AnytagError('IMAGE_UNSUPPORTED', `${given} is not a supported image type`, {
            path: given,
          });
        }
        files.push(absolute);
        continue;
      }
      const { images } = await scanFolder(absolute);
      this.catalogue.addFolder(absolute);
      files.push(...images);
    }
    const { store, searchIndex } = await this.activePack();
    const embedder = await this.embedder();
    return indexFiles(files, {
      catalogue: this.catalogue,
      embedder,
      store,
      searchIndex,
      onProgress,
    });
  }

  /** The stored matrix of a photo for the active pack. */
  async matrixOf(photoId: string): Promise<Float32Array> {
    const { pack, store } = await this.activePack();
    const photo = this.catalogue.photoById(photoId);
    if (!photo?.embedding || photo.embedding.pack !== pack.manifest.id) {
      throw new AnytagError(
        'NOT_FOUND',
        `Photo ${photo?.path ?? photoId} has no embedding for pack ${pack.manifest.id}`,
        {
          photo: photoId,
        },
      );
    }
    return store.get(photo.embedding.slot);
  }

  async close(): Promise<void> {
    await this.catalogue.flush();
    await this.active?.store.close();
    await this.session?.release();
    this.active = undefined;
    this.session = undefined;
  }

  private async loadSearchIndex(
    packId: string,
    store: EmbeddingStore,
    index: SearchIndex,
  ): Promise<void> {
    const bySlot = new Map<number, string>();
    for (const photo of this.catalogue.photos()) {
      if (photo.state === 'indexed' && photo.embedding?.pack === packId)
        bySlot.set(photo.embedding.slot, photo.id);
    }
    const free: number[] = [];
    await store.scan((slot, matrix) => {
      const id = bySlot.get(slot);
      if (id === undefined) free.push(slot);
      else if (matrix) index.set(id, matrix);
    });
    store.setFreeSlots(free);
  }
}
