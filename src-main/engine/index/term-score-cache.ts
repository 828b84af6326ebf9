/**
 * A small LRU cache of term scores, valid for one version of the index: refining a query or
 * re-tagging with the same label costs nothing until the library changes. Bounded in bytes,
 * since one entry is a score and a row per photo.
 */
import type { TermScores } from './term-scores.js';

/** Bytes of cached term scores kept. */
const CACHE_BYTES = 128 << 20;

export class TermScoreCache {
  private readonly entries = new Map<string, { version: number; value: TermScores }>();
  /** Bytes the cached scores hold. */
  bytes = 0;

  /** The scores cached for `key` at this index version, if any. */
  get(key: string | undefined, version: number): TermScores | undefined {
    if (key === undefined) return undefined;
    const entry = this.entries.get(key);
    if (!entry || entry.version !== version) return undefined;
    this.entries.delete(key); // re-insert: Map order is the LRU order
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` for `key`, evicting the oldest (and stale) entries to stay in budget. */
  put(key: string | undefined, version: number, value: TermScores): void {
    if (key === undefined) return;
    const bytes = value.scores.byteLength + value.rows.byteLength;
    if (bytes > CACHE_BYTES / 4) return;
    for (const [old, entry] of this.entries) {
      if (this.bytes + bytes <= CACHE_BYTES && entry.version === version) break;
      this.entries.delete(old);
      this.bytes -= entry.value.scores.byteLength + entry.value.rows.byteLength;
    }
    this.entries.set(key, { version, value });
    this.bytes += bytes;
  }
}
