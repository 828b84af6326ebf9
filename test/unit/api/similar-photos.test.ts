/** similarPhotos ("more like this") on the tiny pack: nearest by stored matrices, no model. */
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../../src-main/engine/api/api.js';
import { Engine } from '../../../src-main/engine/engine.js';
import { solidImage, tempDir } from '../../helpers/temp.js';
import { writeTinyPack } from '../../helpers/tiny-pack.js';

const COLOURS: Record<string, [number, number, number]> = {
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
    root = await tempDir();
    await writeTinyPack(path.join(root, 'packs', 'tiny'));
    await mkdir(path.join(root, 'photos'));
    for (const [name, rgb] of Object.entries(COLOURS)) await solidImage(photo(name), rgb);
    engine = await Engine.open({
      dataDir: path.join(root, 'data'),
      packRoots: [path.join(root, 'packs')],
      provider: 'cpu',
      indexWorkers: 0,
      thumbnails: false,
    });
    api = new Api(engine);
    await api.call('indexPaths', { paths: [path.join(root, 'photos')] });
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
