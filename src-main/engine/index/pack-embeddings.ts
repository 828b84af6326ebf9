/**
 * One pack's embeddings: the binary store the catalogue's slots point into, and the in-memory
 * search index loaded from it. Keeps the two files consistent across crashes:
 * - a slot a photo gave up is reused only after a catalogue save that no longer points at it;
 * - compaction writes a new generation of the file, and the old one is deleted only after the
 *   catalogue naming the new generation is on disk.
 */
import { readdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AnytagError, isNodeError } from '../errors.js';
import { SerialQueue } from '../serial-queue.js';
import { decodeHalves, encodeHalves } from '../store/float16.js';
import { indexFileFor, loadSearchIndex, saveSearchIndex } from './persisted-index.js';
import { SearchIndex } from './search-index.js';
import type { Catalogue } from '../store/catalogue.js';
import type { PhotoRecord, RetiredPhoto } from '../store/catalogue-schema.js';
import { embeddingDropped, embeddingLost, embeddingStored } from '../store/photo-states.js';
import {
  EmbeddingStore,
  embeddingFilePattern,
  type StoreMismatch,
} from '../store/embedding-store.js';

/** Compact when at least this share of the file's slots is unused, and at least MIN_SLOTS. */
const COMPACT_SHARE = 0.25;
const COMPACT_MIN_SLOTS = 256;

export class PackEmbeddings {
  private readonly queue = new SerialQueue();
  /** The index's `changes` when it was last loaded from or saved to disk. */
  private savedAt: number | undefined;
  private unsubscribe: () => void;

  private constructor(
    private readonly dataDir: string,
    private readonly catalogue: Catalogue,
    readonly packId: string,
    private current: EmbeddingStore,
    readonly searchIndex: SearchIndex,
    /** Photos whose stored matrix was missing or damaged; they need the model again. */
    readonly needEmbedding: PhotoRecord[],
  ) {
    this.unsubscribe = this.hookSaves();
  }

  static async open(
    dataDir: string,
    catalogue: Catalogue,
    packId: string,
    k: number,
    d: number,
    model?: string,
    /** Told, in words, when stored matrices had to be set aside (photos are re-embedded). */
    notify: (message: string) => void = () => undefined,
    /**
     * What of the pack changed since its matrices were stored, in words, when that makes them
     * meaningless (pack-fingerprint.ts: the model, its input or output): the file is set aside,
     * kept, and every photo is re-embedded.
     */
    replaced?: string,
  ): Promise<PackEmbeddings> {
    const at = { dataDir, catalogue, packId, k, d, model, notify };
    const { store, file } = replaced
      ? await setAside(at, replaced)
      : await openCurrent(dataDir, catalogue, packId, k, d, model, notify);
    if (!catalogue.readOnly) await removeOtherGenerations(file, packId);
    // Which photo owns each slot, without reading photo records (a million photos' slots are a
    // list of ids): live photos by their index in `live`, retired ones (of removed folders:
    // they keep their slot but stay out of the search index) after them.
    const live = await catalogue.readEmbeddingSlots(packId);
    const retired = catalogue.retiredPhotos().filter((p) => p.embedding?.pack === packId);
    const ownerAt = new Int32Array(store.slots).fill(-1);
    const lostLive: string[] = [];
    const lostRetired: RetiredPhoto[] = [];
    live.forEach(([id, slot], i) => {
      if (slot >= store.slots || ownerAt[slot] !== -1) lostLive.push(id);
      else {
        ownerAt[slot] = i;
      }
    });
    retired.forEach((photo, j) => {
      const slot = photo.embedding!.slot;
      if (slot >= store.slots || ownerAt[slot] !== -1) lostRetired.push(photo);
      else ownerAt[slot] = live.length + j;
    });
    const free: number[] = [];
    // The index saved beside the file, when it still describes it and these photos exactly;
    // else it is rebuilt from every stored matrix (which also finds damaged records). Retired
    // photos keep their slot but are not in it.
    const expected = {
      count: live.length,
      idOf: (slot: number) => {
        const owner = ownerAt[slot] ?? -1;
        return owner === -1 || owner >= live.length ? undefined : live[owner]![0];
      },
    };
    const intact = lostLive.length === 0 && lostRetired.length === 0;
    let searchIndex = intact ? await loadSearchIndex(file, k, d, expected) : null;
    const saved = searchIndex?.changes;
    if (searchIndex) {
      for (let slot = 0; slot < store.slots; slot++) if (ownerAt[slot] === -1) free.push(slot);
    } else {
      const rebuilt = new SearchIndex(k, d);
      await store.scan((slot, matrix) => {
        const owner = ownerAt[slot]!;
        if (owner === -1) free.push(slot);
        else if (owner >= live.length) {
          if (!matrix) lostRetired.push(retired[owner - live.length]!);
        } else if (!matrix) lostLive.push(live[owner]![0]);
        else rebuilt.set(live[owner]![0], matrix, slot);
      });
      searchIndex = rebuilt;
    }
    store.setFreeSlots(free);
    for (const photo of lostRetired) embeddingDropped(catalogue, photo);
    const needEmbedding = lostLive.flatMap((id) => catalogue.photoById(id) ?? []);
    for (const photo of needEmbedding) embeddingLost(catalogue, photo);
    const embeddings = new PackEmbeddings(
      dataDir,
      catalogue,
      packId,
      store,
      searchIndex,
      needEmbedding,
    );
    embeddings.savedAt = saved;
    return embeddings;
  }

  get store(): EmbeddingStore {
    return this.current;
  }

  /** Stores a photo's matrix (in its own slot when it has one) and updates the search index. */
  put(photo: PhotoRecord, matrix: Float32Array): Promise<void> {
    return this.serial(async () => {
      const own = photo.embedding?.pack === this.packId ? photo.embedding.slot : undefined;
      const slot = await this.current.put(matrix, own);
      embeddingStored(this.catalogue, photo, this.packId, slot);
      // The index holds what the file holds (float16), so it is the same whether it was built
      // during this run, rebuilt from the file or read back from disk (persisted-index.ts).
      this.searchIndex.set(photo.id, decodeHalves(encodeHalves(matrix)), slot);
    });
  }

  /**
   * The photo's stored matrix ([k, d], kd layout; float16 on disk, so within ~1e-3 of what the
   * model gave), or undefined when it has none for this pack. The one place handlers read a
   * photo's matrix back from.
   */
  matrixOf(photo: PhotoRecord): Promise<Float32Array | undefined> {
    return this.serial(async () => {
      if (photo.embedding?.pack !== this.packId) return undefined;
      return this.current.get(photo.embedding.slot);
    });
  }

  /** Forgets a photo's matrix (the photo left the library, or its file became unreadable). */
  drop(photo: PhotoRecord): void {
    if (photo.embedding?.pack === this.packId) this.current.release(photo.embedding.slot);
    embeddingDropped(this.catalogue, photo);
    this.searchIndex.delete(photo.id);
  }

  /** A photo left the library but stays retired: out of search, its slot kept for revival. */
  retire(photo: PhotoRecord): void {
    this.searchIndex.delete(photo.id);
  }

  /**
   * A retired photo came back: its stored matrix returns to the search index, and is returned
   * (undefined when it has none for this pack, e.g. the pack changed since: it is re-embedded).
   */
  revive(photo: PhotoRecord): Promise<Float32Array | undefined> {
    return this.serial(async () => {
      if (photo.embedding?.pack !== this.packId) return undefined;
      const matrix = await this.current.get(photo.embedding.slot).catch(() => undefined);
      if (matrix) this.searchIndex.set(photo.id, matrix, photo.embedding.slot);
      else embeddingLost(this.catalogue, photo);
      return matrix;
    });
  }

  /** A retired photo's grace period is over: its record and its slot go. */
  expire(record: RetiredPhoto): void {
    if (record.embedding?.pack === this.packId) this.current.release(record.embedding.slot);
    this.catalogue.dropRetired(record);
  }

  /** Rewrites the file without unused slots when enough of it is unused; true if it did. */
  compactIfWorthIt(): Promise<boolean> {
    return this.serial(async () => {
      const unused = this.current.unusedSlots;
      if (unused < COMPACT_MIN_SLOTS || unused < this.current.slots * COMPACT_SHARE) return false;
      await this.compact();
      return true;
    });
  }

  /**
   * Saves the search index beside the embedding file when it changed since it was loaded or
   * saved (persisted-index.ts), so the next start reads it instead of rebuilding it. A read-only
   * library writes nothing.
   */
  saveIndex(): Promise<void> {
    return this.serial(async () => {
      if (this.catalogue.readOnly || this.savedAt === this.searchIndex.changes) return;
      await this.current.sync();
      await saveSearchIndex(this.searchIndex, this.current.file);
      this.savedAt = this.searchIndex.changes;
    });
  }

  async close(): Promise<void> {
    await this.saveIndex().catch(() => undefined); // only costs the next start a rebuild
    await this.queue.settled();
    this.unsubscribe();
    await this.current.close();
  }

  private async compact(): Promise<void> {
    // Settle the slots freed so far, so the file and the catalogue agree before copying.
    await this.catalogue.flush();
    const live = [...this.catalogue.photos(), ...this.catalogue.retiredPhotos()]
      .filter((p) => p.embedding?.pack === this.packId)
      .sort((a, b) => a.embedding!.slot - b.embedding!.slot);
    const generation = this.catalogue.embeddingGeneration(this.packId) + 1;
    const file = EmbeddingStore.fileFor(this.dataDir, this.packId, generation);
    const old = this.current;
    const slots = live.map((p) => p.embedding!.slot);
    const next = await old.compactInto(file, this.packId, slots);
    live.forEach((photo, i) => {
      // A photo dropped while the records were copied keeps no matrix; its copy is unused.
      if (photo.embedding?.pack === this.packId && photo.embedding.slot === slots[i]) {
        embeddingStored(this.catalogue, photo, this.packId, i);
        this.searchIndex.moveSlot(photo.id, i);
      } else next.release(i);
    });
    this.catalogue.setEmbeddingGeneration(this.packId, generation);
    this.current = next;
    old.takeReleased();
    await this.catalogue.flush();
    await old.close();
    await unlink(old.file).catch(() => undefined);
    await unlink(indexFileFor(old.file)).catch(() => undefined);
  }

  private hookSaves(): () => void {
    return this.catalogue.onSave(() => {
      const store = this.current;
      const released = store.takeReleased();
      return {
        before: store.sync().catch(() => undefined),
        after: () => {
          if (store === this.current) store.recycle(released);
        },
      };
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    return this.queue.run(work);
  }
}

/**
 * Opens the pack's current embedding file. A file made by another model or shape under the same
 * pack id (an updated pack) holds matrices that no longer mean anything: a new generation starts
 * empty, so every photo is re-embedded, and the old file is removed with the other generations.
 */
async function openCurrent(
  dataDir: string,
  catalogue: Catalogue,
  packId: string,
  k: number,
  d: number,
  model: string | undefined,
  notify: (message: string) => void,
): Promise<{ store: EmbeddingStore; file: string }> {
  const generation = catalogue.embeddingGeneration(packId);
  const file = EmbeddingStore.fileFor(dataDir, packId, generation);
  const readOnly = catalogue.readOnly;
  try {
    return { store: await EmbeddingStore.open(file, packId, k, d, model, { readOnly }), file };
  } catch (error) {
    const mismatch = error instanceof AnytagError ? error.details?.mismatch : undefined;
    if (readOnly || !isMismatch(mismatch)) throw error;
    const affected = catalogue.photos().filter((p) => p.embedding?.pack === packId).length;
    let kept = '';
    if (mismatch === 'foreign') {
      // A damaged header: keep the file for inspection, never read matrices from it again.
      const aside = `${file}.damaged-${Date.now()}`;
      await rename(file, aside);
      kept = `; the damaged file was kept as ${aside}`;
    }
    notify(
      `The embeddings of pack ${packId} (${file}) ${MISMATCH_WORDS[mismatch]}: they were set aside and ${affected} photos will be re-embedded${kept}`,
    );
    return nextGeneration({ dataDir, catalogue, packId, k, d, model, notify });
  }
}

interface StoreAt {
  dataDir: string;
  catalogue: Catalogue;
  packId: string;
  k: number;
  d: number;
  model: string | undefined;
  notify: (message: string) => void;
}

/** Starts the pack's next generation, empty: every photo's stored matrix is lost to it. */
async function nextGeneration(at: StoreAt): Promise<{ store: EmbeddingStore; file: string }> {
  const { dataDir, catalogue, packId } = at;
  const generation = catalogue.embeddingGeneration(packId) + 1;
  const next = EmbeddingStore.fileFor(dataDir, packId, generation);
  await unlink(next).catch(() => undefined);
  const store = await EmbeddingStore.open(next, packId, at.k, at.d, at.model);
  catalogue.setEmbeddingGeneration(packId, generation);
  return { store, file: next };
}

/**
 * The pack changed (`what`, in words) so that its stored matrices mean nothing any more: the
 * current file is renamed aside (`<file>.replaced-<ms>`, kept: never dropped unsaid), the
 * message says so and how many photos are re-embedded, and an empty generation starts.
 */
async function setAside(
  at: StoreAt,
  what: string,
): Promise<{ store: EmbeddingStore; file: string }> {
  const { dataDir, catalogue, packId } = at;
  const file = EmbeddingStore.fileFor(dataDir, packId, catalogue.embeddingGeneration(packId));
  const aside = `${file}.replaced-${Date.now()}`;
  const kept = await rename(file, aside).then(
    () => true,
    (error: unknown) => {
      if (isNodeError(error, 'ENOENT')) return false;
      throw error;
    },
  );
  const affected = catalogue.photos().filter((p) => p.embedding?.pack === packId).length;
  if (kept || affected > 0) {
    at.notify(
      `Pack ${packId} changed since its photos were embedded (${what}): its stored embeddings no longer fit it, so they were set aside and ${affected} photos will be re-embedded` +
        (kept ? `; the old embeddings were kept as ${aside}` : ''),
    );
  }
  return nextGeneration(at);
}

const MISMATCH_WORDS: Record<StoreMismatch, string> = {
  'other-model': "were made by another version of the pack's model",
  'other-shape': "have another shape (K or d) than the pack's output",
  foreign: 'have a damaged header',
};

function isMismatch(value: unknown): value is StoreMismatch {
  return typeof value === 'string' && Object.hasOwn(MISMATCH_WORDS, value);
}

/**
 * Deletes files of this pack's other generations (and their saved search indexes): leftovers of
 * an interrupted compaction.
 */
async function removeOtherGenerations(keep: string, packId: string): Promise<void> {
  const dir = path.dirname(keep);
  const pattern = embeddingFilePattern(packId);
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const file = path.join(dir, name);
    // An embedding file, or the search index saved beside one (persisted-index.ts).
    const store = name.endsWith('.index') ? name.slice(0, -'.index'.length) : name;
    if (pattern.test(store) && path.join(dir, store) !== keep) {
      await unlink(file).catch(() => undefined);
    }
  }
}
