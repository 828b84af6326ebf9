/** The renderer's words for progress and query text (plain functions, no DOM needed). */
import { describe, expect, it } from 'vitest';
import {
  correctedQuery,
  describePackProgress,
  describeProgress,
  formatDuration,
  lastTerm,
  replaceLastTerm,
} from '../../../src-renderer/lib/words.js';

describe('renderer words', () => {
  it('words durations, progress rate and ETA', () => {
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(95)).toBe('2 min');
    expect(formatDuration(3 * 3600 + 5 * 60)).toBe('3 h 5 min');
    expect(
      describeProgress({
        done: 1200,
        total: 100_000,
        indexed: 1190,
        skipped: 0,
        failed: 10,
        imagesPerSecond: 12.34,
        etaSeconds: 8000,
      }),
    ).toBe(
      '1,200 of 100,000 photos · 12.3 photos/s · about 2 h 13 min left · 10 could not be read',
    );
  });

  it('words a model download', () => {
    expect(
      describePackProgress({
        operation: 'download',
        phase: 'downloading',
        receivedBytes: 5_000_000,
        totalBytes: 120_000_000,
      }),
    ).toBe('Downloading 5.0 MB of 120 MB');
    expect(describePackProgress({ operation: 'import', phase: 'validating' })).toBe(
      'Checking the pack',
    );
  });

  it('puts a "did you mean" word in place of the unknown one, and only whole words', () => {
    expect(correctedQuery('red kat', 'kat', 'cat')).toBe('red cat');
    expect(correctedQuery('Kat -katydid OR "kat toy"', 'kat', 'cat')).toBe(
      'cat -katydid OR "cat toy"',
    );
    expect(correctedQuery('folder:/a/b kat', 'kat', 'cat')).toBe('folder:/a/b cat');
    expect(correctedQuery('a+b', 'a+b', 'ab')).toBe('ab');
  });

  it('completes the last word or open phrase of a query', () => {
    expect(lastTerm('red ca')).toBe('ca');
    expect(lastTerm('red "hot d')).toBe('hot d');
    expect(replaceLastTerm('red ca', 'car')).toBe('red car');
    expect(replaceLastTerm('red "hot d', 'hot dog')).toBe('red "hot dog"');
    expect(replaceLastTerm('bir', 'bird')).toBe('bird');
  });

  it('reads a closed quoted phrase as the phrase, never as a word ending in a quote', () => {
    // Typed `"hot dog"`, the box once suggested (and searched for) `dog"`.
    expect(lastTerm('"hot dog"')).toBe('hot dog');
    expect(lastTerm('red "hot dog"')).toBe('hot dog');
    expect(lastTerm('"dog"')).toBe('dog');
    expect(lastTerm('"dog')).toBe('dog');
    expect(lastTerm('"hot dog" ')).toBe('');
    expect(lastTerm('"hot dog" ca')).toBe('ca');
    expect(lastTerm('dog"')).toBe('');
    expect(replaceLastTerm('red "hot dog"', 'hot dog')).toBe('red "hot dog"');
    expect(replaceLastTerm('"dog"', 'dog')).toBe('dog');
    expect(replaceLastTerm('"hot dog" ca', 'cat')).toBe('"hot dog" cat');
  });
});
