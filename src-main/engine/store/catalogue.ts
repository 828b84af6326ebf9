/**
 * The catalogue: folders, settings and the vocabulary in one lowdb JSON file (small, written
 * atomically; catalogue-document.ts), and the photo records in the photo table (SQLite,
 * photo-table.ts), where a save writes only the records changed since the last one. Both are
 * saved debounced, so a burst of changes costs one write (catalogue-saves.ts). `flush()` is the
 * durability point: the API awaits it before acknowledging a change, and changes made while a
 * write runs share the next one (group commit). Records are read from the table when first
 * asked for and then kept in memory (photo-set.ts): opening reads none. A record changes only
 * through the typed methods below, which mark it for the next save. A catalogue opened
 * read-only never writes.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { AtomicJsonFile, type ReadReport } from './atomic-json-file.js';
import { CatalogueDocument, type FolderPatch } from './catalogue-document.js';
import { CatalogueSaves, SAVE_DEBOUNCE_MS, type SaveHook } from './catalogue-saves.js';
import {
  IMPORT_MARKER,
  holdsLegacyPhotos,
  importLegacyPhotos,
  type ImportReport,
} from './catalogue-import.js';
import { emptyRecord } from './keyed-record.js';
import { CatalogueReads } from './catalogue-reads.js';
import { PhotoSet } from './photo-set.js';
import { PhotoWrites } from './photo-writes.js';
import { PhotoTable } from './photo-table.js';
import type { PhotoOrder } from './photo-order.js';
import {
  emptyCatalogue,
  migrate,
  type CatalogueData,
  type FolderRecord,
  type PhotoRecord,
  type RetiredPhoto,
  type Tag,
} from './catalogue-schema.js';
import type { VocabularyData } from './vocabulary-schema.js';

/**
 * The fields of a photo a typed update may set. Path and hash are not among them: they key the
 * catalogue's lookups and have their own methods (movePhoto, setHash). State changes go through
 * photo-states.ts, which owns the rules between them.
 */
export type PhotoPatch = Partial<Omit<PhotoRecord, 'id' | 'path' | 'hash'>>;

export type { FolderPatch } from './catalogue-document.js';

export const CATALOGUE_FILE = 'catalogue.json';
export { PHOTO_TABLE_FILE } from './photo-table.js';

export type { SaveHook } from './catalogue-saves.js';

export class Catalogue extends CatalogueReads {
  /** When changes are written (debounced, spaced, group commit; catalogue-saves.ts). */
  private readonly saves: CatalogueSaves;
  /** Folders, settings, vocabulary and retired photos: the JSON document. */
  private readonly document: CatalogueDocument;

  /** Milliseconds the last write took (serialise + fsync + rename). */
  get lastSaveMs(): number {
    return this.saves.lastSaveMs;
  }

  /** Photo records the last write wrote or deleted (a save costs O(changed records)). */
  get lastSaveRecords(): number {
    return this.writes.lastSaveRecords;
  }
  /** Photo records changed and removed since the last save, and the save of them. */
  private readonly writes: PhotoWrites;
  /** Embedding file generation by pack (as saved plus changes); null: the pack was forgotten. */
  private readonly generations: Map<string, number>;
  /** Bumped by every change to the photo records (see photoChanges). */
  private photoRevision = 0;

  private constructor(
    db: Low<CatalogueData>,
    private readonly table: PhotoTable,
    readonly loadReport: ReadReport & { imported?: ImportReport },
    debounceMs: number,
    /** Opened read-only (another process writes, or the folder is not writable): never saves. */
    readonly readOnly: boolean,
  ) {
    super(new PhotoSet(table));
    this.document = new CatalogueDocument(db);
    this.saves = new CatalogueSaves(
      { prepare: () => this.document.compactRetired(), write: () => this.writeChanges() },
      debounceMs,
      readOnly,
    );
    this.writes = new PhotoWrites(table, this.set);
    // The writer thread starts now, so the first acknowledged change does not wait for it.
    if (!readOnly) table.prepareWrite();
    this.generations = table.generations();
  }

  /**
   * Opens the catalogue of a data folder (creating it when missing). A catalogue written before
   * version 5 has its photo records moved into the photo table first (loadReport.imported says
   * so), its original file kept beside it. Read-only, nothing is written: such records are read
   * into a table in memory instead. Throws STORE_CORRUPT when catalogue.json and its backup are
   * unreadable, or the error of a photo table it cannot open.
   */
  static async open(
    dataDir: string,
    options: { debounceMs?: number; readOnly?: boolean } = {},
  ): Promise<Catalogue> {
    const readOnly = options.readOnly ?? false;
    if (!readOnly) await mkdir(dataDir, { recursive: true });
    const adapter = new AtomicJsonFile<CatalogueData>(path.join(dataDir, CATALOGUE_FILE), migrate, {
      readOnly,
    });
    const db = new Low<CatalogueData>(adapter, emptyCatalogue());
    await db.read();
    const report: ReadReport & { imported?: ImportReport } = { ...adapter.lastRead };
    let table = PhotoTable.open(dataDir, { readOnly });
    try {
      if (table.readOnly && holdsLegacyPhotos(db.data) && !table.meta(IMPORT_MARKER)) {
        // Records not moved into the table yet, which cannot be written: read them into memory.
        await table.close();
        table = PhotoTable.inMemory();
      }
      const source = report.recoveredFrom ?? adapter.file;
      const imported = await importLegacyPhotos(dataDir, table, db.data, source, { readOnly });
      if (imported) {
        report.imported = imported;
        if (!readOnly) await db.write();
      }
      const debounceMs = options.debounceMs ?? SAVE_DEBOUNCE_MS;
      return new Catalogue(db, table, report, debounceMs, readOnly);
    } catch (error) {
      await table.close();
      throw error;
    }
  }

  /**
   * The whole catalogue, to read: the document with the photo records and embedding file
   * generations filled in. Changes go through the typed methods below.
   */
  get data(): CatalogueData {
    return {
      ...this.document.data,
      photos: this.photos() as PhotoRecord[],
      embeddingFiles: Object.assign(
        emptyRecord<{ generation: number }>(),
        Object.fromEntries(
          [...this.generations].map(([pack, generation]) => [pack, { generation }]),
        ),
      ),
    };
  }

  /**
   * The vocabulary's part of the document (labels, thresholds, votes), which the Vocabulary
   * edits in place; it calls vocabularyChanged() after each edit so the change is saved.
   */
  get vocabulary(): VocabularyData {
    return this.document.vocabulary;
  }

  vocabularyChanged(): void {
    this.document.markChanged();
    this.scheduleSave();
  }

  /**
   * Bumped by every change to the photo records through this class (added, changed, tagged,
   * moved, rehashed, removed, touched): a lookup derived from the records (e.g. the keyword
   * index of api/keyword-holders.ts) is current while this number is unchanged.
   */
  get photoChanges(): number {
    return this.photoRevision;
  }

  /** Sets fields of a photo record (an undefined value clears the field) and saves. */
  updatePhoto(photo: PhotoRecord, patch: PhotoPatch): void {
    if (patch.state !== undefined) this.set.changeState(photo, patch.state);
    Object.assign(photo, patch);
    this.photoChanged(photo);
  }

  /** Replaces a photo's tags (and, when given, who tagged it). */
  setTags(photo: PhotoRecord, tags: Tag[], taggedBy?: PhotoRecord['taggedBy']): void {
    photo.tags = tags;
    if (taggedBy) photo.taggedBy = taggedBy;
    this.photoChanged(photo);
  }

  /** Sets fields of a library folder record and saves. */
  updateFolder(folder: FolderRecord, patch: FolderPatch): void {
    this.document.updateFolder(folder, patch);
    this.scheduleSave();
  }

  /** The pack chosen by the user (the engine opens it unless told otherwise). */
  get activePack(): string | undefined {
    return this.document.activePack;
  }

  setActivePack(id: string): void {
    this.document.setActivePack(id);
    this.scheduleSave();
  }

  /** A named setting of the app (e.g. the runtime choice), as saved; undefined when unset. */
  setting(name: string): unknown {
    return this.document.setting(name);
  }

  setSetting(name: string, value: unknown): void {
    this.document.setSetting(name, value);
    this.scheduleSave();
  }

  /** The generation of a pack's embeddings file (0: none written yet). */
  embeddingGeneration(packId: string): number {
    return this.generations.get(packId) ?? 0;
  }

  /** Saved in the same transaction as the photo records changed with it (a compaction's). */
  setEmbeddingGeneration(packId: string, generation: number): void {
    this.generations.set(packId, generation);
    this.writes.changedGeneration(packId, generation);
    this.scheduleSave();
  }

  /** Drops every pointer into a pack's embeddings (the pack was removed). */
  forgetPackEmbeddings(packId: string): void {
    // (Found through the table's slots: no record without this pack's embedding is read.)
    for (const [id] of this.set.embeddingSlots(packId)) {
      const photo = this.set.byId(id);
      if (photo) this.updatePhoto(photo, { embedding: undefined });
    }
    // Retired photos stay in the catalogue file: their records are changed in place.
    this.document.forgetRetiredEmbeddings(packId);
    this.generations.delete(packId);
    this.writes.changedGeneration(packId, null);
    this.scheduleSave();
  }

  addPhoto(photo: PhotoRecord): void {
    this.set.add(photo);
    this.photoChanged(photo);
  }

  /**
   * Saves after records were changed in place: the document and every photo record (O(all
   * records)). The engine uses the typed methods above; this is for tests that set up odd
   * records by hand.
   */
  touched(): void {
    this.photoRevision++;
    this.set.recount();
    for (const photo of this.set.keptRecords()) this.writes.changedRecord(photo);
    this.document.markChanged();
    this.scheduleSave();
  }

  /** Sets a photo's content hash, keeping the hash lookup right. */
  setHash(photo: PhotoRecord, hash: string | null): void {
    if (photo.hash === hash) return;
    this.set.rehash(photo, hash);
    this.photoChanged(photo);
  }

  removePhoto(photo: PhotoRecord): void {
    if (!this.set.isLive(photo)) return;
    // Its tags are read now, while its row holds them (the record may still be shown or kept).
    void photo.tags;
    this.photoRevision++;
    this.set.remove(photo);
    this.writes.removedRecord(photo);
    this.scheduleSave();
  }

  /** Gives a photo a new path (a move or rename): same id, tags and embedding. */
  movePhoto(photo: PhotoRecord, to: string): void {
    // Read its tags while its row holds them: the row may be replaced when the move is saved.
    void photo.tags;
    const there = this.set.atPath(to);
    if (there && there !== photo) this.removePhoto(there);
    this.set.move(photo, to);
    this.photoChanged(photo);
  }

  /** Photos of removed folders, kept a while with their embedding (see retiredPhotoSchema). */
  retiredPhotos(): readonly RetiredPhoto[] {
    return this.document.retiredPhotos();
  }

  /** Takes a photo out of the library onto the retired list: a copy of its record, stamped. */
  retirePhoto(photo: PhotoRecord, at = new Date().toISOString()): RetiredPhoto {
    this.removePhoto(photo);
    const record: RetiredPhoto = { ...photo, retiredAt: at };
    this.document.addRetired(record); // the retired list lives in the JSON document, not the table
    return record;
  }

  /** Takes a record off the retired list (revived, or its grace period is over). */
  dropRetired(record: RetiredPhoto): void {
    this.document.dropRetired(record);
    this.scheduleSave();
  }

  folders(): readonly FolderRecord[] {
    return this.document.folders();
  }

  folder(folder: string): FolderRecord | undefined {
    return this.document.folder(folder);
  }

  /** Adds a library folder (once); returns its record. */
  addFolder(folder: string, options: { polling?: boolean } = {}): FolderRecord {
    let record = this.folder(folder);
    if (!record) {
      record = {
        path: folder,
        addedAt: new Date().toISOString(),
        polling: options.polling ?? false,
        online: true,
      };
      this.document.addFolder(record);
      this.scheduleSave();
    }
    return record;
  }

  removeFolder(folder: string): boolean {
    const removed = this.document.removeFolder(folder);
    this.scheduleSave();
    return removed;
  }

  /**
   * `listener` runs as each write starts. The write waits for its `before` (e.g. fsync of the
   * embedding file the catalogue points into); `after` runs once the catalogue is durable (e.g.
   * to recycle the embedding slots freed up to that moment).
   */
  onSave(listener: () => SaveHook): () => void {
    return this.saves.onSave(listener);
  }

  /**
   * Writes now if anything is waiting; resolves once every change made before the call is on
   * disk (fsynced), or throws the write's error (ENOSPC, EROFS, …). Read-only: nothing to do.
   */
  async flush(): Promise<void> {
    await this.saves.flush();
  }

  /**
   * The photo table's sorted and scoped queries (photo-order.ts: gallery pages, date counts;
   * no record read), once every change made so far is saved there, so they answer for the
   * records as they are. Undefined when the changes cannot be saved (the table would be behind),
   * or the table, read-only at an older layout, has no sort columns: callers read the records.
   */
  async savedOrder(): Promise<PhotoOrder | undefined> {
    try {
      await this.flush();
    } catch {
      return undefined;
    }
    return this.table.order;
  }

  /** Saves what is waiting and closes the photo table; the catalogue is unusable after. */
  async close(): Promise<void> {
    this.set.stop();
    try {
      await this.flush();
    } finally {
      await this.table.close();
    }
  }

  private photoChanged(photo: PhotoRecord): void {
    this.photoRevision++;
    // A record removed meanwhile (e.g. indexing finished after its file left) stays removed.
    if (!this.set.isLive(photo)) return;
    this.writes.changedRecord(photo);
    this.scheduleSave();
  }

  private scheduleSave(): void {
    this.saves.schedule();
  }

  /** One write: the changed photo records, then the document if it changed. */
  private async writeChanges(): Promise<void> {
    await this.writes.save();
    await this.document.write();
  }
}
