/**
 * The word table (AWT1, docs/model-pack.md): every word a user may type, with a float16 unit
 * vector. Vectors stay float16 in memory and are decoded per lookup, so loading costs one read
 * and one pass to index the words.
 */
import { readFile } from 'node:fs/promises';
import { AnytagError } from '../errors.js';
import { decodeHalves } from '../store/float16.js';
import { SPELLING_WORDS, SpellingIndex } from './spelling-index.js';

const MAGIC = 'AWT1';
const HEADER_BYTES = 16;

export class WordTable {
  private spellingIndex: SpellingIndex | undefined;
  private spellingBuild: Promise<SpellingIndex> | undefined;

  private constructor(
    readonly dim: number,
    private readonly words: string[],
    private readonly index: Map<string, number>,
    private readonly halves: Uint16Array,
  ) {}

  static async load(file: string, expectedDim?: number): Promise<WordTable> {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new AnytagError('PACK_INVALID', `Cannot read the word table ${file}`, { file }, error);
    }
    return WordTable.parse(bytes, file, expectedDim);
  }

  static parse(bytes: Buffer, file: string, expectedDim?: number): WordTable {
    const fail = (why: string): never => {
      throw new AnytagError('PACK_INVALID', `Word table ${file} is invalid: ${why}`, { file });
    };
    if (bytes.length < HEADER_BYTES || bytes.toString('latin1', 0, 4) !== MAGIC) {
      fail(`it does not start with "${MAGIC}"`);
    }
    const dim = bytes.readUInt32LE(4);
    const count = bytes.readUInt32LE(8);
    const wordsBytes = bytes.readUInt32LE(12);
    if (dim === 0 || count === 0) fail(`dim ${dim} and count ${count} must be positive`);
    if (expectedDim !== undefined && dim !== expectedDim) {
      fail(`dim is ${dim} but pack.json says wordTable.dim = ${expectedDim}`);
    }
    const vectorsAt = Math.ceil((HEADER_BYTES + wordsBytes) / 4) * 4;
    const expectedLength = vectorsAt + count * dim * 2;
    if (bytes.length !== expectedLength) {
      fail(`it is ${bytes.length} bytes, expected ${expectedLength} for ${count} words × ${dim}`);
    }
    const words = bytes.toString('utf8', HEADER_BYTES, HEADER_BYTES + wordsBytes).split('\n');
    if (words.length !== count) fail(`it lists ${words.length} words but its header says ${count}`);
    const index = new Map<string, number>();
    words.forEach((word, i) => {
      if (!index.has(word)) index.set(word, i);
    });
    // Copy into an aligned buffer: a Buffer from readFile may sit at an odd offset in the pool.
    const halves = new Uint16Array(count * dim);
    Buffer.from(halves.buffer).set(bytes.subarray(vectorsAt));
    return new WordTable(dim, words, index, halves);
  }

  get size(): number {
    return this.words.length;
  }

  has(word: string): boolean {
    return this.index.has(word);
  }

  /** The stored unit vector of one exact table word, or undefined. */
  vector(word: string): Float32Array | undefined {
    const i = this.index.get(word);
    return i === undefined ? undefined : decodeHalves(this.halves, i * this.dim, this.dim);
  }

  /** Up to `limit` words starting with `prefix`, most frequent first (the table's order). */
  withPrefix(prefix: string, limit: number): string[] {
    const found: string[] = [];
    for (let i = 0; i < this.words.length && found.length < limit; i++) {
      if (this.words[i]!.startsWith(prefix)) found.push(this.words[i]!);
    }
    return found;
  }

  /**
   * Known words closest in spelling to `word` (edit distance ≤ 2), closest then most frequent,
   * from the spelling index; [] while that is still being built (the first call starts it).
   */
  suggest(word: string, limit = 5): string[] {
    this.prepareSpelling();
    return this.spellingIndex?.suggest(word, limit) ?? [];
  }

  /** Starts building the spelling index in the background (once); resolves when it is ready. */
  prepareSpelling(): Promise<SpellingIndex> {
    this.spellingBuild ??= SpellingIndex.build(this.words.slice(0, SPELLING_WORDS)).then(
      (index) => (this.spellingIndex = index),
    );
    return this.spellingBuild;
  }
}
