/**
 * The contract's photos area: the photo summary every answer carries, one photo's tags, photos
 * like it, and every label ranked against it.
 */
import { z } from 'zod';
import type { LabelRanking } from '../../index/label-ranking.js';
import type { Tag } from '../../store/catalogue-schema.js';
import type { PhotoMetadataRecord } from '../../store/photo-metadata-schema.js';
import { filePath, text } from './fields.js';

/** A photo's states (PhotoSummary `state`): listPhotos can show one only. */
export const PHOTO_STATES = ['pending', 'indexed', 'error', 'offline'] as const;

export const photoInputSchemas = {
  photoTags: z.strictObject({
    /** A photo id or an absolute path in the catalogue. */
    photo: filePath,
    /** Extra (unseen) labels to score against this photo. */
    labels: z.array(text(100)).max(50).default([]),
  }),
  /**
   * "More like this": the photos nearest one photo by their stored matrices (no model run),
   * best first, the photo itself left out.
   */
  similarPhotos: z.strictObject({
    /** A photo id or an absolute path in the catalogue. */
    photo: text(4096),
    limit: z.number().int().min(1).max(2000).default(50),
  }),
  /**
   * Every seen label of the active pack ranked against one photo, no threshold applied: a
   * catalogued photo's stored matrix, or an image file (absolute path) run through the model now
   * without adding it to the library. `labels`: extra (unseen) labels scored too.
   */
  rankLabels: z.strictObject({
    photo: filePath,
    limit: z.number().int().min(1).max(100_000).optional(),
    labels: z.array(text(100)).max(50).default([]),
  }),
} as const;

export interface PhotoSummary {
  id: string;
  path: string;
  /** offline: its folder is unreachable (e.g. an unplugged drive); tags are kept. */
  state: (typeof PHOTO_STATES)[number];
  width?: number;
  height?: number;
  /** File size in bytes. */
  size?: number;
  /**
   * The gallery's date order key: capture time, else the file's time (ms since 1970); absent for
   * a file not read yet or unreadable (no date: last in both date orders).
   */
  takenMs?: number;
  error?: { code: string; message: string };
  /** Indexed although the file is damaged (a lenient decode showed it): the decoder's reason. */
  damaged?: string;
  /** What the photo says about itself: capture time (and its source), camera, keywords, … */
  meta?: PhotoMetadataRecord;
}

export interface PhotoTagsResult {
  photo: PhotoSummary;
  pack: string;
  /** Seen labels as materialised in the catalogue. */
  tags: Tag[];
  /** The extra labels asked for, scored now (seen: false unless they are pack labels). */
  extra: Tag[];
}

/** The photos area's results, by method. */
export interface PhotoMethodResults {
  photoTags: PhotoTagsResult;
  similarPhotos: { photo: PhotoSummary; hits: (PhotoSummary & { score: number })[] };
  rankLabels: LabelRanking;
}
