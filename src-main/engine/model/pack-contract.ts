/**
 * The model manager's part of the API contract: input schemas, result types and the progress
 * event. api-contract.ts spreads the schemas into its table.
 */
import { z } from 'zod';
import { isReservedId } from '../store/keyed-record.js';

const packId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a pack id: lowercase letters, digits, ".", "_" or "-"')
  .refine((id) => !isReservedId(id), 'a pack id, not a reserved name ("constructor", …)');

export const packInputSchemas = {
  /**
   * Installs a pack from disk: a pack folder, an .onnx file with a pack.json beside it naming
   * it, or an official SDL checkpoint (.pth), converted. `id`/`name` apply to checkpoints.
   */
  importPack: z.strictObject({
    path: z.string().trim().min(1).max(4096),
    id: packId.optional(),
    name: z.string().trim().min(1).max(200).optional(),
  }),
  /** Downloads the authors' SDL checkpoint (resuming a broken download), then converts it. */
  downloadOfficialModel: z.strictObject({
    /** Another address for the same file (a mirror); default: the official one. */
    url: z.url({ protocol: /^https?$/ }).optional(),
  }),
  /** Makes an installed pack the active one; the library re-embeds in the background. */
  usePack: z.strictObject({ id: packId }),
  /** Deletes a pack the user added (never a bundled one, never the active one). */
  removePack: z.strictObject({ id: packId }),
} as const;

export interface InstalledPackResult {
  id: string;
  name: string;
  dir: string;
  k: number;
  d: number;
  labels: number;
  source: string;
}

export interface ImportPackResult {
  pack: InstalledPackResult;
  /** How the pack came: copied (a folder or .onnx + pack.json) or converted (a checkpoint). */
  how: 'copied' | 'converted';
  /** Conversions: time, peak memory (RSS of this process), checkpoint hash, label warnings. */
  conversion?: {
    seconds: number;
    peakRssBytes: number;
    checkpointSha256: string;
    labelWarnings: string[];
  };
}

export interface UsePackResult {
  pack: InstalledPackResult;
  /** Photos queued for re-embedding with the new pack (the lowest-priority queue lane). */
  reembedQueued: number;
}

export interface PackResults {
  importPack: ImportPackResult;
  downloadOfficialModel: ImportPackResult;
  usePack: UsePackResult;
  removePack: { removed: string };
}

/** Progress of a download or conversion (event packProgress). */
export interface PackProgress {
  operation: 'download' | 'import';
  phase:
    | 'downloading'
    | 'reading'
    | 'writing-model'
    | 'writing-labels'
    | 'validating'
    | 'installing'
    | 'done';
  /** downloading: bytes received / expected (null: the server did not say). */
  receivedBytes?: number;
  totalBytes?: number | null;
  /** writing-model: bytes of model.onnx written so far / in all. */
  bytesWritten?: number;
  bytesTotal?: number;
}
