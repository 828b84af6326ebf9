/**
 * A query term (a word or a phrase, as typed) → the label it names, or else the words the
 * table knows. In order:
 *  1. a label, by any spelling of its names or aliases: the text itself, without its stopwords,
 *     with its last word reduced to a base form ("hot dogs" → "hot dog" → the "hotdog" label),
 *     with accents folded;
 *  2. else the mean of its words' vectors, stopwords left out, each word read as its first
 *     base form the table knows, else as typed, else with accents folded ("café" → "cafe");
 *  3. else UNKNOWN_WORD naming the words no form of which the table knows, with suggestions.
 * Base forms come from the Lemmatizer (vocab/word-forms.ts), asked beforehand for every word
 * of the query (wordsToRead), so finding stays synchronous.
 */
import { normaliseLabel, tokenise } from './label-text.js';
import type { LabelEntry } from './label-entry.js';
import type { TermVector } from './term-vectors.js';
import type { Vocabulary } from './vocabulary.js';
import { foldAccents, isStopword, type BaseForms } from './word-forms.js';

/** Base forms per word (Lemmatizer.lemmas); a word without an entry has none. */
export type Lemmas = ReadonlyMap<string, BaseForms>;

export interface FoundTerm {
  /** The label the text names, when it names one. */
  entry?: LabelEntry;
  /** Otherwise its words' vector. */
  word?: TermVector;
  /** The words as read, when they differ from the normalised text. */
  read?: string;
}

/** Every word of these texts that finding may look up the base forms of. */
export function wordsToRead(texts: Iterable<string>): string[] {
  const words = new Set<string>();
  for (const text of texts) {
    for (const word of normaliseLabel(text).split(/[\s\-/]+/)) {
      if (!word) continue;
      words.add(word);
      words.add(foldAccents(word));
    }
  }
  return [...words];
}

export function findTerm(vocabulary: Vocabulary, text: string, lemmas: Lemmas): FoundTerm {
  const label = normaliseLabel(text);
  for (const candidate of labelCandidates(label, lemmas)) {
    const entry = vocabulary.findSpelling(candidate);
    if (entry) return candidate === label ? { entry } : { entry, read: entry.name };
  }
  const table = vocabulary.pack.wordTable;
  const tokens = tokenise(label, (word) => table.has(word));
  const content = withoutStopwords(tokens);
  const forms = content.map((word) => readWord(word, lemmas, (w) => table.has(w)));
  const read = forms.join(' ');
  const word = vocabulary.terms.resolve(read || label);
  return read === label ? { word } : { word, read };
}

/**
 * True when the words, as typed (stopwords kept), name a label in some spelling or base form:
 * how a query tells "hot dog" (one label) from "dog park" (two words).
 */
export function namesLabel(vocabulary: Vocabulary, text: string, lemmas: Lemmas): boolean {
  for (const candidate of labelCandidates(normaliseLabel(text), lemmas, false)) {
    if (vocabulary.findSpelling(candidate)) return true;
  }
  return false;
}

function withoutStopwords(words: readonly string[]): string[] {
  const content = words.filter((w) => !isStopword(w));
  return content.length > 0 ? content : [...words];
}

function* labelCandidates(label: string, lemmas: Lemmas, stripStopwords = true): Generator<string> {
  const words = label.split(' ');
  const bases = stripStopwords ? [words, withoutStopwords(words)] : [words];
  const seen = new Set<string>();
  const fresh = (text: string): boolean => !seen.has(text) && (seen.add(text), true);
  for (const folded of [false, true]) {
    for (const base of bases) {
      const shown = folded ? base.map(foldAccents) : base;
      const last = shown[shown.length - 1]!;
      // A plural names its singular's label; verb and adjective forms do not name labels.
      const singular = lemmas.get(last)?.noun;
      const texts = [shown.join(' ')];
      if (singular) texts.push([...shown.slice(0, -1), singular].join(' '));
      for (const text of texts) if (fresh(text)) yield text;
    }
  }
}

/**
 * The first form of `word` the table knows: its singular (a plural noun), the word itself, the
 * word unaccented (and its singular); only then a verb or adjective base form, so that a noun
 * such as "wedding" stays itself rather than becoming "wed".
 */
function readWord(word: string, lemmas: Lemmas, known: (word: string) => boolean): string {
  const folded = foldAccents(word);
  const own = lemmas.get(word);
  const unaccented = lemmas.get(folded);
  const forms = [
    own?.noun,
    word,
    folded,
    unaccented?.noun,
    ...(own?.other ?? []),
    ...(unaccented?.other ?? []),
  ];
  return forms.find((f): f is string => f !== undefined && known(f)) ?? word;
}
