/** similarPhotos ("more like this") on the tiny pack: nearest by stored matrices, no model. */
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../../src-main/engine/api/api.js';
import type { Engine } from '../../../src-main/engine/engine.js';
import { openTinyEngine, tinyLibrary, type Rgb } from '../../helpers/engine-fixture.js';

const COLOURS: Record<string, Rgb> = {
  red: [255, 0, 0],
  crimson: [220, 20, 0],
  maroon: [140, 0, 0],
  blue: [0, 0, 255],
  navy: [0, 0, 120],
  green: [0, 255, 0],
};

describe('similarPhotos', () => {
  let root: string;
  let engine: Engine;
  let api: Api;
  const photo = (colour: string): string => path.join(root, 'photos', `${colour}.png`);

  beforeAll(async () => {
    const lib = await tinyLibrary({ colours: COLOURS });
    root = lib.root;
    ({ engine, api } = await openTinyEngine(lib));
    await api.call('indexPaths', { paths: [lib.photos] });
    // No model from here on: "more like this" reads only the stored matrices.
    await rename(path.join(root, 'packs', 'tiny', 'model.onnx'), path.join(root, 'model.away'));
  });

  afterAll(() => engine?.close());

  it('ranks the reds nearest a red photo, itself left out, best first', async () => {
    const like = await api.call('similarPhotos', { photo: photo('red'), limit: 5 });
    const names = like.hits.map((h) => path.basename(h.path, '.png'));
    expect(like.photo.path).toBe(photo('red'));
    expect(names).not.toContain('red');
    expect(names).toHaveLength(5);
    expect(new Set(names.slice(0, 2))).toEqual(new Set(['crimson', 'maroon']));
    const scores = like.hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores[0]).toBeGreaterThan(scores.at(-1)!);

    const blue = await api.call('similarPhotos', { photo: photo('blue'), limit: 1 });
    expect(path.basename(blue.hits[0]!.path, '.png')).toBe('navy');
    await expect(api.call('similarPhotos', { photo: '/nowhere.png' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
