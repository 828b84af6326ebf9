/**
 * The JSON catalogue's shape, validated on every load; `schemaVersion` drives migrations.
 * Since version 5 the photo records and embedding file generations live in the photo table
 * (photo-table.ts, SQLite): a version 5 file keeps `photos` and `embeddingFiles` empty, and those
 * of an older file are moved into the table when it is opened (catalogue-import.ts).
 */
import { z } from 'zod';
import { emptyRecord, keyedRecord } from './keyed-record.js';
import {
  photoMetadataSchema,
  tagsWrittenSchema,
  tagWritingSchema,
  writeErrorSchema,
} from './photo-metadata-schema.js';
import { emptyVocabulary, vocabularySchema } from './vocabulary-schema.js';

export const CATALOGUE_VERSION = 5;

/** `offline`: the file's folder is unreachable (e.g. an unplugged drive); its data is kept. */
export const PHOTO_STATES = ['pending', 'indexed', 'error', 'offline'] as const;

export const tagSchema = z.object({
  label: z.string(),
  score: z.number(),
  /** true: one of the pack's labels; false: a user label scored through the word table. */
  seen: z.boolean(),
  /** Which principal vector of the embedding matrix matched best. */
  row: z.number().int().nonnegative(),
  /** Provenance: the pack that scored it, the label key, and when. */
  pack: z.string().optional(),
  key: z.string().optional(),
  at: z.string().optional(),
  /** Set when a thumbs-up or thumbs-down on this photo decided the tag. */
  vote: z.enum(['up', 'down']).optional(),
  /**
   * The key of a more specific tag of this photo that implies this one (bird ⇒ vertebrate):
   * the tag still tags the photo, and lists show it folded behind that one.
   */
  impliedBy: z.string().optional(),
});

export const photoSchema = z.object({
  id: z.string(),
  path: z.string(),
  size: z.number().nonnegative(),
  mtimeMs: z.number(),
  hash: z.string().nullable(),
  width: z.number().int().nonnegative().optional(),
  height: z.number().int().nonnegative().optional(),
  format: z.string().optional(),
  state: z.enum(PHOTO_STATES),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  embedding: z.object({ pack: z.string(), slot: z.number().int().nonnegative() }).optional(),
  tags: z.array(tagSchema),
  /** Pack that produced `tags`, and when. */
  taggedBy: z.object({ pack: z.string(), at: z.string() }).optional(),
  /** Thumbnail in the cache folder, named by `hash`. */
  thumb: z.boolean().optional(),
  /** The file is damaged (truncated, a bad strip) but a lenient decode showed it: the reason. */
  damaged: z.string().optional(),
  /** What the photo says about itself (absent: not read yet — a library from before v4). */
  meta: photoMetadataSchema.optional(),
  /** What Anytag last wrote back into its sidecar or file. */
  written: tagsWrittenSchema.optional(),
});

/**
 * A photo of a folder the user removed from the library: out of every list, but its record
 * (tags, votes, hash) and its embedding slot are kept for a grace period, so adding the folder
 * back (Undo, or later) revives each file by content hash without running the model again.
 */
export const retiredPhotoSchema = photoSchema.extend({
  /** When its folder was removed (ISO time); it is forgotten a while after. */
  retiredAt: z.string(),
});

export const folderSchema = z.object({
  path: z.string(),
  addedAt: z.string(),
  /** Poll for changes instead of OS events (network drives, some external disks). */
  polling: z.boolean(),
  /** false while the folder is unreachable; its photos are then `offline`. */
  online: z.boolean(),
  lastScanAt: z.string().optional(),
  /**
   * The file system (stat's `dev`) the folder was on when it last held files: an empty folder on
   * another device is a mount point whose drive is gone (offline); on the same device, emptied.
   */
  device: z.number().optional(),
  /** Tags are written back (opt-in per folder). */
  tagWriting: tagWritingSchema.optional(),
  /** Writing failed for the folder (e.g. read-only): not retried until writing is set again. */
  writeError: writeErrorSchema.optional(),
});

/** Per pack: which generation of the embedding file the slots point into (compaction). */
export const embeddingFileSchema = z.object({ generation: z.number().int().nonnegative() });

export const catalogueSchema = z.object({
  schemaVersion: z.literal(CATALOGUE_VERSION),
  settings: z.object({ activePack: z.string().optional() }).passthrough(),
  folders: z.array(folderSchema),
  /** Before version 5: the photo records (now in the photo table; empty in a v5 file). */
  photos: z.array(photoSchema),
  /** Photos of removed folders, kept for a grace period (no schema bump: absent reads as []). */
  retired: z.array(retiredPhotoSchema).default([]),
  /** Before version 5: embedding file generations (now in the photo table). */
  embeddingFiles: keyedRecord(embeddingFileSchema),
  vocabulary: vocabularySchema,
});

export type Tag = z.infer<typeof tagSchema>;
export type PhotoRecord = z.infer<typeof photoSchema>;
export type PhotoState = PhotoRecord['state'];
export type RetiredPhoto = z.infer<typeof retiredPhotoSchema>;
export type FolderRecord = z.infer<typeof folderSchema>;
export type CatalogueData = z.infer<typeof catalogueSchema>;

export function emptyCatalogue(): CatalogueData {
  return {
    schemaVersion: CATALOGUE_VERSION,
    settings: {},
    folders: [],
    photos: [],
    retired: [],
    embeddingFiles: emptyRecord(),
    vocabulary: emptyVocabulary(),
  };
}

type Migration = (data: Record<string, unknown>) => Record<string, unknown>;

/** Migrations from version N to N+1, keyed by N. */
export const MIGRATIONS: Record<number, Migration> = {
  /** 1 → 2: folders gain polling and online status; embedding files gain a generation. */
  1: (data) => ({
    ...data,
    folders: ((data.folders ?? []) as Record<string, unknown>[]).map((folder) => ({
      polling: false,
      online: true,
      ...folder,
    })),
    embeddingFiles: emptyRecord(),
  }),
  /** 2 → 3: the vocabulary (user labels, seen-label changes, thresholds, votes). */
  2: (data) => ({ ...data, vocabulary: emptyVocabulary() }),
  /**
   * 3 → 4: photos gain their own metadata (`meta`). Nothing to convert: a photo without it is
   * read again for metadata only when the library opens (library/metadata-refresh.ts), never
   * through the model.
   */
  3: (data) => data,
  /** 4 → 5: nothing in the document; its photos move into the photo table on open. */
  4: (data) => data,
};

export function migrate(json: unknown): CatalogueData {
  let data = json as Record<string, unknown>;
  if (typeof data !== 'object' || data === null)
    throw new Error('the catalogue is not a JSON object');
  let version = typeof data.schemaVersion === 'number' ? data.schemaVersion : 0;
  if (version > CATALOGUE_VERSION) {
    throw new Error(
      `schemaVersion ${version} is newer than this Anytag understands (${CATALOGUE_VERSION})`,
    );
  }
  while (version < CATALOGUE_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`no migration from schemaVersion ${version}`);
    data = { ...step(data), schemaVersion: version + 1 };
    version += 1;
  }
  return catalogueSchema.parse(data);
}
