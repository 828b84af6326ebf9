/**
 * The set-up most engine tests share: a temporary root (removed after the test file) holding the
 * tiny pack (packs/tiny), a photos/ folder of solid-colour PNGs, and a data/ folder; and the real
 * engine opened on it (CPU, indexing on this thread, no thumbnails unless asked). Nothing is
 * stood in for: the tests run the real engine, store and ONNX runtime on these small files.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Api } from '../../src-main/engine/api/api.js';
import { Engine, type EngineOptions } from '../../src-main/engine/engine.js';
import { requireBuilt, STARTER_PACK } from './shared.js';
import { solidImage, tempDir } from './temp.js';
import { writeTinyPack, type TinyPackOptions } from './tiny-pack.js';

export type Rgb = [number, number, number];

/** Watcher timings (ms) short enough for a test to see changes within a second. */
export const QUICK_WATCH = { quietMs: 100, maxWaitMs: 500, stableMs: 100, intervalMs: 100 };

export interface TinyLibraryOptions {
  /** Solid-colour 8×8 photos to write, by name: `{ red: [255, 0, 0] }` → photos/red.png. */
  colours?: Record<string, Rgb>;
  /** How the tiny pack is written (its id, memory order, a broken manifest). */
  pack?: TinyPackOptions;
  /** Prefix of the temporary root's name (default "anytag-test-"). */
  prefix?: string;
}

export interface TinyLibrary {
  /** The temporary root; removed after the test file. */
  root: string;
  /** root/packs, holding the tiny pack in packs/tiny. */
  packs: string;
  /** root/photos (made, possibly empty). */
  photos: string;
  /** root/data, the engine's data folder (made by the engine). */
  data: string;
  /** The path of photos/<name>.png, as written for `colours`. */
  photo(name: string): string;
}

/** Writes the tiny pack and the photos; opens nothing. */
export async function tinyLibrary(options: TinyLibraryOptions = {}): Promise<TinyLibrary> {
  const root = await tempDir(options.prefix);
  const packs = path.join(root, 'packs');
  const photos = path.join(root, 'photos');
  await writeTinyPack(path.join(packs, 'tiny'), options.pack);
  await mkdir(photos, { recursive: true });
  const photo = (name: string): string => path.join(photos, `${name}.png`);
  for (const [name, rgb] of Object.entries(options.colours ?? {}))
    await solidImage(photo(name), rgb);
  return { root, packs, photos, data: path.join(root, 'data'), photo };
}

/**
 * Engine options for a tiny library: its data folder and packs, the CPU, indexing on this thread
 * (indexWorkers 0), no thumbnails; `overrides` win (`indexWorkers: undefined` leaves the
 * engine's own choice: a worker thread when out/node is built; `thumbnails: true` makes them).
 */
export function tinyEngineOptions(
  lib: Pick<TinyLibrary, 'data' | 'packs'>,
  overrides: Partial<EngineOptions> = {},
): EngineOptions {
  return {
    dataDir: lib.data,
    packRoots: [lib.packs],
    provider: 'cpu',
    indexWorkers: 0,
    thumbnails: false,
    ...overrides,
  };
}

export interface OpenEngine {
  engine: Engine;
  api: Api;
}

/** Opens the real engine on a tiny library (see tinyEngineOptions); the caller closes it. */
export async function openTinyEngine(
  lib: Pick<TinyLibrary, 'data' | 'packs'>,
  overrides: Partial<EngineOptions> = {},
): Promise<OpenEngine> {
  const engine = await Engine.open(tinyEngineOptions(lib, overrides));
  return { engine, api: new Api(engine) };
}

/**
 * Opens the real engine on the built starter pack (resources/packs) with a fresh data folder
 * (root/data, removed after the test file): the CPU, no thumbnails, the engine's own choice of
 * index workers; `overrides` win. Fails loudly when the pack is not built.
 */
export async function openStarterEngine(
  overrides: Partial<EngineOptions> = {},
): Promise<OpenEngine & { root: string }> {
  requireBuilt(STARTER_PACK, 'run `npm run build:packs` first');
  const root = await tempDir();
  const engine = await Engine.open({
    dataDir: path.join(root, 'data'),
    packRoots: [path.dirname(STARTER_PACK)],
    provider: 'cpu',
    thumbnails: false,
    ...overrides,
  });
  return { root, engine, api: new Api(engine) };
}
