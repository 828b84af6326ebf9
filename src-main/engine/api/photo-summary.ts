/**
 * A catalogue photo as the API shows it, and the one way a handler finds a photo the caller
 * named by id or by path.
 */
import path from 'node:path';
import { AnytagError } from '../errors.js';
import { takenMs } from '../index/metadata-filter.js';
import type { Catalogue } from '../store/catalogue.js';
import type { PhotoRecord } from '../store/catalogue-schema.js';
import type { PhotoSummary } from './contract.js';

export function photoSummaryOf(photo: PhotoRecord): PhotoSummary {
  const summary: PhotoSummary = { id: photo.id, path: photo.path, state: photo.state };
  if (photo.width !== undefined) summary.width = photo.width;
  if (photo.height !== undefined) summary.height = photo.height;
  if (photo.size) summary.size = photo.size;
  const taken = takenMs(photo);
  if (taken !== undefined) summary.takenMs = taken;
  if (photo.error) summary.error = photo.error;
  if (photo.damaged) summary.damaged = photo.damaged;
  if (photo.meta) summary.meta = photo.meta;
  return summary;
}

/** The photo `ref` names: its id, else its path (resolved against the working folder). */
export function photoOf(catalogue: Catalogue, ref: string): PhotoRecord {
  const photo = catalogue.photoById(ref) ?? catalogue.photoByPath(path.resolve(ref));
  if (!photo)
    throw new AnytagError('NOT_FOUND', `No photo "${ref}" in the catalogue`, { photo: ref });
  return photo;
}
