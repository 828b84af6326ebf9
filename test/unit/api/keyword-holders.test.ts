import { describe, expect, it } from 'vitest';
import { keywordHolders } from '../../../src-main/engine/api/keyword-holders.js';
import { hasKeyword } from '../../../src-main/engine/index/metadata-filter.js';
import { Catalogue } from '../../../src-main/engine/store/catalogue.js';
import type { PhotoRecord } from '../../../src-main/engine/store/catalogue-schema.js';
import { tempDir } from '../../helpers/temp.js';

const photo = (id: string, keywords?: string[]): PhotoRecord => ({
  id,
  path: `/photos/${id}.jpg`,
  size: 1,
  mtimeMs: 1,
  hash: null,
  state: 'indexed',
  tags: [],
  ...(keywords && { meta: { takenAt: '2026-01-01T00:00:00', takenFrom: 'file', keywords } }),
});

/** The walk the index replaces: every record, `hasKeyword` each. */
const walked = (catalogue: Catalogue, text: string): string[] =>
  catalogue
    .photos()
    .filter((p) => hasKeyword(p, text))
    .map((p) => p.id);

/** Asked twice: the first answer at a catalogue state walks, the second builds the lookup. */
const holders = (catalogue: Catalogue, text: string): string[] => {
  const walkedAnswer = [...keywordHolders(catalogue, text)];
  const looked = [...keywordHolders(catalogue, text)];
  expect(looked).toEqual(walkedAnswer);
  return looked;
};

describe('keyword holders', () => {
  it('answers as a walk over every record would, and follows every change to the records', async () => {
    const catalogue = await Catalogue.open(await tempDir(), { debounceMs: 60_000 });
    catalogue.addPhoto(photo('a', ['Beach', 'beach', 'Family']));
    catalogue.addPhoto(photo('b', ['family']));
    catalogue.addPhoto(photo('c'));
    catalogue.addPhoto(photo('d', []));
    const words = ['beach', 'BEACH', 'family', 'Family', 'sea', ''];
    const agree = () => {
      for (const word of words) expect(holders(catalogue, word)).toEqual(walked(catalogue, word));
    };
    agree();
    expect(holders(catalogue, 'family')).toEqual(['a', 'b']);
    expect(holders(catalogue, 'Beach')).toEqual(['a']); // once, though keyworded twice

    // Each kind of change is seen by the next question.
    const before = catalogue.photoChanges;
    catalogue.updatePhoto(catalogue.photoById('c')!, {
      meta: { takenAt: '2026-01-02T00:00:00', takenFrom: 'file', keywords: ['Sea'] },
    });
    expect(catalogue.photoChanges).toBeGreaterThan(before);
    expect(holders(catalogue, 'sea')).toEqual(['c']);
    catalogue.removePhoto(catalogue.photoById('b')!);
    expect(holders(catalogue, 'family')).toEqual(['a']);
    catalogue.addPhoto(photo('e', ['FAMILY']));
    expect(holders(catalogue, 'family')).toEqual(['a', 'e']);
    catalogue.updatePhoto(catalogue.photoById('a')!, { meta: undefined });
    expect(holders(catalogue, 'beach')).toEqual([]);
    agree();

    // A caller's changes to the answer do not reach the next one.
    const answer = keywordHolders(catalogue, 'family') as Set<string>;
    answer.add('z');
    expect(holders(catalogue, 'family')).toEqual(['e']);
  });
});
