// Retrieval metrics for one query's ranking, and their means per query class.
//
// A ranking is the list of photo ids the search returned, best first; `matched` is the set of
// those the app calls matches; `relevant` the ids judged right for the query (queries.json).
// Definitions (the usual TREC ones):
//   AP   = (1/R) · Σ_{k : ranking[k] relevant} precision@k, over the full ranking; a relevant
//          photo missing from the ranking adds 0 (R counts it all the same).
//   P@1  = 1 when the first photo is relevant, else 0.
//   match precision = |matched ∩ relevant| / |matched|  (undefined when nothing matched)
//   match recall    = |matched ∩ relevant| / R          (0 when nothing matched)
// A query that failed (the search threw) scores AP 0, P@1 0 and no matches.
// For scale, chance AP: the expected AP of a random ranking of all N photos (R relevant),
//   E[AP] = (1/N) · (H_N + (R − 1)(N − H_N)/(N − 1)),  H_N = Σ_{k≤N} 1/k
// (a relevant photo at rank k, uniform, has on average (k−1)(R−1)/(N−1) relevant ones above it).

/** Expected average precision of a uniformly random ranking of n photos, r of them relevant. */
export function chanceAveragePrecision(r, n) {
  if (!r || !n) return null;
  let harmonic = 0;
  for (let k = 1; k <= n; k++) harmonic += 1 / k;
  return n === 1 ? 1 : (harmonic + ((r - 1) * (n - harmonic)) / (n - 1)) / n;
}

/**
 * Scores one query.
 * @param {{ranking: string[], matched: Set<string>, relevant: string[], error?: string,
 *   photos?: number}} input photos: how many photos the search ranked from (for chance AP)
 * @returns {{relevant: number, ap: number|null, chanceAp: number|null, p1: number|null,
 *   matches: number,
 *   trueMatches: number, matchPrecision: number|null, matchRecall: number|null,
 *   firstRelevantRank: number|null}} null where a figure is undefined (no relevant photo).
 */
export function scoreQuery({ ranking, matched, relevant, error, photos = ranking.length }) {
  const wanted = new Set(relevant);
  const r = wanted.size;
  let found = 0;
  let precisionSum = 0;
  let firstRelevantRank = null;
  if (!error) {
    ranking.forEach((id, k) => {
      if (!wanted.has(id)) return;
      found += 1;
      precisionSum += found / (k + 1);
      firstRelevantRank ??= k + 1;
    });
  }
  const matches = error ? 0 : matched.size;
  const trueMatches = error ? 0 : [...matched].filter((id) => wanted.has(id)).length;
  return {
    relevant: r,
    ap: r ? precisionSum / r : null,
    chanceAp: chanceAveragePrecision(r, photos),
    p1: r ? (!error && wanted.has(ranking[0]) ? 1 : 0) : null,
    matches,
    trueMatches,
    matchPrecision: matches ? trueMatches / matches : null,
    matchRecall: r ? trueMatches / r : null,
    firstRelevantRank,
  };
}

const mean = (values) => {
  const defined = values.filter((v) => v !== null && v !== undefined);
  return defined.length ? round(defined.reduce((a, b) => a + b, 0) / defined.length) : null;
};

export const round = (value) => Math.round(value * 1000) / 1000;

/**
 * Aggregates scored queries: means over queries (macro) and, for matches, pooled counts
 * (micro: all true matches over all matches of the group).
 * @param {Array<ReturnType<typeof scoreQuery> & {error?: string}>} rows
 */
export function summarise(rows) {
  const judged = rows.filter((row) => row.relevant > 0);
  const matches = rows.reduce((sum, row) => sum + row.matches, 0);
  const trueMatches = rows.reduce((sum, row) => sum + row.trueMatches, 0);
  const relevant = judged.reduce((sum, row) => sum + row.relevant, 0);
  return {
    queries: rows.length,
    errors: rows.filter((row) => row.error).length,
    map: mean(judged.map((row) => row.ap)),
    chanceMap: mean(judged.map((row) => row.chanceAp)),
    p1: mean(judged.map((row) => row.p1)),
    // Mean over the queries that matched something; pooled over every match of the group.
    matchPrecision: mean(rows.map((row) => row.matchPrecision)),
    matchPrecisionPooled: matches ? round(trueMatches / matches) : null,
    matchRecall: mean(judged.map((row) => row.matchRecall)),
    matchRecallPooled: relevant ? round(trueMatches / relevant) : null,
    queriesWithMatches: rows.filter((row) => row.matches > 0).length,
    matches,
    trueMatches,
    falseMatches: matches - trueMatches,
    relevant,
    meanMatchesPerQuery: rows.length ? round(matches / rows.length) : null,
  };
}
