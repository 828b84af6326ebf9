/**
 * Search: every term of a parsed query becomes one or more vectors (a vocabulary label with its
 * aliases, or any word through the word table), all scored in one pass over the index, then
 * combined per photo by the query's boolean tree.
 *
 * Each term has a threshold (its label's calibrated one, or, for a free word, one calibrated
 * on the spot from the word's own scores over the library); a label's votes override it per
 * photo. The tree combines them per photo (index/query-logic.ts: AND the weakest, OR the best,
 * NOT excludes; ranked by score ÷ threshold).
 * Results: photos that match the whole query, best rank first; then, unless `matchedOnly`,
 * photos that fail only some positive term's threshold (weaker results), never excluded ones.
 * A photo the user keyworded with a term (their own tag, read from the file) matches it: its
 * score is lifted to at least the threshold. A word the model does not know still finds them.
 */
import { AnytagError } from '../errors.js';
import { calibrate, labelStats } from '../vocab/thresholds.js';
import { evaluate, negatedTerms, type Evaluated } from './query-logic.js';
import { termsOf, type ParsedQuery } from './query.js';
import { bestOf, type SearchIndex } from './search-index.js';
import { roundScore, topIndices } from './scoring.js';

/** A query term as the vocabulary resolved it. */
export interface ResolvedTerm {
  /** Cache key: the same key must always mean the same vectors. */
  key: string;
  text: string;
  /**
   * seen/user: a vocabulary label (with `label` its name); word: any word; keyword: a word only
   * the user's own keywords know (no vectors: only keyworded photos match it).
   */
  source: 'seen' | 'user' | 'word' | 'keyword';
  label?: string;
  /** How the words were read when that differs from the text ("dogs" → "dog", "café" → "cafe"). */
  read?: string;
  /** The label's vector and its aliases' vectors; the term scores their maximum. */
  vectors: Float32Array[];
  /** Names of `vectors`, when more than one. */
  members?: string[];
  threshold?: number;
  /**
   * A label's thumbs-up and -down, per photo id: they decide whether it tags the photo, as
   * they do for tags (a vote up matches whatever the score, a vote down never does).
   */
  votes?: ReadonlyMap<string, 'up' | 'down'>;
  /** For a term without a threshold: the pack's prior τ₀ its own calibration starts from. */
  prior?: number;
}

export type TermResolver = (text: string) => ResolvedTerm;

export interface TermWhy {
  term: string;
  source: ResolvedTerm['source'];
  /** The vocabulary label the term matched, when it is one. */
  label?: string;
  /** Which alias of the label scored best, when it is not the label itself. */
  via?: string;
  /** The words as read, when they differ from the term ("a dog" → "dog", "dogs" → "dog"). */
  read?: string;
  score: number;
  /** The principal vector (row of the embedding matrix) that matched. */
  row: number;
  threshold: number;
  matched: boolean;
  /** A NOT term: a match would have excluded the photo. */
  negated: boolean;
}

export interface SearchHit {
  photoId: string;
  score: number;
  /** Passes every threshold of the query (false: a weaker result). */
  matched: boolean;
  why: TermWhy[];
}

export interface SearchOptions {
  limit: number;
  /** Keeps only photos for which this returns true (folder and date filters). */
  filter?: (photoId: string) => boolean;
  matchedOnly?: boolean;
  /** Ids of the photos the user keyworded with a term's text (their own tags). */
  keywordHolders?: (text: string) => ReadonlySet<string>;
}

interface ScoredTerm {
  term: ResolvedTerm;
  scores: Float32Array;
  rows: Uint8Array;
  member: Uint8Array;
  threshold: number;
  /** 1 where the term matches the photo: score ≥ threshold, unless a vote says otherwise. */
  passes: Uint8Array;
  keywordOnly: boolean;
}

/** A query's answer: the ranking (matches first) and how many photos matched or a NOT removed. */
export interface SearchAnswer {
  hits: SearchHit[];
  /** Photos (within the filters) that match the whole query: the answer proper. */
  matches: number;
  /** Photos (within the filters) a NOT term removed. */
  excluded: number;
}

/** The ranked photos of a query (runQuery's hits). */
export async function evaluateQuery(
  index: SearchIndex,
  query: ParsedQuery,
  resolve: TermResolver,
  options: SearchOptions,
): Promise<SearchHit[]> {
  return (await runQuery(index, query, resolve, options)).hits;
}

/** Ranks the photos for a query and counts its matches and the photos its NOTs removed. */
export async function runQuery(
  index: SearchIndex,
  query: ParsedQuery,
  resolve: TermResolver,
  options: SearchOptions,
): Promise<SearchAnswer> {
  const holders = options.keywordHolders ?? (() => new Set<string>());
  const terms = resolveAll(query, resolve, holders);
  const scored = await scoreTerms(index, terms);
  liftKeyworded(scored, index.ids, holders);
  const n = index.size;
  const ids = index.ids;
  const result: Evaluated = query.root
    ? evaluate(query.root, scored, n)
    : {
        score: new Float32Array(n),
        rank: new Float32Array(n),
        matched: new Uint8Array(n).fill(1),
        possible: new Uint8Array(n).fill(1),
        positive: true,
      };
  // Rank key: matched photos above the rest; excluded and filtered-out photos never rank.
  const key = new Float64Array(n);
  let matches = 0;
  let excluded = 0;
  const { filter, matchedOnly } = options;
  const { possible, matched, rank } = result;
  // possible and matched hold 0 or 1: counted and added as numbers, not branched on (a branch
  // on whether each photo matched is mispredicted often enough to cost ~0.5 ms at 100k photos).
  for (let i = 0; i < n; i++) {
    if (filter && !filter(ids[i]!)) {
      key[i] = -Infinity;
      continue;
    }
    const isPossible = possible[i]!;
    const isMatched = matched[i]!;
    excluded += 1 - isPossible;
    matches += isPossible & isMatched;
    const keep = isPossible === 1 && (isMatched === 1 || !matchedOnly);
    key[i] = keep ? rank[i]! + isMatched * 1e6 : -Infinity;
  }
  const negated = negatedTerms(query.root);
  const hits = topIndices(key, options.limit).map((i) => ({
    photoId: ids[i]!,
    score: roundScore(result.score[i]!),
    matched: result.matched[i] === 1,
    why: [...scored.values()].map(({ term, scores, rows, member, threshold, passes }) => {
      const why: TermWhy = {
        term: term.text,
        source: term.source,
        score: roundScore(scores[i]!),
        row: rows[i]!,
        threshold: roundScore(threshold),
        matched: passes[i] === 1,
        negated: negated.has(term.text),
      };
      if (term.label !== undefined) why.label = term.label;
      const via = term.members?.[member[i]!];
      if (member[i]! > 0 && via !== undefined) why.via = via;
      if (term.read !== undefined) why.read = term.read;
      return why;
    }),
  }));
  return { hits, matches, excluded };
}

/** Resolves every term, reporting all unknown words of the query in one error. */
function resolveAll(
  query: ParsedQuery,
  resolve: TermResolver,
  holders: (text: string) => ReadonlySet<string>,
): Map<string, ResolvedTerm> {
  const out = new Map<string, ResolvedTerm>();
  const unknown: AnytagError[] = [];
  for (const text of termsOf(query.root).keys()) {
    try {
      out.set(text, resolve(text));
    } catch (error) {
      if (!(error instanceof AnytagError && error.code === 'UNKNOWN_WORD')) throw error;
      if (holders(text).size > 0) {
        out.set(text, { key: `keyword:${text}`, text, source: 'keyword', vectors: [] });
      } else unknown.push(error);
    }
  }
  if (unknown.length === 1) throw unknown[0];
  if (unknown.length > 1) {
    const words = unknown.flatMap((e) => (e.details?.unknown as string[] | undefined) ?? []);
    const suggestions = Object.assign({}, ...unknown.map((e) => e.details?.suggestions ?? {}));
    const pending = unknown.some((e) => e.details?.pending === true);
    throw new AnytagError('UNKNOWN_WORD', unknown.map((e) => e.message).join('; '), {
      label: [...termsOf(query.root).keys()].join(' '),
      unknown: [...new Set(words)],
      suggestions,
      ...(pending && { pending }),
    });
  }
  return out;
}

async function scoreTerms(
  index: SearchIndex,
  terms: Map<string, ResolvedTerm>,
): Promise<Map<string, ScoredTerm>> {
  const vectors: Float32Array[] = [];
  const keys: string[] = [];
  for (const term of terms.values()) {
    term.vectors.forEach((vector, m) => {
      vectors.push(vector);
      keys.push(`${term.key}#${m}`);
    });
  }
  const all = await index.score(vectors, keys);
  const out = new Map<string, ScoredTerm>();
  let next = 0;
  for (const [text, term] of terms) {
    if (term.vectors.length === 0) {
      // A keyword-only term: no photo scores; keyworded ones are lifted to the threshold.
      const none = new Float32Array(index.size).fill(-1);
      const zeros = new Uint8Array(index.size);
      const passes = new Uint8Array(index.size);
      const keywordOnly = true;
      out.set(text, {
        term,
        scores: none,
        rows: zeros,
        member: zeros,
        threshold: 0,
        passes,
        keywordOnly,
      });
      continue;
    }
    const parts = all.slice(next, next + term.vectors.length);
    next += term.vectors.length;
    const { scores, rows, member } = bestOf(parts);
    const threshold = term.threshold ?? wordThreshold(scores, term.prior);
    const passes = new Uint8Array(scores.length);
    // Number(boolean), not a branch: whether a photo passes is close to random in index order.
    for (let i = 0; i < scores.length; i++) passes[i] = Number(scores[i]! >= threshold);
    const votes = term.votes;
    if (votes && votes.size > 0) {
      const ids = index.ids;
      for (let i = 0; i < ids.length; i++) {
        const vote = votes.get(ids[i]!);
        if (vote) passes[i] = vote === 'up' ? 1 : 0;
      }
    }
    out.set(text, { term, scores, rows, member, threshold, passes, keywordOnly: false });
  }
  return out;
}

/** Photos keyworded with a term match it: their score is at least the term's threshold. */
function liftKeyworded(
  scored: Map<string, ScoredTerm>,
  ids: readonly string[],
  holders: (text: string) => ReadonlySet<string>,
): void {
  for (const [text, entry] of scored) {
    const keyworded = holders(text);
    if (keyworded.size === 0) continue;
    // The scores may be the index's cached arrays: lift a copy.
    const scores = Float32Array.from(entry.scores);
    const passes = Uint8Array.from(entry.passes);
    const floor = float32AtLeast(entry.threshold);
    ids.forEach((id, i) => {
      if (!keyworded.has(id)) return;
      scores[i] = Math.max(scores[i]!, floor);
      passes[i] = 1;
    });
    entry.scores = scores;
    entry.passes = passes;
  }
}

/** The smallest float32 ≥ x (scores are float32; a rounded-down threshold would not match). */
function float32AtLeast(x: number): number {
  let value = Math.fround(x);
  let step = Math.max(Math.abs(x) * 1.2e-7, 1e-38);
  while (value < x) {
    value = Math.fround(value + step);
    step *= 2;
  }
  return value;
}

/** A free word's threshold: calibrated on its own scores over the library, like a label's. */
export function wordThreshold(scores: Float32Array, prior: number | undefined): number {
  const stats = labelStats(scores);
  return prior === undefined ? stats.split : calibrate(stats, prior).threshold;
}
