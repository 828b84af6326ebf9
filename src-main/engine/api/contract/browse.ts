/**
 * The contract's browse area: the gallery's pages of the catalogue, the folder browser and the
 * date browser.
 */
import { z } from 'zod';
import type { FolderTree } from '../../library/folder-tree.js';
import type { PhotoDates } from '../../index/photo-dates.js';
import { filePath, takenPeriod } from './fields.js';
import { PHOTO_STATES, type PhotoSummary } from './photos.js';

/**
 * The gallery's orders (listPhotos `sort`): capture time newest / oldest first, file time newest
 * first, file name, or folder by folder. The first is the default.
 */
export const PHOTO_SORTS = ['taken-desc', 'taken-asc', 'modified', 'name', 'folder'] as const;

export const browseInputSchemas = {
  /** The catalogue page by page, newest taken first (the gallery when nothing is searched). */
  listPhotos: z.strictObject({
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(100_000).default(1000),
    /** Only photos under this folder (absolute path). */
    folder: filePath.optional(),
    /**
     * Only photos taken in this year, month or day (or read and naming no capture date: "none");
     * a file not read yet or unreadable is in no period (index/metadata-filter.ts).
     */
    taken: takenPeriod.optional(),
    /**
     * taken-desc / taken-asc: by capture time, newest / oldest first (the file's time when the
     * photo names none; files not read yet or unreadable have no date and come last in both);
     * modified: by file time, newest first; name: by file name (numbers in
     * order); folder: by full path, folder by folder.
     */
    sort: z.enum(PHOTO_SORTS).default('taken-desc'),
    /** Only photos in this state (error: the unreadable ones, each with its reason). */
    state: z.enum(PHOTO_STATES).optional(),
  }),
  /**
   * The folder browser: each library folder with its sub-folders that hold photos, nested, with
   * photo counts (sub-folders included), offline and unreadable counts, and whether it is online.
   */
  folderTree: z.strictObject({}),
  /**
   * The date browser: photo counts per capture year, month and day, newest first, how many
   * photos read name no capture date, and apart how many have no date at all (unreadable, or
   * not read yet); optionally only under one folder (absolute path).
   */
  photoDates: z.strictObject({ folder: filePath.optional() }),
} as const;

/** The gallery's orders (listPhotos). */
export type PhotoSort = z.output<typeof browseInputSchemas.listPhotos>['sort'];

export interface PhotoPage {
  total: number;
  offset: number;
  photos: PhotoSummary[];
}

/** The browse area's results, by method. */
export interface BrowseMethodResults {
  listPhotos: PhotoPage;
  folderTree: FolderTree;
  photoDates: PhotoDates;
}
