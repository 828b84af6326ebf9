/**
 * The word table (AWT1, docs/model-pack.md): every word a user may type, with a float16 unit
 * vector. Loading reads only the 16-byte header and checks the file's length: the word list is
 * read and indexed on the first lookup (most sessions never need a word outside the pack's own
 * labels), and each vector is read from the file when asked for (2·dim bytes, one positioned
 * read), so the 71 MB of vectors never sit in memory. A table parsed from bytes keeps them.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { AnytagError } from '../errors.js';
import { decodeHalves } from '../store/float16.js';
import { SPELLING_WORDS, SpellingIndex } from './spelling-index.js';

const MAGIC = 'AWT1';
const HEADER_BYTES = 16;

/** Where the vectors are: in memory, or in the file at `vectorsAt`. */
type VectorSource = { halves: Uint16Array } | { file: string; vectorsAt: number; bytes: number };

interface Header {
  dim: number;
  count: number;
  wordsBytes: number;
  vectorsAt: number;
  length: number;
}

function invalid(file: string, why: string): AnytagError {
  return new AnytagError('PACK_INVALID', `Word table ${file} is invalid: ${why}`, { file });
}

/** Checks the header against the file's length; throws PACK_INVALID naming what is wrong. */
function readHeader(header: Buffer, length: number, file: string, expectedDim?: number): Header {
  if (header.length < HEADER_BYTES || header.toString('latin1', 0, 4) !== MAGIC) {
    throw invalid(file, `it does not start with "${MAGIC}"`);
  }
  const dim = header.readUInt32LE(4);
  const count = header.readUInt32LE(8);
  const wordsBytes = header.readUInt32LE(12);
  if (dim === 0 || count === 0)
    throw invalid(file, `dim ${dim} and count ${count} must be positive`);
  if (expectedDim !== undefined && dim !== expectedDim) {
    throw invalid(file, `dim is ${dim} but pack.json says wordTable.dim = ${expectedDim}`);
  }
  const vectorsAt = Math.ceil((HEADER_BYTES + wordsBytes) / 4) * 4;
  const expectedLength = vectorsAt + count * dim * 2;
  if (length !== expectedLength) {
    throw invalid(
      file,
      `it is ${length} bytes, expected ${expectedLength} for ${count} words × ${dim}`,
    );
  }
  return { dim, count, wordsBytes, vectorsAt, length };
}

/** Reads `length` bytes at `position` of `file` (synchronously: a lookup is a few hundred bytes). */
function readAt(file: string, position: number, length: number, expectedSize: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new AnytagError('PACK_INVALID', `Cannot read the word table ${file}`, { file }, error);
  }
  try {
    if (fstatSync(fd).size !== expectedSize) {
      throw invalid(file, 'it changed on disk after the pack was loaded');
    }
    const bytes = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const read = readSync(fd, bytes, done, length - done, position + done);
      if (read === 0) throw invalid(file, 'it ended early');
      done += read;
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/** Words indexed between two yields by `WordTable.warm` (a few ms of work each). */
const WARM_SLICE = 20_000;

export class WordTable {
  private words: string[] | undefined;
  private index: Map<string, number> | undefined;
  private spellingIndex: SpellingIndex | undefined;
  private spellingBuild: Promise<SpellingIndex> | undefined;
  private warming: Promise<void> | undefined;

  private constructor(
    readonly dim: number,
    private readonly count: number,
    private readonly file: string,
    /** The word list, read on first use. */
    private readonly readWords: () => string,
    private readonly vectors: VectorSource,
  ) {}

  /**
   * Opens a table file: reads and checks its header only (see the module comment). `verify`
   * (the file's hash check, when the pack loader leaves it to first use) runs before the first
   * read of words or vectors; a failure is that read's error, and every later one's.
   */
  static async load(
    file: string,
    expectedDim?: number,
    options: { verify?: () => void } = {},
  ): Promise<WordTable> {
    let header: Buffer;
    let length: number;
    try {
      const fd = openSync(file, 'r');
      try {
        length = fstatSync(fd).size;
        header = Buffer.alloc(Math.min(HEADER_BYTES, length));
        readSync(fd, header, 0, header.length, 0);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      throw new AnytagError('PACK_INVALID', `Cannot read the word table ${file}`, { file }, error);
    }
    const h = readHeader(header, length, file, expectedDim);
    let verify = options.verify;
    const words = (): string => {
      verify?.();
      verify = undefined; // checked
      return readAt(file, HEADER_BYTES, h.wordsBytes, h.length).toString('utf8');
    };
    return new WordTable(h.dim, h.count, file, words, {
      file,
      vectorsAt: h.vectorsAt,
      bytes: h.length,
    });
  }

  /** A table held in memory whole (tests, conversion). */
  static parse(bytes: Buffer, file: string, expectedDim?: number): WordTable {
    const h = readHeader(bytes.subarray(0, HEADER_BYTES), bytes.length, file, expectedDim);
    // Copy into an aligned buffer: a Buffer from readFile may sit at an odd offset in the pool.
    const halves = new Uint16Array(h.count * h.dim);
    Buffer.from(halves.buffer).set(bytes.subarray(h.vectorsAt));
    const table = new WordTable(
      h.dim,
      h.count,
      file,
      () => bytes.toString('utf8', HEADER_BYTES, HEADER_BYTES + h.wordsBytes),
      { halves },
    );
    table.wordList(); // a table in memory is checked whole at once
    return table;
  }

  /** The words in table order (most frequent first), read and indexed on first use. */
  private wordList(): string[] {
    if (this.words) return this.words;
    const words = this.readWords().split('\n');
    if (words.length !== this.count) {
      throw invalid(this.file, `it lists ${words.length} words but its header says ${this.count}`);
    }
    const index = new Map<string, number>();
    words.forEach((word, i) => {
      if (!index.has(word)) index.set(word, i);
    });
    this.index = index;
    this.words = words;
    return words;
  }

  /**
   * Reads and indexes the word list (the 341k-entry Map that `wordList` builds at once, ~150 ms of
   * CPU with its garbage) in slices of WARM_SLICE words with a yield between, so a long-lived
   * engine can prepare it without holding its event loop. Idempotent; a lookup that comes first
   * simply builds it at once.
   */
  warm(): Promise<void> {
    this.warming ??= (async () => {
      if (this.words) return;
      const words = this.readWords().split('\n');
      if (words.length !== this.count) {
        throw invalid(
          this.file,
          `it lists ${words.length} words but its header says ${this.count}`,
        );
      }
      const index = new Map<string, number>();
      for (let i = 0; i < words.length; i++) {
        if (!index.has(words[i]!)) index.set(words[i]!, i);
        if (i % WARM_SLICE === WARM_SLICE - 1) {
          await new Promise((resolve) => setImmediate(resolve));
          if (this.words) return; // a lookup built it meanwhile
        }
      }
      this.index = index;
      this.words = words;
    })();
    return this.warming;
  }

  private indexOf(word: string): number | undefined {
    this.wordList();
    return this.index!.get(word);
  }

  get size(): number {
    return this.count;
  }

  has(word: string): boolean {
    return this.indexOf(word) !== undefined;
  }

  /** The stored unit vector of one exact table word, or undefined. */
  vector(word: string): Float32Array | undefined {
    const i = this.indexOf(word);
    if (i === undefined) return undefined;
    const source = this.vectors;
    if ('halves' in source) return decodeHalves(source.halves, i * this.dim, this.dim);
    const bytes = readAt(
      source.file,
      source.vectorsAt + i * this.dim * 2,
      this.dim * 2,
      source.bytes,
    );
    const halves = new Uint16Array(this.dim);
    Buffer.from(halves.buffer).set(bytes);
    return decodeHalves(halves, 0, this.dim);
  }

  /** Up to `limit` words starting with `prefix`, most frequent first (the table's order). */
  withPrefix(prefix: string, limit: number): string[] {
    const words = this.wordList();
    const found: string[] = [];
    for (let i = 0; i < words.length && found.length < limit; i++) {
      if (words[i]!.startsWith(prefix)) found.push(words[i]!);
    }
    return found;
  }

  /**
   * Known words closest in spelling to `word` (edit distance ≤ 2), closest then most frequent,
   * from the spelling index; [] while that is still being built (the first call starts it).
   */
  suggest(word: string, limit = 5): string[] {
    this.wordList(); // a bad word list is this call's error
    void this.prepareSpelling().catch(() => undefined);
    return this.spellingIndex?.suggest(word, limit) ?? [];
  }

  /** Starts building the spelling index in the background (once); resolves when it is ready. */
  prepareSpelling(): Promise<SpellingIndex> {
    // The word list is read here on first use (a bad list rejects the promise, not the caller).
    this.spellingBuild ??= this.warm()
      .then(() => SpellingIndex.build(this.wordList().slice(0, SPELLING_WORDS)))
      .then((index) => (this.spellingIndex = index));
    return this.spellingBuild;
  }
}
