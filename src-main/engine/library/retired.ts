/**
 * Photos of removed folders, waiting to come back. Removing a folder retires its indexed photos
 * — record, tags, votes and embedding slot kept — for a grace period; a file found later with
 * the same size and content hash (sha256) revives its photo with the same id and tags, its
 * matrix read back from the embedding store, so adding a folder back (Undo, or weeks later)
 * runs the model on no content it already knows. After the grace period they are forgotten.
 */
import type { PackEmbeddings } from '../index/pack-embeddings.js';
import type { Catalogue } from '../store/catalogue.js';
import type { PhotoRecord, RetiredPhoto } from '../store/catalogue-schema.js';
import { photoRetired, photoRevived, type FileFacts } from '../store/photo-states.js';
import { sameContent } from './same-content.js';

/** How long a removed folder's photos are kept for revival, by default: 30 days (ms). */
export const RETIRED_MS = 30 * 24 * 60 * 60 * 1000;

export class RetiredPhotos {
  /** Retired records by file size (bytes), built when first needed. */
  private bySize: Map<number, RetiredPhoto[]> | null = null;

  constructor(
    private readonly catalogue: Catalogue,
    private readonly embeddings: PackEmbeddings,
    private readonly graceMs = RETIRED_MS,
  ) {}

  /** Whether a photo is worth keeping: it has content identity and a stored matrix. */
  keeps(photo: PhotoRecord): boolean {
    return photo.hash !== null && photo.embedding !== undefined;
  }

  /** Takes a photo out of the library, keeping its record and matrix for revival. */
  retire(photo: PhotoRecord): void {
    this.embeddings.retire(photo);
    const record = photoRetired(this.catalogue, photo);
    if (this.bySize) this.index(this.bySize, record);
  }

  /**
   * The retired photo whose content `file` holds, brought back at that path with its matrix in
   * the search index; undefined when none matches (the file is then new to the library).
   * `matrix` is undefined when the photo must be embedded again (another pack is active now).
   */
  async revive(
    file: string,
    facts: FileFacts,
  ): Promise<{ photo: PhotoRecord; matrix: Float32Array | undefined } | undefined> {
    const candidates = this.withSize(facts.size);
    if (candidates.length === 0) return undefined;
    const record = await sameContent(file, candidates);
    // Claimed meanwhile by another file with the same content (a copy): not twice.
    const list = this.withSize(facts.size);
    const at = record ? list.indexOf(record) : -1;
    if (!record || at < 0) return undefined;
    list.splice(at, 1);
    const photo = photoRevived(this.catalogue, record, file, facts);
    return { photo, matrix: await this.embeddings.revive(photo) };
  }

  /** Forgets records retired longer than the grace period ago (their slots are freed). */
  expire(now = Date.now()): number {
    const expired = this.catalogue
      .retiredPhotos()
      .filter((record) => now - Date.parse(record.retiredAt) > this.graceMs);
    for (const record of expired) this.embeddings.expire(record);
    if (expired.length > 0) this.bySize = null;
    return expired.length;
  }

  /** Content hashes of the retired photos (their thumbnails are kept). */
  hashes(): string[] {
    return this.catalogue.retiredPhotos().flatMap((record) => (record.hash ? [record.hash] : []));
  }

  private withSize(size: number): RetiredPhoto[] {
    if (!this.bySize) {
      const bySize = new Map<number, RetiredPhoto[]>();
      for (const record of this.catalogue.retiredPhotos()) this.index(bySize, record);
      this.bySize = bySize;
    }
    return this.bySize.get(size) ?? [];
  }

  private index(bySize: Map<number, RetiredPhoto[]>, record: RetiredPhoto): void {
    const list = bySize.get(record.size);
    if (list) list.push(record);
    else bySize.set(record.size, [record]);
  }
}
