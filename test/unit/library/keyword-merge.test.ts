import { describe, expect, it } from 'vitest';
import type { KeywordLists } from '../../../src-main/engine/image/xmp-keywords.js';
import { mergeKeywords } from '../../../src-main/engine/library/keyword-merge.js';

const empty: KeywordLists = { subject: [], hierarchical: [], tagsList: [], iptc: [] };

describe('mergeKeywords', () => {
  it('adds ours under the Anytag parent and flat, keeping the user’s lists as they are', () => {
    const current: KeywordLists = {
      subject: ['heron', 'Bird'],
      hierarchical: ['Places|Paris'],
      tagsList: ['Places/Paris'],
      iptc: ['heron'],
    };
    const merged = mergeKeywords(current, ['bird', 'sky'], undefined, { iptc: true });
    expect(merged.lists).toEqual({
      // "bird" is the user's "Bird" already: not added twice, and not ours to remove later.
      subject: ['heron', 'Bird', 'sky'],
      hierarchical: ['Places|Paris', 'Anytag|bird', 'Anytag|sky'],
      tagsList: ['Places/Paris', 'Anytag/bird', 'Anytag/sky'],
      iptc: ['heron', 'bird', 'sky'],
    });
    expect(merged.flat.sort()).toEqual(['bird', 'sky']);
    expect(merged.keywords).toEqual(['bird', 'sky']);
    expect(merged.declined).toEqual([]);
  });

  it('removes only what it added when a tag goes, and leaves IPTC alone when told to', () => {
    const current: KeywordLists = {
      subject: ['heron', 'sky', 'cloud'],
      hierarchical: ['Anytag|sky', 'Anytag|cloud'],
      tagsList: ['Anytag/sky', 'Anytag/cloud'],
      iptc: ['heron'],
    };
    const previous = { keywords: ['sky', 'cloud'], flat: ['sky', 'cloud'] };
    const merged = mergeKeywords(current, ['sky'], previous, { iptc: false });
    expect(merged.lists).toEqual({
      subject: ['heron', 'sky'],
      hierarchical: ['Anytag|sky'],
      tagsList: ['Anytag/sky'],
      iptc: ['heron'],
    });
  });

  it('declines a keyword the user deleted elsewhere, for good', () => {
    const current: KeywordLists = { ...empty, hierarchical: ['Anytag|sky'], subject: ['sky'] };
    const previous = { keywords: ['sky', 'bird'], flat: ['sky', 'bird'] };
    const merged = mergeKeywords(current, ['sky', 'bird', 'tree'], previous, { iptc: false });
    expect(merged.declined).toEqual(['bird']);
    expect(merged.keywords).toEqual(['sky', 'tree']);
    expect(merged.lists.hierarchical).toEqual(['Anytag|sky', 'Anytag|tree']);
    expect(merged.lists.subject).toEqual(['sky', 'tree']);
    // Still declined on the next write, though it is not in the file to be found missing.
    const next = mergeKeywords(merged.lists, ['bird'], merged, { iptc: false });
    expect(next.keywords).toEqual([]);
  });
});
