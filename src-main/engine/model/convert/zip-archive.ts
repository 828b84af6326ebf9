/** The one owner of yauzl: list a zip's entries and stream or read one entry at a time. */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { checkpointError } from './checkpoint-error.js';

export interface ZipEntryInfo {
  name: string;
  size: number; // uncompressed bytes, as the zip directory declares
  /** Bytes the entry takes in the file (its compressed size). */
  storedBytes: number;
}

export class ZipArchive {
  private constructor(
    readonly file: string,
    private readonly zip: yauzl.ZipFile,
    private readonly byName: Map<string, yauzl.Entry>,
    /** Entries in the order they lie in the file (local header offset), for sequential reads. */
    readonly entries: readonly ZipEntryInfo[],
  ) {}

  static async open(file: string): Promise<ZipArchive> {
    let zip: yauzl.ZipFile;
    try {
      zip = await yauzl.openPromise(file, {
        lazyEntries: true,
        autoClose: false,
        validateEntrySizes: true,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if ((error as NodeJS.ErrnoException).code !== undefined) {
        throw checkpointError('unreadable', file, `cannot be read (${message})`, {}, error);
      }
      throw checkpointError(
        'not-zip',
        file,
        `is not a zip archive or is truncated (${message})`,
        {},
        error,
      );
    }
    const byName = new Map<string, yauzl.Entry>();
    try {
      for await (const entry of zip.eachEntry()) byName.set(entry.fileName, entry);
    } catch (error) {
      zip.close();
      throw checkpointError(
        'not-zip',
        file,
        `has a damaged zip directory (${String(error)})`,
        {},
        error,
      );
    }
    const entries = [...byName.values()]
      .sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader)
      .map((e) => ({ name: e.fileName, size: e.uncompressedSize, storedBytes: e.compressedSize }));
    return new ZipArchive(file, zip, byName, entries);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  async stream(name: string): Promise<Readable> {
    const entry = this.byName.get(name);
    if (!entry) {
      throw checkpointError('truncated', this.file, `has no entry ${name}`, { entry: name });
    }
    try {
      return await this.zip.openReadStreamPromise(entry);
    } catch (error) {
      throw checkpointError(
        'truncated',
        this.file,
        `cannot read entry ${name} (${String(error)})`,
        { entry: name },
        error,
      );
    }
  }

  /** Whole entry into memory; `limit` guards against a hostile size. */
  async read(name: string, limit: number): Promise<Buffer> {
    const entry = this.byName.get(name);
    if (entry && entry.uncompressedSize > limit) {
      throw checkpointError(
        'not-official',
        this.file,
        `entry ${name} is ${entry.uncompressedSize} bytes, over ${limit}`,
        {
          entry: name,
        },
      );
    }
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of await this.stream(name)) chunks.push(chunk as Buffer);
    } catch (error) {
      if ((error as { details?: unknown }).details) throw error;
      throw checkpointError(
        'truncated',
        this.file,
        `entry ${name} is damaged (${String(error)})`,
        { entry: name },
        error,
      );
    }
    return Buffer.concat(chunks);
  }

  close(): void {
    this.zip.close();
  }
}
