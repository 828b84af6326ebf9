import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack, type ModelPack } from '../../../src-main/engine/model/pack.js';
import { withSuggestions } from '../../../src-main/engine/api/unknown-words.js';
import { TermVectors } from '../../../src-main/engine/vocab/term-vectors.js';
import { normaliseLabel, tokenise, validLabel } from '../../../src-main/engine/vocab/label-text.js';
import { tempDir } from '../../helpers/temp.js';
import { writeTinyPack } from '../../helpers/tiny-pack.js';

describe('label text', () => {
  it('normalises case, width, underscores and whitespace', () => {
    expect(normaliseLabel('  Hot_Dog\t STAND ')).toBe('hot dog stand');
    expect(normaliseLabel('ｃａｔ')).toBe('cat'); // full-width letters (NFKC)
  });

  it('refuses text with no letters, control characters or too much length', () => {
    expect(() => validLabel('  ')).toThrow(/at least one letter/);
    expect(() => validLabel('!!!')).toThrow(/no letter or digit/);
    expect(() => validLabel('a\u0007b')).toThrow(/control characters/);
    expect(() => validLabel('x'.repeat(101))).toThrow(/at most 100/);
  });

  it('drops quotes around the whole label (a search reads them as a phrase)', () => {
    expect(validLabel('"Sunset  Glow"')).toBe('sunset glow');
    expect(validLabel('“quoted”')).toBe('quoted');
    expect(validLabel('say "cheese"')).toBe('say "cheese"');
    expect(() => validLabel('""')).toThrow(/at least one letter/);
  });

  it('splits hyphenated words only when the table lacks them', () => {
    const known = new Set(['x-ray', 'sea', 'shell']);
    expect(tokenise('x-ray sea-shell', (w) => known.has(w))).toEqual(['x-ray', 'sea', 'shell']);
  });
});

describe('term vectors', () => {
  let pack: ModelPack;
  let terms: TermVectors;
  beforeAll(async () => {
    pack = await loadPack(await writeTinyPack(path.join(await tempDir(), 'tiny')));
    terms = new TermVectors(pack);
  });

  it('uses the pack vector for a seen label', () => {
    const term = terms.resolve(' Green ');
    expect(term).toMatchObject({ text: 'green', source: 'seen', seenIndex: 1 });
    expect(Array.from(term.vector)).toEqual([0, 1, 0]);
  });

  it('averages and normalises the words of a phrase', () => {
    const term = terms.resolve('warm sky');
    expect(term.source).toBe('word');
    // (0.6, 0.8, 0) + (0, 0.6, 0.8) = (0.6, 1.4, 0.8) → unit
    const norm = Math.hypot(0.6, 1.4, 0.8);
    expect(Array.from(term.vector)).toEqual(
      [0.6, 1.4, 0.8].map((v) => expect.closeTo(v / norm, 3)),
    );
  });

  it('refuses unknown words by name, offering the nearest known words', async () => {
    try {
      terms.resolve('warm skyy blorp');
      throw new Error('expected UNKNOWN_WORD');
    } catch (error) {
      expect(error).toMatchObject({
        code: 'UNKNOWN_WORD',
        details: { unknown: ['skyy', 'blorp'], pending: true },
      });
      // The API fills in the suggestions, off the synchronous path.
      const answered = await withSuggestions(error, async () => pack.wordTable);
      expect(answered).toMatchObject({ details: { suggestions: { skyy: ['sky'] } } });
      expect((answered as Error).message).toContain('skyy (did you mean sky?)');
    }
  });
});
