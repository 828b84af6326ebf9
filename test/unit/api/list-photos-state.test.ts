/** listPhotos `state`: one folder's unreadable photos, each with its reason (Folders' link). */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLibraryFixture, type LibraryFixture } from '../../helpers/library-fixture.js';

describe('listPhotos by state', () => {
  let lib: LibraryFixture;

  beforeAll(async () => {
    lib = await openLibraryFixture();
    await writeFile(path.join(lib.photos, 'broken.jpg'), 'not a jpeg at all');
    await lib.api.call('indexPaths', { paths: [lib.photos] });
  });
  afterAll(() => lib?.engine.close());

  it('lists only the unreadable photos, with their reasons', async () => {
    const all = await lib.api.call('listPhotos', {});
    expect(all.total).toBe(4);
    const broken = await lib.api.call('listPhotos', { folder: lib.photos, state: 'error' });
    expect(broken.total).toBe(1);
    expect(broken.photos[0]).toMatchObject({
      path: path.join(lib.photos, 'broken.jpg'),
      state: 'error',
      error: { code: expect.stringMatching(/^IMAGE_/), message: expect.any(String) },
    });
    const indexed = await lib.api.call('listPhotos', { state: 'indexed' });
    expect(indexed.photos.map((p) => path.basename(p.path)).sort()).toEqual([
      'blue.png',
      'green.png',
      'red.png',
    ]);
    const elsewhere = path.join(lib.root, 'elsewhere');
    expect((await lib.api.call('listPhotos', { folder: elsewhere, state: 'error' })).total).toBe(0);
    await expect(lib.api.call('listPhotos', { state: 'broken' as 'error' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
