/** Human-readable output of API results for the terminal. */
import path from 'node:path';
import type { ApiResults, IndexProgress } from '../engine/api/contract.js';

const pad = (value: string | number, width: number): string => String(value).padStart(width);

export function formatProgress(p: IndexProgress): string {
  const eta = p.etaSeconds === null ? '' : `, ETA ${Math.ceil(p.etaSeconds)} s`;
  return `indexing ${p.done}/${p.total} (${p.indexed} new, ${p.skipped} unchanged, ${p.failed} failed) ${p.imagesPerSecond.toFixed(1)} images/s${eta}`;
}

/**
 * `anytag index` as text: indexed (new or changed), unchanged, left out and failed counted
 * separately, then what was left out and what failed, each with its reason.
 */
export function formatIndex(result: ApiResults['indexPaths'], seconds: number): string {
  const lines = [
    `indexed ${result.indexed}, unchanged ${result.unchanged}, left out ${result.leftOutCount}, failed ${result.failedCount} (${result.total} photos) in ${seconds.toFixed(1)} s, ${result.imagesPerSecond.toFixed(1)} images/s`,
  ];
  if (result.leftOut.length > 0) {
    lines.push('left out:');
    for (const item of result.leftOut) lines.push(`  ${item.path} — ${item.reason}`);
    if (result.leftOutCount > result.leftOut.length)
      lines.push(`  … and ${result.leftOutCount - result.leftOut.length} more`);
  }
  if (result.failures.length > 0) {
    lines.push('failed:');
    for (const item of result.failures)
      lines.push(`  ${item.path} — ${item.code}: ${item.message}`);
  }
  return lines.join('\n');
}

/**
 * A search as text: the count of matches, the matches, then — with `closest`, or when the
 * answer has few matches — the closest weaker photos under a divider; words left out and how
 * many photos a NOT removed, when any.
 */
export function formatSearch(result: ApiResults['search'], closest = false): string {
  const lines: string[] = [];
  // A query that is one quoted phrase already has its quotes ("sunset glow", not ""sunset glow"").
  const quoted = /^"[^"]*"$/.test(result.query) ? result.query : `"${result.query}"`;
  const { matches, excluded, dropped } = result;
  const showClosest = closest || result.fewMatches;
  const matched = result.hits.filter((h) => h.matched);
  const weaker = showClosest ? result.hits.filter((h) => !h.matched) : [];
  if (matches > 0) {
    const shown = matched.length < matches ? ` (first ${matched.length} shown)` : '';
    const verb = matches === 1 ? 'photo matches' : 'photos match';
    lines.push(`${matches} ${verb} ${quoted}${shown}.`);
  }
  if (dropped.length) lines.push(`(left out: ${dropped.join(', ')})`);
  // Said whenever the query has a NOT, so that "-owl" removing nothing is visible too.
  const negates = result.hits.some((h) => h.why.some((w) => w.negated));
  if (excluded > 0 || negates) {
    lines.push(`(NOT removed ${excluded} photo${excluded === 1 ? '' : 's'})`);
  }
  matched.forEach((hit, i) => lines.push(hitLine(hit, i)));
  if (weaker.length) {
    lines.push(matches === 0 ? `No photo matches ${quoted} — closest:` : '— closest —');
    weaker.forEach((hit, i) => lines.push(hitLine(hit, matched.length + i)));
  } else if (matches === 0) {
    lines.push(`No photo matches ${quoted}.`);
  }
  return lines.join('\n');
}

function hitLine(hit: ApiResults['search']['hits'][number], i: number): string {
  // A query of filters only (taken:2023-07, camera:…) has no word to score: no score to show.
  if (hit.why.length === 0) return `${pad(i + 1, 3)}.  ${hit.path}`;
  // term* = a free word (not a label); term→read = how it was read; ~ = below a threshold.
  const why = hit.why
    .map(
      (w) =>
        `${w.negated ? '-' : ''}${w.term}${w.read ? `→${w.read}` : ''}${w.source === 'word' ? '*' : ''}${w.via ? `(${w.via})` : ''}=${w.score.toFixed(3)}${w.matched ? '' : `<${w.threshold.toFixed(3)}`}`,
    )
    .join(' ');
  return `${pad(i + 1, 3)}.${hit.matched ? ' ' : '~'}${hit.score.toFixed(3)}  ${hit.path}  (${why})`;
}

export function formatTags(result: ApiResults['photoTags']): string {
  const lines = [
    `${path.basename(result.photo.path)} — ${result.photo.state} (pack ${result.pack})`,
  ];
  if (result.photo.error)
    lines.push(`  error ${result.photo.error.code}: ${result.photo.error.message}`);
  const general = result.tags.filter((t) => t.impliedBy !== undefined);
  for (const tag of [...result.tags.filter((t) => t.impliedBy === undefined), ...result.extra]) {
    lines.push(`  ${tag.score.toFixed(3)}  ${tag.label}${tag.seen ? '' : '  (unseen)'}`);
  }
  // Labels a more specific tag implies (bird ⇒ vertebrate): tags too, listed on one line.
  if (general.length) lines.push(`  also: ${general.map((t) => t.label).join(', ')}`);
  return lines.join('\n');
}

export function formatRanking(result: ApiResults['rankLabels']): string {
  const where = result.photo.id ? '' : ', not in the library';
  const lines = [
    `${path.basename(result.photo.path)} — ${result.labels.length} of ${result.total} labels by score, no threshold (pack ${result.pack}${where})`,
  ];
  for (const tag of [...result.labels, ...result.extra]) {
    lines.push(
      `  ${tag.score.toFixed(4)}  ${tag.label}${tag.seen ? '' : '  (unseen)'}  [row ${tag.row}]`,
    );
  }
  return lines.join('\n');
}

export function formatStatus(s: ApiResults['status']): string {
  return [
    `data:     ${s.dataDir}`,
    `pack:     ${s.pack ? `${s.pack.id} (${s.pack.name}; K=${s.pack.k}, d=${s.pack.d}, ${s.pack.labels} labels)` : packProblemLine(s.packProblem)}`,
    `provider: ${s.provider ?? '(model not loaded)'}`,
    `photos:   ${s.photos.total} (${s.photos.indexed} indexed, ${s.photos.failed} failed)`,
    `folders:  ${s.folders.join(', ') || 'none'}`,
  ].join('\n');
}

/** The pack line of a status whose pack cannot be used: damaged (with why), or none found. */
function packProblemLine(problem: ApiResults['status']['packProblem']): string {
  if (problem?.code === 'PACK_INVALID') {
    return `damaged, cannot be used (${problem.message})`;
  }
  return 'none found (see the note)';
}

export function formatPacks(result: ApiResults['listPacks']): string {
  if (result.packs.length === 0) return 'No model packs installed. Run `npm run build:packs`.';
  return result.packs
    .map((p) =>
      p.problem
        ? `  ✗ ${p.dir}: ${p.problem}`
        : `${p.active ? '* ' : '  '}${p.id}  ${p.name}  (K=${p.k}, d=${p.d})  ${p.dir}`,
    )
    .join('\n');
}
