/**
 * The API contract: every operation a UI, the CLI or a script can ask of the engine, as input
 * schemas (parsed once at the transport boundary) and result types, plus the event map.
 * Transports are generic over this file; the renderer imports its types only.
 */
import { z } from 'zod';
import type { IndexProgress } from './index/indexer.js';
import type { Tag } from './store/catalogue-schema.js';

const text = (max: number) => z.string().trim().min(1).max(max);

export const apiInputSchemas = {
  status: z.strictObject({}),
  listPacks: z.strictObject({}),
  /** Folders (scanned recursively) or single image files. */
  indexPaths: z.strictObject({ paths: z.array(text(4096)).min(1).max(1000) }),
  search: z.strictObject({
    query: text(500),
    limit: z.number().int().min(1).max(10_000).default(50),
  }),
  photoTags: z.strictObject({
    /** A photo id or an absolute path in the catalogue. */
    photo: text(4096),
    /** Extra (unseen) labels to score against this photo. */
    labels: z.array(text(100)).max(50).default([]),
  }),
} as const;

export type ApiMethod = keyof typeof apiInputSchemas;
export type ApiInput<M extends ApiMethod> = z.input<(typeof apiInputSchemas)[M]>;
export type ApiParsedInput<M extends ApiMethod> = z.output<(typeof apiInputSchemas)[M]>;

export interface PackSummary {
  id: string;
  name: string;
  dir: string;
  k: number;
  d: number;
  labels?: number;
  problem?: string;
}

export interface PhotoSummary {
  id: string;
  path: string;
  state: 'pending' | 'indexed' | 'error';
  width?: number;
  height?: number;
  error?: { code: string; message: string };
}

export interface StatusResult {
  dataDir: string;
  pack: PackSummary | null;
  provider: string | null;
  photos: { total: number; indexed: number; failed: number };
  folders: string[];
}

export interface SearchResult {
  query: string;
  hits: (PhotoSummary & {
    score: number;
    why: { term: string; source: 'seen' | 'word'; score: number; row: number }[];
  })[];
}

export interface PhotoTagsResult {
  photo: PhotoSummary;
  pack: string;
  /** Seen labels as materialised in the catalogue. */
  tags: Tag[];
  /** The extra labels asked for, scored now (seen: false unless they are pack labels). */
  extra: Tag[];
}

export interface ApiResults {
  status: StatusResult;
  listPacks: { packs: PackSummary[] };
  indexPaths: IndexProgress;
  search: SearchResult;
  photoTags: PhotoTagsResult;
}

export interface ApiEvents {
  indexProgress: IndexProgress;
}

export type ApiEventName = keyof ApiEvents;
