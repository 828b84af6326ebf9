/**
 * Any label text → a unit vector in the model's label space. A seen label uses the pack's own
 * vector; anything else is the normalised mean of its words' vectors from the word table,
 * mapped through the pack's word map when the table lives in another space.
 */
import { AnytagError } from '../errors.js';
import type { ModelPack } from '../model/pack.js';
import { normalise, normaliseLabel, phraseVector, phraseWords } from '../model/phrase-vector.js';

export interface TermVector {
  text: string;
  vector: Float32Array;
  /** "seen": one of the pack's labels; "word": built from the word table. */
  source: 'seen' | 'word';
  seenIndex?: number;
}

/** What suggests known words for unknown ones (the word table, by its spelling index). */
export interface SpellingSource {
  /** Suggestions, closest first ([] while the spelling index is still being built). */
  suggest(word: string): string[];
}

/** Unknown words that get suggestions in one error; the rest are only named. */
export const MAX_SUGGESTED_WORDS = 5;

/**
 * UNKNOWN_WORD naming every word the table lacks; details: { label, unknown, suggestions:
 * { word: [known…] } }. Without `spelling` the suggestions are left to the API, which fills
 * them in off the synchronous path (`pending: true`; api/unknown-words.ts); with it, the first
 * MAX_SUGGESTED_WORDS words get theirs.
 */
export function unknownWordError(
  text: string,
  unknown: readonly string[],
  spelling?: SpellingSource,
): AnytagError {
  const suggestions: Record<string, string[]> = {};
  if (spelling) {
    for (const word of unknown.slice(0, MAX_SUGGESTED_WORDS)) {
      suggestions[word] = spelling.suggest(word);
    }
  }
  const hint = unknown
    .map((word) =>
      suggestions[word]?.length ? `${word} (did you mean ${suggestions[word]!.join(', ')}?)` : word,
    )
    .join('; ');
  return new AnytagError('UNKNOWN_WORD', `Unknown word${unknown.length > 1 ? 's' : ''}: ${hint}`, {
    label: text,
    unknown: [...unknown],
    suggestions,
    ...(!spelling && { pending: true }),
  });
}

export class TermVectors {
  private readonly seenByName = new Map<string, number>();

  constructor(private readonly pack: ModelPack) {
    pack.labels.forEach((label, i) => {
      const name = normaliseLabel(label.name);
      if (!this.seenByName.has(name)) this.seenByName.set(name, i);
    });
  }

  seenIndex(text: string): number | undefined {
    return this.seenByName.get(normaliseLabel(text));
  }

  /** Throws UNKNOWN_WORD naming every word the table lacks, with the nearest known words. */
  resolve(text: string): TermVector {
    const label = normaliseLabel(text);
    const d = this.pack.manifest.output.d;
    const seen = this.seenByName.get(label);
    if (seen !== undefined) {
      return {
        text: label,
        vector: this.pack.labelVectors.slice(seen * d, (seen + 1) * d),
        source: 'seen',
        seenIndex: seen,
      };
    }
    const table = this.pack.wordTable;
    const lookup = (word: string) => table.vector(word);
    const { tokens, unknown } = phraseWords(label, lookup);
    if (tokens.length === 0) {
      throw new AnytagError('INVALID_INPUT', `"${text}" has no word to look up`, { label: text });
    }
    if (unknown.length > 0) throw unknownWordError(text, unknown);
    return { text: label, vector: this.toModelSpace(phraseVector(tokens, lookup)), source: 'word' };
  }

  /** v · M for a pack with a word map; identity otherwise. */
  private toModelSpace(vector: Float32Array): Float32Array {
    const map = this.pack.wordMap;
    if (!map) return vector;
    const to = this.pack.manifest.output.d;
    const out = new Float32Array(to);
    for (let i = 0; i < vector.length; i++) {
      const v = vector[i]!;
      const base = i * to;
      for (let j = 0; j < to; j++) out[j]! += v * map[base + j]!;
    }
    return normalise(out);
  }
}
