// Reads a search answer whatever its shape: today `{query, hits: [{path, matched, why}]}`;
// tomorrow perhaps `matches: N` at the top, or the matches and the closest photos in two lists.
// Which photos the app calls matches comes from, in order of preference:
//   1. each hit's `matched` flag (true | false), when every hit carries one;
//   2. otherwise the thresholds in `why`: every positive term's score ≥ its threshold and no
//      negated term's (right for AND queries; an OR query needs the flag).
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
 * @returns {{ranking: string[], matched: Set<string>, matchSource: 'flag'|'thresholds',
 *   reportedMatches: number|null, unknownHits: number}}
 */
export function readSearchAnswer(answer, photoIdOf) {
  const lists = Array.isArray(answer.hits)
    ? [answer.hits]
    : [answer.matches, answer.closest].map((list) => (Array.isArray(list) ? list : []));
  const hits = lists.flat();
  // Hits in a separate `matches` list are matches whatever they carry.
  const matchList = Array.isArray(answer.hits) ? null : new Set(lists[0] ?? []);
  const flagged = hits.length > 0 && hits.every((hit) => typeof hit.matched === 'boolean');
  const ranking = [];
  const matched = new Set();
  let unknownHits = 0;
  for (const hit of hits) {
    const id = photoIdOf.get(path.basename(hit.path ?? ''));
    if (id === undefined) {
      unknownHits += 1;
      continue;
    }
    ranking.push(id);
    if (matchList?.has(hit) || (flagged ? hit.matched : passesThresholds(hit))) matched.add(id);
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
    matchSource: flagged ? 'flag' : 'thresholds',
    reportedMatches: reported,
    unknownHits,
  };
}
