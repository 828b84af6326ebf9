/**
 * A small real library for transport tests: the tiny pack, three solid-colour photos indexed,
 * and one photo outside the library folder (to check that media access refuses it).
 */
import path from 'node:path';
import type { Api } from '../../src-main/engine/api/api.js';
import type { Engine } from '../../src-main/engine/engine.js';
import { openTinyEngine, tinyLibrary } from './engine-fixture.js';
import { solidImage } from './temp.js';

export interface LibraryFixture {
  root: string;
  photos: string;
  outside: string;
  engine: Engine;
  api: Api;
}

export async function openLibraryFixture(): Promise<LibraryFixture> {
  const lib = await tinyLibrary({
    colours: { red: [255, 0, 0], green: [0, 255, 0], blue: [0, 0, 255] },
  });
  const outside = await solidImage(path.join(lib.root, 'secret.png'), [9, 9, 9]);
  // The engine's own defaults: a worker thread when out/node is built, thumbnails made.
  const { engine, api } = await openTinyEngine(lib, { indexWorkers: undefined, thumbnails: true });
  return { root: lib.root, photos: lib.photos, outside, engine, api };
}
