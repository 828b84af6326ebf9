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

/**
 * Where the last term of a query as typed starts (`start`, an index into `query`, at its
 * opening quote for a phrase) and its text without quotes: an open "quoted phrase" (`red "hot d`
 * → `hot d`), a closed one (`red "hot dog"` → `hot dog`, never the stray word `dog"`), or the
 * last whitespace-separated word (`red ca` → `ca`; empty after a trailing space).
 */
export function lastTermSpan(query: string): { start: number; text: string } {
  const quotes = query.split('"').length - 1;
  if (quotes % 2 === 1) {
    const open = query.lastIndexOf('"');
    return { start: open, text: query.slice(open + 1) };
  }
  if (quotes > 0 && query.endsWith('"')) {
    const open = query.lastIndexOf('"', query.length - 2);
    return { start: open, text: query.slice(open + 1, -1) };
  }
  const start = query.search(/\S*$/);
  return { start, text: query.slice(start).replaceAll('"', '') };
}

/** The last term of a query as typed: a word, or a "quoted phrase" (open or closed) unquoted. */
export function lastTerm(query: string): string {
  return lastTermSpan(query).text;
}

/** The query with its last term replaced by `text` (quoted when it has spaces). */
export function replaceLastTerm(query: string, text: string): string {
  return `${query.slice(0, lastTermSpan(query).start)}${quoted(text)}`;
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
