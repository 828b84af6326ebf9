/**
 * The indexing pipeline for a batch of files, the same in a worker thread or in-process:
 * read (once) → hash → decode to model input + thumbnail, and metadata (from the same bytes and
 * the sidecar) → model (one run per batch).
 * Model runs are serialised; decoding is not, so the next batch decodes while one runs.
 * A file that fails becomes a result with its reason; it never fails the batch.
 */
import { webcrypto } from 'node:crypto';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { AnytagError, toErrorShape } from '../errors.js';
import { SerialQueue } from '../serial-queue.js';
import {
  decodeImage,
  readEmbeddedBlocks,
  toImageError,
  type DecodeResult,
} from '../image/decode.js';
import { photoMetadataOf, type PhotoMetadata } from '../image/photo-metadata.js';
import { thumbnailPath } from '../image/thumbnails.js';
import { Embedder } from './embedder.js';
import type { ModelPack } from '../model/pack.js';
import { clearPixelRows } from '../model/pixel-rows.js';
import type { ModelSession } from '../model/session.js';
import type { FileFacts, IndexJobResult, RunnerOptions } from './index-job.js';
import { Slots } from './slots.js';

/** No camera writes a photo this large; anything bigger is refused before it is read. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

type Decoded =
  { facts: FileFacts; decoded: DecodeResult; metadata: PhotoMetadata } | IndexJobResult;

/**
 * Photos read and decoding at once in an indexing worker: one more than the cores, so a core
 * never waits on a read, while a batch's eight 5 MB files are not all held at once (peak memory).
 */
export const DECODE_SLOTS = availableParallelism() + 1;

/**
 * Read buffers are kept for the next files (up to one per decode slot, none larger than this):
 * a camera JPEG is 4–5 MB, and a new buffer per photo is hundreds of MB of garbage a run for
 * the GC, and as many page faults.
 */
const MAX_KEPT_BUFFER = 64 << 20;
/** Read buffers grow in steps of this, so photos of about one size share them. */
const BUFFER_STEP = 1 << 20;

export class IndexPipeline {
  private readonly embedder: Embedder;
  private readonly slots: Slots | undefined;
  private readonly modelQueue = new SerialQueue();
  /** Read buffers free for reuse (see MAX_KEPT_BUFFER). */
  private readonly spareBuffers: Buffer[] = [];

  constructor(
    readonly pack: ModelPack,
    readonly session: ModelSession,
    private readonly options: RunnerOptions = {},
  ) {
    this.embedder = new Embedder(pack, session);
    this.slots = options.decodeSlots ? new Slots(options.decodeSlots) : undefined;
  }

  async run(files: readonly string[]): Promise<IndexJobResult[]> {
    const decoded = await Promise.all(
      files.map((file) =>
        this.slots ? this.slots.hold(() => this.prepare(file)) : this.prepare(file),
      ),
    );
    const good = decoded.filter(
      (d): d is Extract<Decoded, { decoded: DecodeResult }> => 'decoded' in d,
    );
    let matrices: Float32Array[] = [];
    if (good.length > 0) {
      try {
        matrices = await this.serialModel(() =>
          this.embedder.run(good.map((g) => g.decoded.model.rgb)),
        );
      } catch (error) {
        const shape = toErrorShape(error);
        return decoded.map((d) => ('decoded' in d ? { ...d.facts, ok: false, error: shape } : d));
      }
    }
    let next = 0;
    return Promise.all(
      decoded.map(async (d): Promise<IndexJobResult> => {
        if (!('decoded' in d)) return d;
        const { model, thumbnail, damaged } = d.decoded;
        // A damaged decode is partly fill: the pack's pixel-statistics rows would describe it.
        const raw = matrices[next++]!;
        const matrix = damaged ? clearPixelRows(raw, this.pack.manifest.output) : raw;
        const thumb = thumbnail ? await this.saveThumbnail(d.facts.hash!, thumbnail) : false;
        return {
          ...d.facts,
          ok: true,
          matrix,
          width: model.sourceWidth,
          height: model.sourceHeight,
          format: model.format,
          thumb,
          ...(damaged ? { damaged } : {}),
          metadata: d.metadata,
        };
      }),
    );
  }

  /**
   * Reads, checks and decodes one file; failures come back as results. Its bytes live in a
   * reused buffer: nothing returned may refer to them (the decode, hash and metadata are done
   * with them when this returns).
   */
  private async prepare(file: string): Promise<Decoded> {
    const facts: FileFacts = { file, size: 0, mtimeMs: 0, hash: null };
    let buffer: Buffer | undefined;
    try {
      const before = await stat(file);
      facts.size = before.size;
      facts.mtimeMs = before.mtimeMs;
      if (!before.isFile()) throw new AnytagError('IMAGE_UNREADABLE', `${file} is not a file`);
      if (before.size === 0)
        throw new AnytagError('IMAGE_UNREADABLE', `${file} is empty (0 bytes)`);
      if (before.size > MAX_FILE_BYTES) {
        throw new AnytagError('IMAGE_TOO_LARGE', `${file} is larger than ${MAX_FILE_BYTES} bytes`);
      }
      buffer = this.readBuffer(before.size);
      const bytes = await readAll(file, before.size, buffer);
      const after = await stat(file);
      if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
        throw new AnytagError('IO', `${file} changed while it was read; it will be read again`, {
          file,
        });
      }
      // Hashing runs on libuv's thread pool (WebCrypto), decoding on libvips' threads: the two
      // overlap, and neither blocks this thread, which runs the model.
      const hashing = contentHash(bytes);
      const thumbSize = this.options.thumbDir ? (this.options.thumbSize ?? 320) : 0;
      const decoding = decodeImage(bytes, this.pack.manifest.input, {
        thumbSize,
        label: file,
        file,
      });
      const [hash, decoded] = await Promise.allSettled([hashing, decoding]);
      if (hash.status === 'rejected') throw hash.reason;
      facts.hash = hash.value;
      if (decoded.status === 'rejected') throw decoded.reason;
      // The header's metadata blocks once the decode is done (never fails the photo).
      const metadata = await this.metadataOf(file, bytes, before.mtimeMs);
      return { facts, decoded: decoded.value, metadata };
    } catch (error) {
      return { ...facts, ok: false, error: toErrorShape(toImageError(error, file)) };
    } finally {
      const keep = this.options.decodeSlots ?? DECODE_SLOTS;
      if (buffer && buffer.length <= MAX_KEPT_BUFFER && this.spareBuffers.length < keep) {
        this.spareBuffers.push(buffer);
      }
    }
  }

  /** A free read buffer of at least `size` bytes (a kept one when one is large enough). */
  private readBuffer(size: number): Buffer {
    const at = this.spareBuffers.findIndex((b) => b.length >= size);
    if (at >= 0) return this.spareBuffers.splice(at, 1)[0]!;
    this.spareBuffers.pop(); // too small: a larger one replaces it
    return Buffer.allocUnsafeSlow(Math.ceil(Math.max(size, 1) / BUFFER_STEP) * BUFFER_STEP);
  }

  /**
   * What the file and its sidecar say. The blocks come from the file's header (no second
   * decode); a header sharp cannot read leaves only the file time, never a failed photo.
   */
  private async metadataOf(file: string, bytes: Buffer, mtimeMs: number): Promise<PhotoMetadata> {
    const { format, embedded } = await readEmbeddedBlocks(bytes).catch(() => ({
      format: 'unknown',
      embedded: {},
    }));
    return photoMetadataOf(file, embedded, { format, bytes, mtimeMs });
  }

  private async saveThumbnail(hash: string, jpeg: Buffer): Promise<boolean> {
    const dir = this.options.thumbDir!;
    const file = thumbnailPath(dir, hash);
    const temp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(temp, jpeg);
      await rename(temp, file);
      return true;
    } catch {
      // A thumbnail is optional, a stray temp file in the cache is not (disk full, cut write).
      await rm(temp, { force: true }).catch(() => undefined);
      return false;
    }
  }

  private serialModel<T>(work: () => Promise<T>): Promise<T> {
    return this.modelQueue.run(work);
  }
}

/**
 * The content id: sha256 of the file's bytes, lowercase hex, computed off this thread (WebCrypto);
 * the same value as store/file-hash.ts sha256File (workers/ may not import store/).
 */
export async function contentHash(bytes: Uint8Array): Promise<string> {
  const digest = await webcrypto.subtle.digest('SHA-256', bytes);
  return Buffer.from(digest).toString('hex');
}

/**
 * Reads exactly the bytes that were there when stat-ed (a growing file reads as changed): into
 * the start of `into` when given (at least `size` bytes; the result is a view of it).
 */
export async function readAll(file: string, size: number, into?: Buffer): Promise<Buffer> {
  if (into && into.length < size) throw new RangeError(`readAll: ${into.length} < ${size} bytes`);
  const handle = await open(file, 'r');
  try {
    const bytes = into ? into.subarray(0, size) : Buffer.allocUnsafe(size);
    let offset = 0;
    while (offset < size) {
      const { bytesRead } = await handle.read(bytes, offset, size - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    if (offset !== size) {
      throw new AnytagError('IO', `${file} changed while it was read; it will be read again`, {
        file,
      });
    }
    return bytes;
  } finally {
    await handle.close();
  }
}
