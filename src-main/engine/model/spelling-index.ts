/**
 * Spelling suggestions for unknown words: a trigram index over the word table's most frequent
 * words, built once, in slices that yield to the event loop, so building never blocks a query.
 * A look-up gathers the words sharing enough trigrams with the unknown one (a word within edit
 * distance e of q shares at least |trigrams(q)| − 3e of its trigrams) and checks those alone
 * with a bounded edit distance (a swap of two neighbours is one edit): milliseconds, where a scan of the table took seconds.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** Words indexed: the table's most frequent (it lists them most frequent first). */
export const SPELLING_WORDS = 100_000;
/** Words indexed per slice between yields (a slice takes a few milliseconds). */
const SLICE = 2_000;
/** Suggestions differ from the unknown word by at most this many edits. */
const MAX_EDITS = 2;

/** Trigrams of a word padded with spaces: "dog" → " d", " do", "dog", "og " …, each once. */
export function trigrams(word: string): string[] {
  const padded = `  ${word} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return [...out];
}

export class SpellingIndex {
  /** Per word: trigrams shared with the word being looked up (reset after each look-up). */
  private readonly shared: Uint8Array;

  private constructor(
    private readonly words: readonly string[],
    private readonly postings: Map<string, Int32Array>,
  ) {
    this.shared = new Uint8Array(words.length);
  }

  /** Indexes `words` (most frequent first), yielding to the event loop between slices. */
  static async build(words: readonly string[]): Promise<SpellingIndex> {
    const lists = new Map<string, number[]>();
    for (let start = 0; start < words.length; start += SLICE) {
      const end = Math.min(words.length, start + SLICE);
      for (let i = start; i < end; i++) {
        for (const gram of trigrams(words[i]!)) {
          let list = lists.get(gram);
          if (!list) lists.set(gram, (list = []));
          list.push(i);
        }
      }
      await yieldToLoop();
    }
    const postings = new Map<string, Int32Array>();
    let done = 0;
    for (const [gram, list] of lists) {
      postings.set(gram, Int32Array.from(list));
      if (++done % SLICE === 0) await yieldToLoop();
    }
    return new SpellingIndex(words, postings);
  }

  get size(): number {
    return this.words.length;
  }

  /**
   * Up to `limit` indexed words within MAX_EDITS edits of `word`: closest, then those with the
   * same letters (a swap: "dgo" → "dog" before "do" and "go"), then most frequent.
   */
  suggest(word: string, limit = 5): string[] {
    const grams = trigrams(word);
    const needed = Math.max(1, grams.length - 3 * MAX_EDITS);
    const shared = this.shared;
    const touched: number[] = [];
    for (const gram of grams) {
      const list = this.postings.get(gram);
      if (!list) continue;
      for (let p = 0; p < list.length; p++) {
        const i = list[p]!;
        if (shared[i]!++ === 0) touched.push(i);
      }
    }
    const letters = sortedLetters(word);
    const found: { word: string; distance: number; anagram: boolean; rank: number }[] = [];
    for (const i of touched) {
      const count = shared[i]!;
      shared[i] = 0;
      if (count < needed) continue;
      const candidate = this.words[i]!;
      if (candidate === word || Math.abs(candidate.length - word.length) > MAX_EDITS) continue;
      const distance = boundedEditDistance(word, candidate, MAX_EDITS);
      if (distance > MAX_EDITS) continue;
      const anagram = sortedLetters(candidate) === letters;
      found.push({ word: candidate, distance, anagram, rank: i });
    }
    found.sort(
      (a, b) => a.distance - b.distance || Number(b.anagram) - Number(a.anagram) || a.rank - b.rank,
    );
    return found.slice(0, limit).map((f) => f.word);
  }
}

function sortedLetters(word: string): string {
  return [...word].sort().join('');
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment: "dgo" → "dog" is one
 * edit, as a typist slips, not two), giving up (returning bound + 1) once it must exceed `bound`.
 */
export function boundedEditDistance(a: string, b: string, bound: number): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, beforePrevious[j - 2]! + 1);
      }
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > bound) return bound + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}
