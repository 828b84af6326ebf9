/**
 * A small real library for transport tests: the tiny pack, three solid-colour photos indexed,
 * and one photo outside the library folder (to check that media access refuses it).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Api } from '../../src-main/engine/api/api.js';
import { Engine } from '../../src-main/engine/engine.js';
import { solidImage, tempDir } from './temp.js';
import { writeTinyPack } from './tiny-pack.js';

export interface LibraryFixture {
  root: string;
  photos: string;
  outside: string;
  engine: Engine;
  api: Api;
}

export async function openLibraryFixture(): Promise<LibraryFixture> {
  const root = await tempDir();
  await writeTinyPack(path.join(root, 'packs', 'tiny'));
  const photos = path.join(root, 'photos');
  await mkdir(photos, { recursive: true });
  await solidImage(path.join(photos, 'red.png'), [255, 0, 0]);
  await solidImage(path.join(photos, 'green.png'), [0, 255, 0]);
  await solidImage(path.join(photos, 'blue.png'), [0, 0, 255]);
  const outside = await solidImage(path.join(root, 'secret.png'), [9, 9, 9]);
  const engine = await Engine.open({
    dataDir: path.join(root, 'data'),
    packRoots: [path.join(root, 'packs')],
    provider: 'cpu',
  });
  return { root, photos, outside, engine, api: new Api(engine) };
}
