/** The contract's packs area: listing, importing, downloading, choosing and removing packs. */
import { z } from 'zod';
import type { ImportPackResult, UsePackResult } from '../../model/pack-results.js';
import type { OfficialDownloadSize } from '../../model/official-download.js';
import { filePath, packId } from './fields.js';

export const packInputSchemas = {
  /** Installed packs: bundled ones first, then those added to the data folder. */
  listPacks: z.strictObject({}),

  /**
   * Installs a pack from disk: a pack folder, an .onnx file with a pack.json beside it naming
   * it, or an official SDL checkpoint (.pth), converted. `id`/`name` apply to checkpoints.
   */
  importPack: z.strictObject({
    path: filePath,
    id: packId.optional(),
    name: z.string().trim().min(1).max(200).optional(),
  }),
  /** Downloads the authors' SDL checkpoint (resuming a broken download), then converts it. */
  downloadOfficialModel: z.strictObject({
    /** Another address for the same file (a mirror); default: the official one. */
    url: z.url({ protocol: /^https?$/ }).optional(),
  }),
  /**
   * What downloading the official model costs before it starts: its size (pinned, or the
   * server's answer; null when unknown) and the bytes an earlier broken download left to resume.
   */
  officialModelDownload: z.strictObject({
    url: z.url({ protocol: /^https?$/ }).optional(),
  }),
  /**
   * Stops the download (or conversion) of the official model in flight: it fails with
   * CANCELLED and leaves nothing (no partial file, no pack). `cancelled`: one was running.
   */
  cancelPackDownload: z.strictObject({}),
  /** Makes an installed pack the active one; the library re-embeds in the background. */
  usePack: z.strictObject({ id: packId }),
  /** Deletes a pack the user added (never a bundled one, never the active one). */
  removePack: z.strictObject({ id: packId }),
} as const;

export interface PackSummary {
  id: string;
  name: string;
  dir: string;
  k: number;
  d: number;
  labels?: number;
  problem?: string;
  /** Shipped with the app (cannot be removed), and whether it is the active pack. */
  bundled?: boolean;
  active?: boolean;
}

/** The packs area's results, by method. */
export interface PackMethodResults {
  importPack: ImportPackResult;
  downloadOfficialModel: ImportPackResult;
  officialModelDownload: OfficialDownloadSize;
  cancelPackDownload: { cancelled: boolean };
  usePack: UsePackResult;
  removePack: { removed: string };
  listPacks: { packs: PackSummary[] };
}
