/** Saved searches (smart albums): kept in the catalogue, counted afresh as photos arrive. */
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLibraryFixture, type LibraryFixture } from '../../helpers/library-fixture.js';

describe('saved searches', () => {
  let lib: LibraryFixture;

  beforeAll(async () => {
    lib = await openLibraryFixture();
    await lib.api.call('indexPaths', { paths: [lib.photos] });
  });
  afterAll(() => lib?.engine.close());

  it('saves, counts, grows with new photos, persists, and removes', async () => {
    const matched = async (query: string): Promise<number> =>
      (await lib.api.call('search', { query, matchedOnly: true, limit: 100 })).hits.length;
    const saved = await lib.api.call('saveSearch', { query: 'red', name: 'Reds' });
    const before = await matched('red');
    expect(before).toBeGreaterThan(0);
    expect(saved.searches).toEqual([{ query: 'red', name: 'Reds', matches: before }]);
    expect(lib.engine.catalogue.setting('savedSearches')).toEqual([{ query: 'red', name: 'Reds' }]);

    // A new red photo arrives: the album counts it without being saved again.
    await copyFile(path.join(lib.photos, 'red.png'), path.join(lib.photos, 'red-copy.png'));
    await lib.api.call('indexPaths', { paths: [lib.photos] });
    const { searches } = await lib.api.call('listSavedSearches', {});
    expect(searches[0]!.matches).toBe(await matched('red'));
    expect(searches[0]!.matches).toBe(before + 1);

    const renamed = await lib.api.call('saveSearch', { query: 'red', name: 'Red things' });
    expect(renamed.searches.map((s) => s.name)).toEqual(['Red things']);
    expect((await lib.api.call('removeSavedSearch', { query: 'red' })).searches).toEqual([]);
  });
});
