/**
 * The lowdb owner: folders, settings and the photo catalogue in one JSON file, written
 * atomically and debounced so a burst of changes costs one write.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { AtomicJsonFile, type ReadReport } from './atomic-json-file.js';
import {
  emptyCatalogue,
  migrate,
  type CatalogueData,
  type PhotoRecord,
} from './catalogue-schema.js';

export const CATALOGUE_FILE = 'catalogue.json';

export class Catalogue {
  private readonly byPath = new Map<string, PhotoRecord>();
  private readonly byId = new Map<string, PhotoRecord>();
  private saveTimer: NodeJS.Timeout | undefined;
  private pendingSave: Promise<void> = Promise.resolve();
  private saveError: unknown;

  private constructor(
    private readonly db: Low<CatalogueData>,
    readonly loadReport: ReadReport,
    private readonly debounceMs: number,
  ) {
    for (const photo of db.data.photos) this.indexPhoto(photo);
  }

  static async open(dataDir: string, options: { debounceMs?: number } = {}): Promise<Catalogue> {
    await mkdir(dataDir, { recursive: true });
    const adapter = new AtomicJsonFile<CatalogueData>(path.join(dataDir, CATALOGUE_FILE), migrate);
    const db = new Low<CatalogueData>(adapter, emptyCatalogue());
    await db.read();
    return new Catalogue(db, adapter.lastRead, options.debounceMs ?? 1000);
  }

  get data(): CatalogueData {
    return this.db.data;
  }

  photos(): readonly PhotoRecord[] {
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

  /** Call after mutating a record in place, so the change is saved. */
  touched(): void {
    this.scheduleSave();
  }

  addFolder(folder: string): void {
    if (!this.db.data.folders.some((f) => f.path === folder)) {
      this.db.data.folders.push({ path: folder, addedAt: new Date().toISOString() });
      this.scheduleSave();
    }
  }

  /** Writes now if anything is waiting; resolves once the data is on disk. */
  async flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      this.pendingSave = this.pendingSave.then(() => this.write());
    }
    await this.pendingSave;
    if (this.saveError !== undefined) {
      const error = this.saveError;
      this.saveError = undefined;
      throw error;
    }
  }

  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.pendingSave = this.pendingSave.then(() => this.write());
    }, this.debounceMs);
  }

  /** A failed save is kept for the next flush to report; the data stays in memory and retries. */
  private async write(): Promise<void> {
    try {
      await this.db.write();
    } catch (error) {
      this.saveError = error;
    }
  }

  private indexPhoto(photo: PhotoRecord): void {
    this.byPath.set(photo.path, photo);
    this.byId.set(photo.id, photo);
  }
}
