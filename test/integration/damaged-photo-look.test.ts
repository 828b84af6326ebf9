/**
 * The real starter pack on a damaged photo: a truncated JPEG of a colour photo is indexed as far
 * as it could be read, the rest the decoder's grey fill. The pack's photo-look rows (computed from
 * pixel statistics, pack.json `output.pixelRows`) must not speak for the fill: the cut photo is
 * neither tagged nor ranked first for "black and white", "night", "fog" or "sky", while a genuinely grey
 * photo still is found for "black and white".
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../src-main/engine/api/api.js';
import type { Engine } from '../../src-main/engine/engine.js';
import { openStarterEngine } from '../helpers/engine-fixture.js';
import { REFERENCE_PHOTOS } from '../helpers/shared.js';

const LOOKS = ['black and white', 'night', 'fog', 'sky'];

describe('starter pack on a truncated colour photo', () => {
  let engine: Engine;
  let api: Api;
  let photos: string;
  const at = (name: string) => path.join(photos, name);

  beforeAll(async () => {
    let root: string;
    ({ engine, api, root } = await openStarterEngine({ packId: 'starter-mobilenetv2-glove100' }));
    photos = path.join(root, 'photos');
    await mkdir(photos);
    const parrot = await readFile(path.join(REFERENCE_PHOTOS, 'parrot.jpg'));
    // The first tenth of a colour photo (its top rows); the decoder fills the rest.
    await writeFile(at('cut-parrot.jpg'), parrot.subarray(0, Math.floor(parrot.length / 10)));
    await sharp(path.join(REFERENCE_PHOTOS, 'kite_and_cold.jpg'))
      .greyscale()
      .jpeg()
      .toFile(at('grey-kite.jpg'));
    for (const name of ['bird.jpg', 'owl.jpg', 'hot_dog.jpg', 'dragonfly.jpg'])
      await writeFile(at(name), await readFile(path.join(REFERENCE_PHOTOS, name)));
    const result = await api.call('indexPaths', { paths: [photos] });
    expect(result).toMatchObject({ total: 6, indexed: 6, failed: 0 });
  });
  afterAll(() => engine?.close());

  it('indexes the cut photo as damaged, with a pack that declares its pixel rows', async () => {
    const { pack } = await engine.activePack();
    expect(pack.manifest.output.pixelRows?.length).toBeGreaterThan(0);
    expect(engine.catalogue.photoByPath(at('cut-parrot.jpg'))?.damaged).toMatch(/JPEG/);
  });

  it('does not tag the cut photo with a look of its fill', async () => {
    const { tags } = await api.call('photoTags', { photo: at('cut-parrot.jpg') });
    const labels = tags.map((t) => t.label);
    for (const look of LOOKS) expect(labels, look).not.toContain(look);
  });

  it('ranks the cut photo first for no look, and the grey photo first for black and white', async () => {
    for (const query of LOOKS) {
      const { hits } = await api.call('search', { query, limit: 1 });
      expect(hits[0]?.path, query).not.toBe(at('cut-parrot.jpg'));
    }
    const { hits } = await api.call('search', { query: 'black and white', limit: 1 });
    expect(hits[0]?.path).toBe(at('grey-kite.jpg'));
    const { tags } = await api.call('photoTags', { photo: at('grey-kite.jpg') });
    expect(tags.map((t) => t.label)).toContain('black and white');
  });
});
