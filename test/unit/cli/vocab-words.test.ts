/** The vocab command's words for counts: "1 photo re-tagged", never "1 photos re-tagged". */
import { describe, expect, it } from 'vitest';
import { photosRetagged } from '../../../src-main/cli/vocab-command.js';

describe('vocab command words', () => {
  it('says one photo in the singular', () => {
    expect(photosRetagged(1)).toBe('1 photo re-tagged');
    expect(photosRetagged(0)).toBe('0 photos re-tagged');
    expect(photosRetagged(3)).toBe('3 photos re-tagged');
  });
});
