/**
 * The catalogue's read path for photo records: the queries callers use, answered by the photo
 * set (photo-set.ts: records read from the photo table when first asked for, then kept). The
 * Catalogue (catalogue.ts) extends it with the document and every change.
 */
import type { PhotoRecord, PhotoState } from './catalogue-schema.js';
import type { EmbeddingSlot, PhotoSet } from './photo-set.js';

export abstract class CatalogueReads {
  protected constructor(
    /** The photo records (read from the table as asked for). */
    protected readonly set: PhotoSet,
  ) {}

  /**
   * Every photo record, oldest first. The first call reads every record from the table (at a
   * million photos, seconds and about 1.5 GB): prefer the queries below where they serve.
   */
  photos(): readonly PhotoRecord[] {
    return this.set.all();
  }

  /**
   * Reads every photo record in the background, in slices that give the thread back (so the
   * first photos() call does not block for seconds at a million photos). Resolves when done, or
   * when the catalogue closes.
   */
  warmPhotos(): Promise<void> {
    return this.set.warm();
  }

  /**
   * Every live photo with an embedding of this pack, as [id, slot, seq] (no record is read, so a
   * million photos' slots are listed without holding their records).
   */
  embeddingSlots(packId: string): EmbeddingSlot[] {
    return this.set.embeddingSlots(packId);
  }

  /** embeddingSlots(), read in slices that give the thread back (seconds at a million). */
  readEmbeddingSlots(packId: string): Promise<EmbeddingSlot[]> {
    return this.set.embeddingSlotsInSlices(packId);
  }

  /**
   * Every photo record, oldest first, once read without blocking the thread for long (see
   * warmPhotos): for async callers that walk every record.
   */
  async allPhotos(): Promise<readonly PhotoRecord[]> {
    await this.set.warm();
    return this.set.all();
  }

  /** How many photos there are (no record is read). */
  photoCount(): number {
    return this.set.size;
  }

  /** How many photos are in each state (no record is read). */
  photoCountsByState(): ReadonlyMap<PhotoState, number> {
    return this.set.countsByState();
  }

  /** Photos in this state, oldest first (read through the table's state index). */
  photosInState(state: PhotoState): PhotoRecord[] {
    return this.set.inState(state);
  }

  /** Indexed photos without an embedding of this pack, oldest first (the re-embed lane's). */
  photosWithoutEmbedding(packId: string): PhotoRecord[] {
    return this.set.toReembed(packId);
  }

  photoByPath(file: string): PhotoRecord | undefined {
    return this.set.atPath(file);
  }

  photoById(id: string): PhotoRecord | undefined {
    return this.set.byId(id);
  }

  /** Photos with this content hash (copies of one photo, or a photo and its moved file). */
  photosWithHash(hash: string): readonly PhotoRecord[] {
    return this.set.withHash(hash);
  }

  /** Every live photo's content hash (removed photos' not, saved or not); no record read. */
  photoHashes(): Set<string> {
    return this.set.hashes();
  }

  /** Photos whose path lies under `folder`. */
  photosUnder(folder: string): PhotoRecord[] {
    return this.set.under(folder);
  }
}
