/** The engine methods the app added: listPhotos, runtime settings, and the media path check. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInside } from '../../../src-main/engine/paths.js';
import { openLibraryFixture, type LibraryFixture } from '../../helpers/library-fixture.js';

describe('app support', () => {
  let lib: LibraryFixture;

  beforeAll(async () => {
    lib = await openLibraryFixture();
    await lib.api.call('indexPaths', { paths: [lib.photos] });
  });
  afterAll(() => lib?.engine.close());

  it('pages through the catalogue, optionally one folder', async () => {
    const first = await lib.api.call('listPhotos', { limit: 2 });
    expect(first.total).toBe(3);
    expect(first.photos).toHaveLength(2);
    const rest = await lib.api.call('listPhotos', { offset: 2, limit: 2 });
    expect(rest.photos).toHaveLength(1);
    const ids = [...first.photos, ...rest.photos].map((p) => p.id);
    expect(new Set(ids).size).toBe(3);
    const none = await lib.api.call('listPhotos', { folder: path.join(lib.root, 'elsewhere') });
    expect(none.total).toBe(0);
    await expect(lib.api.call('listPhotos', { limit: 0 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('keeps the provider and threads chosen, for the next start once a session runs', async () => {
    const before = await lib.api.call('runtimeSettings', {});
    expect(before.choices).toContain('cpu');
    const after = await lib.api.call('setRuntimeSettings', { provider: 'cpu', threads: 2 });
    expect(after).toMatchObject({ provider: 'cpu', threads: 2, restartNeeded: true });
    expect(lib.engine.catalogue.data.settings).toMatchObject({
      runtime: { provider: 'cpu', threads: 2 },
    });
    await expect(
      lib.api.call('setRuntimeSettings', { provider: 'quantum' as 'cpu' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('tells inside from outside, never by string prefix alone', () => {
    expect(isInside('/photos', '/photos/a.jpg')).toBe(true);
    expect(isInside('/photos', '/photos')).toBe(true);
    expect(isInside('/photos', '/photos-secret/a.jpg')).toBe(false);
    expect(isInside('/photos', '/photos/../etc/passwd')).toBe(false);
  });
});
