/**
 * The one dating rule of a photo record (index/metadata-filter.ts describes it; the filters, the
 * date browser and the gallery orders use it): whether its file was read, when it was taken, and
 * the capture day it names. Here, beside the records, because the photo table keeps the gallery's
 * sort and scope keys derived from it as columns (photo-rows.ts orderValues).
 */
import type { PhotoRecord } from './catalogue-schema.js';

/**
 * Whether the app has read the photo's file, so its dates are known: indexed, or read before and
 * kept (its matrix stays) while the file waits to be read again or its folder is offline. False
 * for a file not read yet and for an unreadable one (its record carries the error).
 */
export function hasBeenRead(photo: PhotoRecord): boolean {
  return !photo.error && (photo.state === 'indexed' || photo.embedding !== undefined);
}

/**
 * When a photo was taken (ms since 1970): its capture time, else its file's modification time;
 * undefined when the photo has no date (not read yet, or unreadable: see hasBeenRead).
 */
export function takenMs(photo: PhotoRecord): number | undefined {
  if (!hasBeenRead(photo)) return undefined;
  const ms = photo.meta ? Date.parse(photo.meta.takenAt) : NaN;
  return Number.isNaN(ms) ? photo.mtimeMs : ms;
}

/**
 * The day a photo was taken as it wrote it (YYYY-MM-DD: the wall-clock date where it was taken,
 * not shifted to UTC), or null when it names no capture date (its metadata unread yet, or only
 * its file time known). The date browser counts by this, and `taken:` filters by it, so a year's
 * or month's count is what clicking it shows.
 */
export function captureDay(photo: PhotoRecord): string | null {
  const meta = photo.meta;
  if (!meta || meta.takenFrom === 'file') return null;
  const day = /^\d{4}-\d{2}-\d{2}/.exec(meta.takenAt);
  return day ? day[0] : null;
}
