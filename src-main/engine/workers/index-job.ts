/** What indexing one file yields: the messages between the queue and its runners. */
import type { ErrorShape } from '../errors.js';
import type { PhotoMetadata } from '../image/photo-metadata.js';

/** The file as it was stat-ed before reading; a later change shows up as a new size or mtime. */
export interface FileFacts {
  file: string;
  size: number;
  mtimeMs: number;
  /** sha256 of the bytes read, or null when the file could not be read. */
  hash: string | null;
}

export type IndexJobResult =
  | (FileFacts & {
      ok: true;
      /** [k, d] in "kd" layout. */
      matrix: Float32Array;
      width: number;
      height: number;
      format: string;
      /** A thumbnail named by the hash was written to (or already was in) the cache. */
      thumb: boolean;
      /** The file is damaged but a lenient decode showed it: the decoder's reason. */
      damaged?: string;
      /** What the file and its XMP sidecar say (capture time, camera, keywords, …). */
      metadata?: PhotoMetadata;
    })
  | (FileFacts & { ok: false; error: ErrorShape });

export interface RunnerOptions {
  /** Where thumbnails go (named by content hash); none are made when absent. */
  thumbDir?: string;
  /** Longer side of a thumbnail in pixels. */
  thumbSize?: number;
  /**
   * At most this many photos read and decoding at once (default: no limit). Indexing workers
   * use DECODE_SLOTS, so memory stays flat however many batches are in flight.
   */
  decodeSlots?: number;
}

/** Something that turns files into index results: in this thread, or in worker threads. */
export interface IndexRunner {
  readonly provider: string;
  /** Batches worth keeping in flight so decoding overlaps inference. */
  readonly parallelBatches: number;
  run(files: readonly string[]): Promise<IndexJobResult[]>;
  close(): Promise<void>;
}
