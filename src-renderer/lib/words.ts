/** Words for numbers and query text: plain functions, shared by the state classes and tested. */
import type { ApiEvents } from '../../src-main/engine/api/contract.js';

type IndexProgress = ApiEvents['indexProgress'];
type PackProgress = ApiEvents['packProgress'];

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function describeProgress(p: IndexProgress): string {
  const parts = [`${p.done.toLocaleString('en')} of ${p.total.toLocaleString('en')} photos`];
  if (p.imagesPerSecond > 0) parts.push(`${p.imagesPerSecond.toFixed(1)} photos/s`);
  if (p.etaSeconds !== null && p.done < p.total)
    parts.push(`about ${formatDuration(p.etaSeconds)} left`);
  if (p.failed > 0) parts.push(`${p.failed} could not be read`);
  return parts.join(' · ');
}

const PHASES: Record<PackProgress['phase'], string> = {
  downloading: 'Downloading',
  reading: 'Reading the checkpoint',
  'writing-model': 'Writing the model',
  'writing-labels': 'Writing the labels',
  validating: 'Checking the pack',
  installing: 'Installing',
  done: 'Done',
};

export function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0)} MB`;
}

export function describePackProgress(p: PackProgress): string {
  const phase = PHASES[p.phase];
  if (p.phase === 'downloading' && p.receivedBytes !== undefined) {
    return p.totalBytes
      ? `${phase} ${megabytes(p.receivedBytes)} of ${megabytes(p.totalBytes)}`
      : `${phase} ${megabytes(p.receivedBytes)}`;
  }
  if (p.phase === 'writing-model' && p.bytesWritten !== undefined && p.bytesTotal)
    return `${phase} (${Math.round((100 * p.bytesWritten) / p.bytesTotal)}%)`;
  return phase;
}

/** A label as a query term: quoted when it has spaces. */
export function quoted(text: string): string {
  return text.includes(' ') ? `"${text.replaceAll('"', '')}"` : text;
}

/** The last term of a query as typed: a word, or an open "quoted phrase". */
export function lastTerm(query: string): string {
  const quotes = query.split('"').length - 1;
  if (quotes % 2 === 1) return query.slice(query.lastIndexOf('"') + 1);
  return query.split(/\s+/).at(-1) ?? '';
}

/** The query with its last term replaced by `text` (quoted when it has spaces). */
export function replaceLastTerm(query: string, text: string): string {
  const term = lastTerm(query);
  const head = query.slice(0, query.length - term.length).replace(/"$/, '');
  return `${head}${quoted(text)}`;
}

/**
 * The query with every whole-word `word` (any case) replaced by `to`: a "did you mean" click
 * ("red kat" → "red cat"); operators, quotes and the other words stay as typed.
 */
export function correctedQuery(query: string, word: string, to: string): string {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}(?=$|[^\\p{L}\\p{N}])`, 'giu');
  const fixed = query.replace(pattern, (_, before: string) => `${before}${to}`);
  return fixed === query ? `${query} ${to}`.trim() : fixed;
}
