/**
 * The lowdb owner: folders, settings and the photo catalogue in one JSON file, written
 * atomically and debounced so a burst of changes costs one write.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { isInside } from '../paths.js';
import { AtomicJsonFile, type ReadReport } from './atomic-json-file.js';
import {
  emptyCatalogue,
  migrate,
  type CatalogueData,
  type FolderRecord,
  type PhotoRecord,
  type Tag,
} from './catalogue-schema.js';
import type { VocabularyData } from './vocabulary-schema.js';

/**
 * The fields of a photo a typed update may set. Path and hash are not among them: they key the
 * catalogue's lookups and have their own methods (movePhoto, setHash). State changes go through
 * photo-states.ts, which owns the rules between them.
 */
export type PhotoPatch = Partial<Omit<PhotoRecord, 'id' | 'path' | 'hash'>>;

/** The fields of a library folder a typed update may set (its path keys it). */
export type FolderPatch = Partial<Omit<FolderRecord, 'path' | 'addedAt'>>;

export const CATALOGUE_FILE = 'catalogue.json';

/** Changes are written at most this often by default (ms). */
const SAVE_DEBOUNCE_MS = 1000;
/** Waits between saves are at least this many times the last save's duration (saves then take
 *  at most a fifth of the time, however busy indexing is). */
const SAVE_SPACING = 4;

export interface SaveHook {
  before?: Promise<void>;
  after?: () => void;
}

export class Catalogue {
  private readonly byPath = new Map<string, PhotoRecord>();
  private readonly byId = new Map<string, PhotoRecord>();
  private readonly byHash = new Map<string, Set<PhotoRecord>>();
  private saveTimer: NodeJS.Timeout | undefined;
  private pendingSave: Promise<void> = Promise.resolve();
  private saveError: unknown;
  /** Photos removed since the array was last compacted (removal is O(1), compaction batched). */
  private removed = 0;
  private readonly saveListeners = new Set<() => SaveHook>();
  /** Milliseconds the last write took (serialise + fsync + rename). */
  lastSaveMs = 0;

  private constructor(
    private readonly db: Low<CatalogueData>,
    readonly loadReport: ReadReport,
    private readonly debounceMs: number,
  ) {
    for (const photo of db.data.photos) {
      // One record per path, whatever an older file holds: keep the better-informed one.
      const twin = this.byPath.get(photo.path);
      if (twin && rank(twin) >= rank(photo)) {
        this.removed++;
        continue;
      }
      if (twin) {
        this.byId.delete(twin.id);
        this.removed++;
      }
      this.indexPhoto(photo);
    }
  }

  static async open(dataDir: string, options: { debounceMs?: number } = {}): Promise<Catalogue> {
    await mkdir(dataDir, { recursive: true });
    const adapter = new AtomicJsonFile<CatalogueData>(path.join(dataDir, CATALOGUE_FILE), migrate);
    const db = new Low<CatalogueData>(adapter, emptyCatalogue());
    await db.read();
    return new Catalogue(db, adapter.lastRead, options.debounceMs ?? SAVE_DEBOUNCE_MS);
  }

  /** The whole document, to read. Changes go through the typed methods below. */
  get data(): CatalogueData {
    return this.db.data;
  }

  /**
   * The vocabulary's part of the document (labels, thresholds, votes), which the Vocabulary
   * edits in place; it calls vocabularyChanged() after each edit so the change is saved.
   */
  get vocabulary(): VocabularyData {
    return this.db.data.vocabulary;
  }

  vocabularyChanged(): void {
    this.scheduleSave();
  }

  /** Sets fields of a photo record (an undefined value clears the field) and saves. */
  updatePhoto(photo: PhotoRecord, patch: PhotoPatch): void {
    Object.assign(photo, patch);
    this.scheduleSave();
  }

  /** Replaces a photo's tags (and, when given, who tagged it). */
  setTags(photo: PhotoRecord, tags: Tag[], taggedBy?: PhotoRecord['taggedBy']): void {
    photo.tags = tags;
    if (taggedBy) photo.taggedBy = taggedBy;
    this.scheduleSave();
  }

  /** Sets fields of a library folder record and saves. */
  updateFolder(folder: FolderRecord, patch: FolderPatch): void {
    Object.assign(folder, patch);
    this.scheduleSave();
  }

  /** The pack chosen by the user (the engine opens it unless told otherwise). */
  get activePack(): string | undefined {
    return this.db.data.settings.activePack;
  }

  setActivePack(id: string): void {
    this.db.data.settings.activePack = id;
    this.scheduleSave();
  }

  /** A named setting of the app (e.g. the runtime choice), as saved; undefined when unset. */
  setting(name: string): unknown {
    return (this.db.data.settings as Record<string, unknown>)[name];
  }

  setSetting(name: string, value: unknown): void {
    (this.db.data.settings as Record<string, unknown>)[name] = value;
    this.scheduleSave();
  }

  /** The generation of a pack's embeddings file (0: none written yet). */
  embeddingGeneration(packId: string): number {
    return this.db.data.embeddingFiles[packId]?.generation ?? 0;
  }

  setEmbeddingGeneration(packId: string, generation: number): void {
    this.db.data.embeddingFiles[packId] = { generation };
    this.scheduleSave();
  }

  /** Drops every pointer into a pack's embeddings (the pack was removed). */
  forgetPackEmbeddings(packId: string): void {
    for (const photo of this.photos()) {
      if (photo.embedding?.pack === packId) photo.embedding = undefined;
    }
    delete this.db.data.embeddingFiles[packId];
    this.scheduleSave();
  }

  photos(): readonly PhotoRecord[] {
    this.compact();
    return this.db.data.photos;
  }

  photoByPath(file: string): PhotoRecord | undefined {
    return this.byPath.get(file);
  }

  photoById(id: string): PhotoRecord | undefined {
    return this.byId.get(id);
  }

  addPhoto(photo: PhotoRecord): void {
    this.db.data.photos.push(photo);
    this.indexPhoto(photo);
    this.scheduleSave();
  }

  /**
   * Saves after a record was changed in place. The engine uses the typed methods above; this is
   * for tests that set up odd records by hand.
   */
  touched(): void {
    this.scheduleSave();
  }

  /** Photos with this content hash (copies of one photo, or a photo and its moved file). */
  photosWithHash(hash: string): readonly PhotoRecord[] {
    return [...(this.byHash.get(hash) ?? [])];
  }

  /** Sets a photo's content hash, keeping the hash lookup right. */
  setHash(photo: PhotoRecord, hash: string | null): void {
    if (photo.hash === hash) return;
    if (photo.hash) this.byHash.get(photo.hash)?.delete(photo);
    photo.hash = hash;
    if (hash) this.hashPhoto(photo);
    this.scheduleSave();
  }

  removePhoto(photo: PhotoRecord): void {
    if (this.byId.get(photo.id) !== photo) return;
    this.byId.delete(photo.id);
    if (photo.hash) this.byHash.get(photo.hash)?.delete(photo);
    if (this.byPath.get(photo.path) === photo) this.byPath.delete(photo.path);
    this.removed++;
    this.scheduleSave();
  }

  /** Gives a photo a new path (a move or rename): same id, tags and embedding. */
  movePhoto(photo: PhotoRecord, to: string): void {
    if (this.byPath.get(photo.path) === photo) this.byPath.delete(photo.path);
    const there = this.byPath.get(to);
    if (there && there !== photo) this.removePhoto(there);
    photo.path = to;
    this.byPath.set(to, photo);
    this.scheduleSave();
  }

  folders(): readonly FolderRecord[] {
    return this.db.data.folders;
  }

  folder(folder: string): FolderRecord | undefined {
    return this.db.data.folders.find((f) => f.path === folder);
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
      this.db.data.folders.push(record);
      this.scheduleSave();
    }
    return record;
  }

  removeFolder(folder: string): boolean {
    const before = this.db.data.folders.length;
    this.db.data.folders = this.db.data.folders.filter((f) => f.path !== folder);
    this.scheduleSave();
    return this.db.data.folders.length !== before;
  }

  /** Photos whose path lies under `folder`. */
  photosUnder(folder: string): PhotoRecord[] {
    return this.photos().filter((p) => p.path !== folder && isInside(folder, p.path));
  }

  /**
   * `listener` runs as each write starts. The write waits for its `before` (e.g. fsync of the
   * embedding file the catalogue points into); `after` runs once the catalogue is durable (e.g.
   * to recycle the embedding slots freed up to that moment).
   */
  onSave(listener: () => SaveHook): () => void {
    this.saveListeners.add(listener);
    return () => this.saveListeners.delete(listener);
  }

  /** Writes now if anything is waiting; resolves once the data is on disk. */
  async flush(): Promise<void> {
    // A save that failed left its changes only in memory: write them again now.
    if (this.saveTimer || this.saveError !== undefined) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      this.pendingSave = this.pendingSave.then(() => this.write());
    }
    await this.pendingSave;
    // Kept until a save succeeds, so the next flush tries again instead of reporting success.
    if (this.saveError !== undefined) throw this.saveError;
  }

  private scheduleSave(): void {
    if (this.saveTimer) return;
    // A large catalogue takes a while to serialise on this thread: space saves out so they never
    // take more than a fifth of the time, however busy indexing is.
    const delay = Math.max(this.debounceMs, SAVE_SPACING * this.lastSaveMs);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.pendingSave = this.pendingSave.then(() => this.write());
    }, delay);
  }

  /** A failed save is kept for the next flush to report; the data stays in memory and retries. */
  private async write(): Promise<void> {
    this.compact();
    const started = performance.now();
    const hooks = [...this.saveListeners].map((listener) => listener());
    try {
      await Promise.all(hooks.map((hook) => hook.before));
      await this.db.write();
      this.lastSaveMs = performance.now() - started;
      this.saveError = undefined;
      for (const hook of hooks) hook.after?.();
    } catch (error) {
      this.saveError = error;
    }
  }

  private compact(): void {
    if (this.removed === 0) return;
    this.db.data.photos = this.db.data.photos.filter((p) => this.byId.get(p.id) === p);
    this.removed = 0;
  }

  private indexPhoto(photo: PhotoRecord): void {
    this.byPath.set(photo.path, photo);
    this.byId.set(photo.id, photo);
    if (photo.hash) this.hashPhoto(photo);
  }

  private hashPhoto(photo: PhotoRecord): void {
    let set = this.byHash.get(photo.hash!);
    if (!set) this.byHash.set(photo.hash!, (set = new Set()));
    set.add(photo);
  }
}

function rank(photo: PhotoRecord): number {
  return photo.state === 'indexed' ? 2 : photo.state === 'pending' ? 0 : 1;
}
