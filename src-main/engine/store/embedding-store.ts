/**
 * Embedding matrices in a binary file of fixed-size records, one file per model pack:
 *   header (64 bytes): "AEM1", u32 k, u32 d, u32 recordBytes, pack id (UTF-8, 32 bytes, zero
 *   padded), model fingerprint (the first 16 bytes of the model's sha256; zeros when not given)
 *   record: u32 crc32 of the payload, then k·d float16 (kd layout), padded to 4 bytes.
 * A record is addressed by its slot number, kept in the catalogue. Freed slots are reused.
 */
import { mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { devNull } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { AnytagError, isNodeError } from '../errors.js';
import { decodeHalves, encodeHalves } from './float16.js';

const MAGIC = 'AEM1';
const HEADER_BYTES = 64;
const PACK_ID_BYTES = 32;
const MODEL_AT = 48;
const MODEL_BYTES = 16;

/** Why an existing file cannot serve a pack: made by another model or shape, or not ours. */
export type StoreMismatch = 'other-model' | 'other-shape' | 'foreign';

/** File names of every generation of one pack's embeddings (see EmbeddingStore.fileFor). */
export function embeddingFilePattern(packId: string): RegExp {
  return new RegExp(`^${packId.replace(/[.]/g, '\\.')}(@\\d+)?\\.aem$`);
}

export class EmbeddingStore {
  private readonly free: number[] = [];
  /**
   * Slots given up since the catalogue last saved. The saved catalogue may still point at them,
   * so they are reused only once a save that no longer references them is on disk.
   */
  private released: number[] = [];

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    readonly k: number,
    readonly d: number,
    readonly recordBytes: number,
    private slotCount: number,
    /** sha256 (hex) of the model whose matrices this file holds, when known. */
    readonly model: string | undefined,
  ) {}

  static fileFor(dataDir: string, packId: string, generation = 0): string {
    // "@" cannot occur in a pack id, so one pack's generation never names another pack's file.
    const suffix = generation === 0 ? '' : `@${generation}`;
    return path.join(dataDir, 'embeddings', `${packId}${suffix}.aem`);
  }

  static async open(
    file: string,
    packId: string,
    k: number,
    d: number,
    model?: string,
    /** Read-only (the data folder is busy or not writable): opened for reading, never created. */
    options: { readOnly?: boolean } = {},
  ): Promise<EmbeddingStore> {
    const fingerprint = Buffer.alloc(MODEL_BYTES);
    if (model) Buffer.from(model, 'hex').copy(fingerprint, 0, 0, MODEL_BYTES);
    const readOnly = options.readOnly ?? false;
    if (!readOnly) await mkdir(path.dirname(file), { recursive: true });
    const recordBytes = 4 + Math.ceil((k * d * 2) / 4) * 4;
    let handle: FileHandle;
    try {
      handle = await open(file, readOnly ? 'r' : 'r+');
    } catch (error) {
      if (!isNodeError(error, 'ENOENT')) throw error;
      if (readOnly) {
        // Nothing embedded with this pack yet, and nothing may be created: an empty store.
        const empty = await open(devNull, 'r');
        return new EmbeddingStore(file, empty, k, d, recordBytes, 0, model);
      }
      handle = await open(file, 'w+');
    }
    // New, or shorter than its header (a crash cut its creation short, before any record).
    if (!readOnly && (await handle.stat()).size < HEADER_BYTES) {
      const header = Buffer.alloc(HEADER_BYTES);
      header.write(MAGIC, 0, 'latin1');
      header.writeUInt32LE(k, 4);
      header.writeUInt32LE(d, 8);
      header.writeUInt32LE(recordBytes, 12);
      header.write(packId.slice(0, PACK_ID_BYTES), 16, 'utf8');
      fingerprint.copy(header, MODEL_AT);
      await handle.write(header, 0, HEADER_BYTES, 0);
      await handle.sync();
    }
    const header = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, HEADER_BYTES, 0);
    const storedPack = header.toString('utf8', 16, 16 + PACK_ID_BYTES).replace(/\0+$/, '');
    const mismatch: StoreMismatch | null =
      bytesRead !== HEADER_BYTES ||
      header.toString('latin1', 0, 4) !== MAGIC ||
      storedPack !== packId.slice(0, PACK_ID_BYTES)
        ? 'foreign'
        : header.readUInt32LE(4) !== k ||
            header.readUInt32LE(8) !== d ||
            header.readUInt32LE(12) !== recordBytes
          ? 'other-shape'
          : model && !header.subarray(MODEL_AT, MODEL_AT + MODEL_BYTES).equals(fingerprint)
            ? 'other-model'
            : null;
    if (mismatch) {
      await handle.close();
      throw new AnytagError(
        'STORE_CORRUPT',
        `Embedding file ${file} does not match pack ${packId} (k=${k}, d=${d}${model ? `, model ${model.slice(0, 12)}…` : ''}): ${mismatch}; it was left untouched`,
        { file, mismatch },
      );
    }
    const { size } = await handle.stat();
    // A record cut short by a crash is ignored: its photo has no slot yet and is re-embedded.
    const slotCount = Math.floor((size - HEADER_BYTES) / recordBytes);
    return new EmbeddingStore(file, handle, k, d, recordBytes, slotCount, model);
  }

  get slots(): number {
    return this.slotCount;
  }

  /** Marks slots that the catalogue does not reference, so they are reused. */
  setFreeSlots(slots: Iterable<number>): void {
    this.free.length = 0;
    this.free.push(...slots);
  }

  release(slot: number): void {
    this.released.push(slot);
  }

  /** Slots released so far; pass them to `recycle` once a catalogue save without them is done. */
  takeReleased(): number[] {
    const taken = this.released;
    this.released = [];
    return taken;
  }

  recycle(slots: readonly number[]): void {
    this.free.push(...slots);
  }

  /** Slots that hold no photo's matrix (free or waiting to be). */
  get unusedSlots(): number {
    return this.free.length + this.released.length;
  }

  /**
   * Copies the records of `slots`, in order, into a new file; returns it open. Record i of the
   * new file is `slots[i]` of this one. This file is left untouched.
   */
  async compactInto(
    file: string,
    packId: string,
    slots: readonly number[],
  ): Promise<EmbeddingStore> {
    await removeFile(file);
    const target = await EmbeddingStore.open(file, packId, this.k, this.d, this.model);
    const record = Buffer.alloc(this.recordBytes);
    for (const [i, slot] of slots.entries()) {
      await this.handle.read(record, 0, this.recordBytes, HEADER_BYTES + slot * this.recordBytes);
      await target.handle.write(record, 0, this.recordBytes, HEADER_BYTES + i * this.recordBytes);
    }
    target.slotCount = slots.length;
    await target.sync();
    return target;
  }

  /** Writes a [k, d] matrix and returns its slot. */
  async put(matrix: Float32Array, slot = this.free.pop() ?? this.slotCount++): Promise<number> {
    if (matrix.length !== this.k * this.d) {
      throw new AnytagError(
        'MODEL_RUNTIME',
        `Matrix of ${matrix.length} values, store expects ${this.k * this.d}`,
      );
    }
    const record = Buffer.alloc(this.recordBytes);
    const halves = encodeHalves(matrix);
    const payload = Buffer.from(halves.buffer, halves.byteOffset, halves.byteLength);
    payload.copy(record, 4);
    record.writeUInt32LE(crc32(record.subarray(4)), 0);
    await this.handle.write(record, 0, this.recordBytes, HEADER_BYTES + slot * this.recordBytes);
    return slot;
  }

  /** Reads a matrix; throws STORE_CORRUPT when its checksum does not match. */
  async get(slot: number): Promise<Float32Array> {
    const record = Buffer.alloc(this.recordBytes);
    const { bytesRead } = await this.handle.read(
      record,
      0,
      this.recordBytes,
      HEADER_BYTES + slot * this.recordBytes,
    );
    return this.decode(record, bytesRead, slot);
  }

  /** Reads every slot in one pass: calls back with each valid matrix, or null for a bad record. */
  async scan(visit: (slot: number, matrix: Float32Array | null) => void): Promise<void> {
    const perChunk = Math.max(1, Math.floor((4 << 20) / this.recordBytes));
    const chunk = Buffer.alloc(perChunk * this.recordBytes);
    for (let first = 0; first < this.slotCount; first += perChunk) {
      const count = Math.min(perChunk, this.slotCount - first);
      await this.handle.read(
        chunk,
        0,
        count * this.recordBytes,
        HEADER_BYTES + first * this.recordBytes,
      );
      for (let i = 0; i < count; i++) {
        const record = chunk.subarray(i * this.recordBytes, (i + 1) * this.recordBytes);
        let matrix: Float32Array | null;
        try {
          matrix = this.decode(record, record.length, first + i);
        } catch {
          matrix = null;
        }
        visit(first + i, matrix);
      }
    }
  }

  async sync(): Promise<void> {
    await this.handle.sync();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  private decode(record: Buffer, bytesRead: number, slot: number): Float32Array {
    if (bytesRead !== this.recordBytes || crc32(record.subarray(4)) !== record.readUInt32LE(0)) {
      throw new AnytagError('STORE_CORRUPT', `Embedding slot ${slot} in ${this.file} is damaged`, {
        slot,
      });
    }
    const halves = new Uint16Array(this.k * this.d);
    Buffer.from(halves.buffer).set(record.subarray(4, 4 + halves.byteLength));
    return decodeHalves(halves);
  }
}

async function removeFile(file: string): Promise<void> {
  await unlink(file).catch((error: unknown) => {
    if (!isNodeError(error, 'ENOENT')) throw error;
  });
}
