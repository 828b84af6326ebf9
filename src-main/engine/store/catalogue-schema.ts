/** The JSON catalogue's shape, validated on every load; `schemaVersion` drives migrations. */
import { z } from 'zod';

export const CATALOGUE_VERSION = 1;

export const tagSchema = z.object({
  label: z.string(),
  score: z.number(),
  /** true: one of the pack's labels; false: a user label scored through the word table. */
  seen: z.boolean(),
  /** Which principal vector of the embedding matrix matched best. */
  row: z.number().int().nonnegative(),
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
  state: z.enum(['pending', 'indexed', 'error']),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  embedding: z.object({ pack: z.string(), slot: z.number().int().nonnegative() }).optional(),
  tags: z.array(tagSchema),
  /** Pack that produced `tags`, and when. */
  taggedBy: z.object({ pack: z.string(), at: z.string() }).optional(),
});

export const catalogueSchema = z.object({
  schemaVersion: z.literal(CATALOGUE_VERSION),
  settings: z.object({ activePack: z.string().optional() }).passthrough(),
  folders: z.array(z.object({ path: z.string(), addedAt: z.string() })),
  photos: z.array(photoSchema),
});

export type Tag = z.infer<typeof tagSchema>;
export type PhotoRecord = z.infer<typeof photoSchema>;
export type CatalogueData = z.infer<typeof catalogueSchema>;

export function emptyCatalogue(): CatalogueData {
  return { schemaVersion: CATALOGUE_VERSION, settings: {}, folders: [], photos: [] };
}

type Migration = (data: Record<string, unknown>) => Record<string, unknown>;

/** Migrations from version N to N+1, keyed by N. Empty until the schema first changes. */
const MIGRATIONS: Record<number, Migration> = {};

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
