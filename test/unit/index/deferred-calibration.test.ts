/**
 * A bulk index run that defers its full calibrations (EngineOptions.deferCalibration, as
 * `anytag index` runs) ends exactly where eager tagging ends: the same thresholds, calibration
 * summary and tags (label, score, row, vote, folding) on every photo — only the times differ.
 * Two libraries of the same photos, one eager and one deferred, indexed alike: first from
 * nothing (many calibrations due on the way), then again with photos changed (their index rows
 * rewritten while a calibration is owed) and new ones added.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/engine/engine.js';
import { solidImage, tempDir } from '../../helpers/temp.js';
import { writeTinyPack } from '../../helpers/tiny-pack.js';

/** Distinct colours: photo i of a run. */
function colour(i: number, shift = 0): [number, number, number] {
  return [(i * 37 + shift) % 256, (i * 91 + 60) % 256, (i * 53 + 200 - shift) % 256];
}

/** Everything tagging decided, without the times it was decided at. */
function outcome(engine: Engine): unknown {
  const withoutTime = <T extends object>(record: T): Omit<T, 'at'> => {
    const { at: _, ...rest } = record as T & { at?: string };
    return rest;
  };
  const vocabulary = engine.catalogue.vocabulary;
  const thresholds = Object.fromEntries(
    Object.entries(vocabulary.thresholds).map(([pack, byKey]) => [
      pack,
      Object.fromEntries(Object.entries(byKey).map(([key, r]) => [key, withoutTime(r)])),
    ]),
  );
  const calibration = Object.fromEntries(
    Object.entries(vocabulary.calibration).map(([pack, c]) => [pack, withoutTime(c)]),
  );
  const photos = engine.catalogue
    .photos()
    .map((p) => [path.basename(p.path), p.taggedBy?.pack, p.tags.map(withoutTime)] as const)
    .sort((a, b) => a[0].localeCompare(b[0]));
  return { thresholds, calibration, photos };
}

describe('deferred calibration', () => {
  let root: string;
  const engines: Engine[] = [];
  let photos: string;

  beforeAll(async () => {
    root = await tempDir();
    await writeTinyPack(path.join(root, 'packs', 'tiny'));
    photos = path.join(root, 'photos');
    await mkdir(photos);
    for (let i = 0; i < 26; i++) await solidImage(path.join(photos, `p${i}.png`), colour(i));
    for (const deferCalibration of [false, true]) {
      engines.push(
        await Engine.open({
          dataDir: path.join(root, deferCalibration ? 'deferred' : 'eager'),
          packRoots: [path.join(root, 'packs')],
          provider: 'cpu',
          indexWorkers: 0,
          // One batch per run: the photos join the index in the same order in both libraries
          // (two batches in flight may finish in either order).
          library: { batchSize: 64 },
          deferCalibration,
        }),
      );
    }
  });
  afterAll(async () => {
    for (const engine of engines) await engine.close();
  });

  it('ends a run from nothing with the eager thresholds and tags', async () => {
    for (const engine of engines) await engine.indexPaths([photos]);
    const [eager, deferred] = engines.map(outcome) as [
      { photos: [string, string, { label: string }[]][]; calibration: object },
      unknown,
    ];
    // 26 photos: calibrations fall due at 1, 2, 3, 4, 6, 8, 11, 14, 18 and 23 photos; the last
    // three photos are tagged with the thresholds of 23.
    expect(Object.values(eager.calibration)).toEqual([expect.objectContaining({ photos: 23 })]);
    expect(eager.photos.filter(([, , tags]) => tags.length > 0).length).toBeGreaterThan(10);
    expect(deferred).toEqual(eager);
  });

  it('ends a second run, with photos rewritten and added, with the eager result', async () => {
    // Changed photos are re-indexed (their rows rewritten in the index) among 12 new ones.
    for (let i = 0; i < 26; i += 5) {
      await solidImage(path.join(photos, `p${i}.png`), colour(i, 90), { width: 9 });
    }
    for (let i = 26; i < 38; i++) await solidImage(path.join(photos, `p${i}.png`), colour(i));
    for (const engine of engines) await engine.indexPaths([photos]);
    const [eager, deferred] = engines.map(outcome) as [
      { calibration: Record<string, { photos: number }> },
      unknown,
    ];
    // Recalibrated in this run (the library grew by more than a quarter).
    expect(Object.values(eager.calibration)[0]!.photos).toBeGreaterThan(26);
    expect(deferred).toEqual(eager);
  });
});
