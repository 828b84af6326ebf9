/**
 * listPhotos orders: date taken (the file date when a photo has none) both ways, file date, file
 * name, folder by folder.
 */
import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLibraryFixture, type LibraryFixture } from '../../helpers/library-fixture.js';

describe('listPhotos sort', () => {
  let lib: LibraryFixture;
  const names = async (
    sort?: 'taken-desc' | 'taken-asc' | 'modified' | 'name' | 'folder',
  ): Promise<string[]> =>
    (await lib.api.call('listPhotos', sort ? { sort } : {})).photos.map((p) =>
      path.basename(p.path),
    );

  beforeAll(async () => {
    lib = await openLibraryFixture();
    // green is the oldest file, blue the newest.
    const times: Record<string, number> = { green: 1_000_000, red: 2_000_000, blue: 3_000_000 };
    for (const [name, seconds] of Object.entries(times)) {
      await utimes(path.join(lib.photos, `${name}.png`), seconds, seconds);
    }
    await lib.api.call('indexPaths', { paths: [lib.photos] });
  });
  afterAll(() => lib?.engine.close());

  it('puts the newest first by default, and can turn that round or go by name', async () => {
    expect(await names()).toEqual(['blue.png', 'red.png', 'green.png']);
    expect(await names('taken-desc')).toEqual(['blue.png', 'red.png', 'green.png']);
    expect(await names('taken-asc')).toEqual(['green.png', 'red.png', 'blue.png']);
    expect(await names('modified')).toEqual(['blue.png', 'red.png', 'green.png']);
    expect(await names('name')).toEqual(['blue.png', 'green.png', 'red.png']);
    expect(await names('folder')).toEqual(['blue.png', 'green.png', 'red.png']);
    await expect(lib.api.call('listPhotos', { sort: 'random' as 'name' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
