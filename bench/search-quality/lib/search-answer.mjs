// Reads a search answer whatever its shape: today `{query, hits: [{path, matched, why}]}`;
// tomorrow perhaps `matches: N` at the top, or the matches and the closest photos in two lists
// (`hits` or `matches`, then `closest`). The ranking is the first list, then the second.
// Which photos the app calls matches comes from, in order of preference:
//   1. each hit's `matched` flag (true | false), when every hit carries one ("flag");
//   2. in an answer given as two lists, the first list ("list");
//   3. otherwise the thresholds in `why`: every positive term's score ≥ its threshold and no
//      negated term's ("thresholds"; right for AND queries, an OR query needs 1 or 2).
import path from 'node:path';

/** Passes every term's threshold, from `why` alone. */
function passesThresholds(hit) {
  const why = Array.isArray(hit.why) ? hit.why : [];
  if (!why.length) return false;
  return why.every((term) =>
    term.negated ? !(term.score >= term.threshold) : term.score >= term.threshold,
  );
}

/**
 * @param {object} answer the search API's result
 * @param {Map<string, string>} photoIdOf file name → evaluation photo id
 * @returns {{ranking: string[], matched: Set<string>, matchSource: 'flag'|'list'|'thresholds',
 *   reportedMatches: number|null, unknownHits: number}}
 */
export function readSearchAnswer(answer, photoIdOf) {
  const list = (value) => (Array.isArray(value) ? value : []);
  const first = Array.isArray(answer.hits) ? answer.hits : list(answer.matches);
  const closest = list(answer.closest);
  const split = closest.length > 0 || (!Array.isArray(answer.hits) && first.length > 0);
  const hits = [...first, ...closest];
  const flagged = hits.length > 0 && hits.every((hit) => typeof hit.matched === 'boolean');
  const inFirst = new Set(first);
  const ranking = [];
  const matched = new Set();
  let unknownHits = 0;
  for (const hit of hits) {
    const id = photoIdOf.get(path.basename(hit.path ?? ''));
    if (id === undefined || ranking.includes(id)) {
      unknownHits += id === undefined ? 1 : 0;
      continue;
    }
    ranking.push(id);
    const isMatch = flagged ? hit.matched : split ? inFirst.has(hit) : passesThresholds(hit);
    if (isMatch) matched.add(id);
  }
  const reported =
    typeof answer.matches === 'number'
      ? answer.matches
      : typeof answer.matchCount === 'number'
        ? answer.matchCount
        : null;
  return {
    ranking,
    matched,
    matchSource: flagged ? 'flag' : split ? 'list' : 'thresholds',
    reportedMatches: reported,
    unknownHits,
  };
}
