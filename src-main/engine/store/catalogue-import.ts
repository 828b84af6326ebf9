/**
 * Moves the photo records of a catalogue written before version 5 (when every record lived in
 * catalogue.json) into the photo table, once, and keeps the original file as a backup.
 *
 * Safe to kill at any moment: the backup is written to a temp file and renamed; the records, the
 * embedding file generations and a marker are committed in one SQLite transaction; only then is
 * the JSON document emptied of them (by the caller's atomic write). Killed before the commit, the
 * next open starts over from the untouched file; killed after it, the marker says the records
 * are in the table and the file's copies are dropped instead of imported twice.
 */
import { copyFile, open, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { isNodeError } from '../errors.js';
import type { CatalogueData, PhotoRecord } from './catalogue-schema.js';
import { emptyRecord } from './keyed-record.js';
import type { PhotoTable } from './photo-table.js';

/** Meta key set in the import's transaction; its value describes the import (JSON). */
export const IMPORT_MARKER = 'imported-catalogue-json';
/** The catalogue file as it was before its photos moved into the table (beside catalogue.json). */
export const PRE_TABLE_BACKUP = 'catalogue.before-photo-table.json';

export interface ImportReport {
  /** Records moved into the table (0 when an earlier, interrupted open had moved them). */
  imported: number;
  /** Records dropped because another record held the same path. */
  duplicates: number;
  /** Where the original file was kept. */
  backup: string;
}

/** The document still holds photo records or embedding generations (written before version 5). */
export function holdsLegacyPhotos(doc: CatalogueData): boolean {
  return doc.photos.length > 0 || Object.keys(doc.embeddingFiles).length > 0;
}

/**
 * Moves `doc.photos` and `doc.embeddingFiles` into `table` and empties them in `doc` (the caller
 * then writes the document). `source` is the file `doc` was read from. Returns undefined when
 * the document held nothing to move. `readOnly`: no backup is written (the table is then one in
 * memory, or already holds the records). Throws the file system's or SQLite's error (nothing is
 * lost: the next open tries again).
 */
export async function importLegacyPhotos(
  dataDir: string,
  table: PhotoTable,
  doc: CatalogueData,
  source: string,
  options: { readOnly?: boolean } = {},
): Promise<ImportReport | undefined> {
  if (!holdsLegacyPhotos(doc)) return undefined;
  const generations = Object.entries(doc.embeddingFiles);
  const backup = path.join(dataDir, PRE_TABLE_BACKUP);
  const done = table.meta(IMPORT_MARKER);
  let report: ImportReport;
  if (done !== undefined) {
    report = { imported: 0, duplicates: 0, backup };
  } else {
    if (!options.readOnly) await keepBackup(source, backup);
    const photos = onePerPath(doc.photos);
    report = { imported: photos.length, duplicates: doc.photos.length - photos.length, backup };
    table.apply({
      put: photos,
      remove: [],
      generations: new Map(generations.map(([pack, file]) => [pack, file.generation])),
      meta: { [IMPORT_MARKER]: JSON.stringify({ at: new Date().toISOString(), ...report }) },
    });
  }
  doc.photos = [];
  doc.embeddingFiles = emptyRecord();
  return report;
}

/** One record per path, whatever an older file holds: the better-informed one is kept. */
function onePerPath(photos: readonly PhotoRecord[]): PhotoRecord[] {
  const byPath = new Map<string, PhotoRecord>();
  for (const photo of photos) {
    const twin = byPath.get(photo.path);
    if (!twin || rank(photo) > rank(twin)) byPath.set(photo.path, photo);
  }
  const kept = new Set(byPath.values());
  return photos.filter((photo) => kept.has(photo));
}

function rank(photo: PhotoRecord): number {
  return photo.state === 'indexed' ? 2 : photo.state === 'pending' ? 0 : 1;
}

/** Copies `source` to `backup` durably, all or nothing; an existing backup is kept. */
async function keepBackup(source: string, backup: string): Promise<void> {
  try {
    await stat(backup);
    return;
  } catch (error) {
    if (!isNodeError(error, 'ENOENT')) throw error;
  }
  const temp = `${backup}.tmp-${process.pid}`;
  await copyFile(source, temp);
  const handle = await open(temp, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, backup);
}
