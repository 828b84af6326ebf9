/**
 * What the catalogue keeps of a photo's own metadata (image/photo-metadata.ts reads it), and
 * of Anytag's writing it back (library/tag-writer.ts). Units: mm, seconds, degrees (WGS 84).
 */
import { z } from 'zod';

export const CAPTURE_SOURCES = ['original', 'created', 'gps', 'file'] as const;

export const photoMetadataSchema = z.object({
  /** ISO 8601, with the photo's offset when it names one; else local wall-clock time. */
  takenAt: z.string(),
  /** Which field gave takenAt: DateTimeOriginal, CreateDate, the GPS fix, or the file time. */
  takenFrom: z.enum(CAPTURE_SOURCES),
  make: z.string().optional(),
  model: z.string().optional(),
  lens: z.string().optional(),
  focalLength: z.number().optional(),
  exposureTime: z.number().optional(),
  fNumber: z.number().optional(),
  iso: z.number().optional(),
  gps: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
  rating: z.number().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  /** The user's own keywords (from IPTC, XMP, digiKam, Windows; a sidecar's included). */
  keywords: z.array(z.string()),
  /** Keywords found under the "Anytag" parent (what is left of what Anytag wrote). */
  anytagKeywords: z.array(z.string()).optional(),
  /** The XMP sidecar read, and its modification time then (a later one is read again). */
  sidecar: z.string().optional(),
  sidecarMtimeMs: z.number().optional(),
});

export const TAG_WRITE_MODES = ['sidecar', 'embedded'] as const;

/** A library folder's choice to have tags written back (absent: never written). */
export const tagWritingSchema = z.object({
  mode: z.enum(TAG_WRITE_MODES),
  /** Sidecar naming: "full" photo.jpg.xmp (darktable, digiKam), "base" photo.xmp (Lightroom). */
  naming: z.enum(['full', 'base']),
});

/** What Anytag last wrote for a photo, so the next write knows what is its own. */
export const tagsWrittenSchema = z.object({
  /** The file written (the sidecar or the photo itself). */
  target: z.string(),
  /** The Anytag keywords written (under the Anytag parent). */
  keywords: z.array(z.string()),
  /** Flat dc:subject/IPTC entries Anytag added (ones the user already had are not listed). */
  flat: z.array(z.string()),
  /** Anytag keywords the user removed in another tool: never written again. */
  declined: z.array(z.string()).optional(),
  at: z.string(),
});

export const writeErrorSchema = z.object({ code: z.string(), message: z.string(), at: z.string() });

export type PhotoMetadataRecord = z.infer<typeof photoMetadataSchema>;
export type TagWriting = z.infer<typeof tagWritingSchema>;
export type TagsWritten = z.infer<typeof tagsWrittenSchema>;
