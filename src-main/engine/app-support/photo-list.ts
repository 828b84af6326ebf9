/**
 * `listPhotos`: the catalogue page by page for the gallery when nothing is searched — newest
 * file first, optionally one folder's photos only.
 */
import { z } from 'zod';
import type { PhotoSummary } from '../api-contract.js';
import type { Catalogue } from '../store/catalogue.js';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import { isInside } from './media-access.js';

export const listPhotosInput = z.strictObject({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(100_000).default(1000),
  /** Only photos under this folder (absolute path). */
  folder: z.string().trim().min(1).max(4096).optional(),
});

export interface PhotoPage {
  total: number;
  offset: number;
  photos: PhotoSummary[];
}

export function listPhotos(
  catalogue: Catalogue,
  input: z.output<typeof listPhotosInput>,
  summaryOf: (photo: PhotoRecord) => PhotoSummary,
): PhotoPage {
  const { folder } = input;
  const chosen = folder
    ? catalogue.photos().filter((p) => isInside(folder, p.path))
    : [...catalogue.photos()];
  chosen.sort((a, b) => b.mtimeMs - a.mtimeMs || a.path.localeCompare(b.path));
  return {
    total: chosen.length,
    offset: input.offset,
    photos: chosen.slice(input.offset, input.offset + input.limit).map(summaryOf),
  };
}
