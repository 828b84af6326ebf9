/**
 * The catalogue's JSON document (catalogue.json, one lowdb file written atomically): the library
 * folders, the settings, the vocabulary and the retired photos. Each change marks the document
 * for the next save; `write()` writes it only when marked. The photo records live apart, in the
 * photo table; the Catalogue schedules the saves of both.
 */
import type { Low } from 'lowdb';
import type { CatalogueData, FolderRecord, RetiredPhoto } from './catalogue-schema.js';
import type { VocabularyData } from './vocabulary-schema.js';

/** The fields of a library folder a typed update may set (its path keys it). */
export type FolderPatch = Partial<Omit<FolderRecord, 'path' | 'addedAt'>>;

export class CatalogueDocument {
  /** Changed since the last save. */
  private changed = false;
  /** Retired records taken off the list since it was last compacted (revived or expired). */
  private readonly retiredGone = new Set<RetiredPhoto>();

  constructor(private readonly db: Low<CatalogueData>) {}

  /** The document as read (photo records and embedding generations are the table's). */
  get data(): CatalogueData {
    return this.db.data;
  }

  /** Marks the document for the next save (after an edit made in place, e.g. the vocabulary). */
  markChanged(): void {
    this.changed = true;
  }

  /** The vocabulary's part (labels, thresholds, votes), edited in place by the Vocabulary. */
  get vocabulary(): VocabularyData {
    return this.db.data.vocabulary;
  }

  get activePack(): string | undefined {
    return this.db.data.settings.activePack;
  }

  setActivePack(id: string): void {
    this.db.data.settings.activePack = id;
    this.changed = true;
  }

  setting(name: string): unknown {
    return (this.db.data.settings as Record<string, unknown>)[name];
  }

  setSetting(name: string, value: unknown): void {
    (this.db.data.settings as Record<string, unknown>)[name] = value;
    this.changed = true;
  }

  folders(): readonly FolderRecord[] {
    return this.db.data.folders;
  }

  folder(folder: string): FolderRecord | undefined {
    return this.db.data.folders.find((f) => f.path === folder);
  }

  /** Adds a library folder's record (the caller checked it is not there yet). */
  addFolder(record: FolderRecord): void {
    this.db.data.folders.push(record);
    this.changed = true;
  }

  updateFolder(folder: FolderRecord, patch: FolderPatch): void {
    Object.assign(folder, patch);
    this.changed = true;
  }

  /** Takes a folder off the list; whether it was on it. */
  removeFolder(folder: string): boolean {
    const before = this.db.data.folders.length;
    this.db.data.folders = this.db.data.folders.filter((f) => f.path !== folder);
    this.changed = true;
    return this.db.data.folders.length !== before;
  }

  /** Photos of removed folders, kept a while with their embedding (see retiredPhotoSchema). */
  retiredPhotos(): readonly RetiredPhoto[] {
    this.compactRetired();
    return this.db.data.retired;
  }

  addRetired(record: RetiredPhoto): void {
    this.db.data.retired.push(record);
    this.changed = true;
  }

  /** Takes a record off the retired list (at the next compaction: a save, or the next read). */
  dropRetired(record: RetiredPhoto): void {
    this.retiredGone.add(record);
    this.changed = true;
  }

  /** Drops retired photos' pointers into a pack's embeddings (changed in place). */
  forgetRetiredEmbeddings(packId: string): void {
    for (const photo of this.retiredPhotos()) {
      if (photo.embedding?.pack !== packId) continue;
      photo.embedding = undefined;
      this.changed = true;
    }
  }

  compactRetired(): void {
    if (this.retiredGone.size === 0) return;
    this.db.data.retired = this.db.data.retired.filter((r) => !this.retiredGone.has(r));
    this.retiredGone.clear();
  }

  /** Writes the document if it changed since the last save (it stays marked if that fails). */
  async write(): Promise<void> {
    if (!this.changed) return;
    this.changed = false;
    try {
      await this.db.write();
    } catch (error) {
      this.changed = true;
      throw error;
    }
  }
}
