/**
 * `anytag index` reports indexed / unchanged / left out (with reasons) / failed separately, as
 * the API result (the CLI's --json) and as the CLI's text.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIndex } from '../../../src-main/cli/format.js';
import type { Engine } from '../../../src-main/engine/engine.js';
import { openTinyEngine, tinyLibrary } from '../../helpers/engine-fixture.js';
import { solidImage } from '../../helpers/temp.js';

describe('the index report', () => {
  let photos: string;
  let engine: Engine;

  beforeAll(async () => {
    const lib = await tinyLibrary();
    photos = lib.photos;
    await mkdir(path.join(photos, '@eaDir'), { recursive: true });
    await solidImage(path.join(photos, 'a.png'), [200, 0, 0]);
    await solidImage(path.join(photos, '@eaDir', 'a.png'), [200, 0, 0]);
    await writeFile(path.join(photos, 'notes.psd'), 'psd');
    await writeFile(path.join(photos, 'broken.jpg'), 'not a jpeg');
    ({ engine } = await openTinyEngine(lib, { thumbnails: true }));
  });
  afterAll(() => engine?.close());

  it('counts and lists each outcome separately, the same way on a second run', async () => {
    const first = await engine.indexPaths([photos]);
    expect(first).toMatchObject({ indexed: 1, unchanged: 0, failed: 1, leftOutCount: 2 });
    expect(first.leftOut).toHaveLength(2);
    expect(first.leftOut).toEqual(
      expect.arrayContaining([
        { path: path.join(photos, '@eaDir'), reason: expect.stringMatching(/housekeeping/) },
        { path: path.join(photos, 'notes.psd'), reason: expect.stringMatching(/Photoshop/) },
      ]),
    );
    expect(first.failures).toEqual([
      {
        path: path.join(photos, 'broken.jpg'),
        code: 'IMAGE_UNSUPPORTED',
        message: expect.any(String),
      },
    ]);
    const second = await engine.indexPaths([photos]);
    expect(second).toMatchObject({ indexed: 0, unchanged: 1, leftOutCount: 2 });
    expect(second.failures).toHaveLength(1);
    const text = formatIndex(second, 1.5);
    expect(text.split('\n')[0]).toMatch(/^indexed 0, unchanged 1, left out 2, failed 1 /);
    expect(text).toContain(
      `  ${path.join(photos, 'notes.psd')} — Photoshop documents are not decoded`,
    );
    expect(text).toMatch(/failed:\n {2}.*broken\.jpg — IMAGE_UNSUPPORTED: /);
  });
});
