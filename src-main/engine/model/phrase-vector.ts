/**
 * The one phrase-to-vector rule, in the word table's space: a label's text is normalised
 * (normaliseLabel), split into the table's words (tokenise), and its vector is the normalised
 * mean of those words' vectors. Search and labels (vocab/term-vectors.ts) and the word-map fit of
 * a converted checkpoint (convert/label-space.ts) both use it, so a label means the same thing to
 * the map that was fitted on it as to the search that looks it up.
 */

/** A word's unit vector in the word table's space, or undefined when the table lacks it. */
export type WordLookup = (word: string) => Float32Array | undefined;

/** NFKC, lowercase, inner whitespace collapsed, outer trimmed, underscores read as spaces. */
export function normaliseLabel(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Word-table tokens of a normalised label: words split on spaces; a hyphenated or slashed word
 * is kept whole when the table knows it and split otherwise.
 */
export function tokenise(label: string, known: (word: string) => boolean): string[] {
  const tokens: string[] = [];
  for (const word of label.split(' ')) {
    const bare = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (!bare) continue;
    if (known(bare) || !/[-/]/.test(bare)) tokens.push(bare);
    else tokens.push(...bare.split(/[-/]+/).filter(Boolean));
  }
  return tokens;
}

export interface PhraseWords {
  /** The normalised text. */
  label: string;
  tokens: string[];
  /** Tokens the table lacks (the phrase has no vector while any remain). */
  unknown: string[];
}

/** The words of `text` as the table reads them, and those it lacks. */
export function phraseWords(text: string, lookup: WordLookup): PhraseWords {
  const label = normaliseLabel(text);
  const tokens = tokenise(label, (word) => lookup(word) !== undefined);
  return { label, tokens, unknown: tokens.filter((token) => lookup(token) === undefined) };
}

/** Normalised mean of the tokens' vectors ([dim]); every token must be known, at least one. */
export function phraseVector(tokens: readonly string[], lookup: WordLookup): Float32Array {
  let mean: Float32Array | undefined;
  for (const token of tokens) {
    const vector = lookup(token)!;
    mean ??= new Float32Array(vector.length);
    for (let j = 0; j < mean.length; j++) mean[j]! += vector[j]!;
  }
  return normalise(mean!);
}

/** Scales `vector` to unit length in place (a zero vector stays zero); returns it. */
export function normalise(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return vector;
}
