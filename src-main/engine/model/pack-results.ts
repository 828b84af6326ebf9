/**
 * What the model manager answers: an installed pack, an import's outcome, a switch's outcome, and
 * the progress of a download or conversion. The API contract (api/contract.ts) re-exports these.
 */
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
