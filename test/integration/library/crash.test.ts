/**
 * Kills the indexing process (compiled engine, worker threads) with SIGKILL at random moments,
 * many times, moving and deleting photos between runs. After every kill the catalogue must
 * load, hold each path and each id at most once, and keep every known photo's id (moved or not)
 * and its matrix; at the end every photo is there exactly once, indexed, with its own matrix.
 */
import { spawn } from 'node:child_process';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/engine/engine.js';
import { Catalogue } from '../../../src-main/engine/store/catalogue.js';
import { REPO_ROOT, requireBuilt } from '../../helpers/shared.js';
import { solidImage, tempDir } from '../../helpers/temp.js';
import { expectedTinyMatrix, writeTinyPack } from '../../helpers/tiny-pack.js';

const CHILD = path.join(import.meta.dirname, 'crash-child.mjs');
const PHOTOS = 800;
/** New photos arriving before each restart, so every run has indexing to be killed in. */
const ARRIVING = 60;
const KILLS = 20;

/** A distinct colour per photo, so every photo has its own hash and its own matrix. */
const colourOf = (i: number): [number, number, number] => [
  i % 256,
  (Math.floor(i / 256) * 40) % 256,
  (i * 91 + 40) % 256,
];

/** When to kill: ms after the start, or ms after the child says it is ready to index. */
type KillAt = { afterStartMs: number } | { afterReadyMs: number } | null;

function runChild(args: string[], killAt: KillAt): Promise<'done' | 'killed'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    const killIn = (ms: number) => (timer = setTimeout(() => child.kill('SIGKILL'), ms));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (killAt && 'afterReadyMs' in killAt && !timer && out.includes('ready\n')) {
        killIn(killAt.afterReadyMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    if (killAt && 'afterStartMs' in killAt) killIn(killAt.afterStartMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0 && out.includes('done')) resolve('done');
      else reject(new Error(`child exited ${code ?? signal}: ${err}`));
    });
  });
}

describe('indexing survives SIGKILL at random moments', () => {
  let root: string;
  let photos: string;
  let data: string;
  let packs: string;
  /** Expected file for each photo index (moves update it; deletions remove it). */
  const files = new Map<number, string>();

  beforeAll(async () => {
    requireBuilt(path.join(REPO_ROOT, 'out', 'node', 'engine', 'engine.js'), 'run `npm run build`');
    root = await tempDir();
    packs = path.join(root, 'packs');
    await writeTinyPack(path.join(packs, 'tiny'));
    photos = path.join(root, 'photos');
    data = path.join(root, 'data');
    for (let i = 0; i < PHOTOS; i++) await addPhoto(i);
  });

  async function addPhoto(i: number): Promise<void> {
    const dir = path.join(photos, `roll-${i % 6}`);
    await mkdir(dir, { recursive: true });
    files.set(i, await solidImage(path.join(dir, `p${i}.png`), colourOf(i), { width: 24 }));
  }

  it(`keeps the catalogue whole across ${KILLS} kills`, { timeout: 180_000 }, async () => {
    const args = [data, packs, photos];
    const idOf = new Map<number, string>();
    let killedMidRun = 0;
    let moved = 0;
    let deleted = 0;
    let recovered = 0;
    const indexedAfterKill: number[] = [];
    // Most kills land while the library scans, indexes and saves (after the child is ready);
    // every fourth lands anywhere in start-up (opening the catalogue, recovering, loading).
    for (let kill = 0; kill < KILLS; kill++) {
      const random = (ms: number) => Math.floor(Math.random() * ms);
      const outcome = await runChild(
        args,
        kill % 4 === 0 ? { afterStartMs: 50 + random(1500) } : { afterReadyMs: random(500) },
      );
      if (outcome === 'killed') killedMidRun++;
      const catalogue = await Catalogue.open(data);
      if (catalogue.loadReport.recoveredFrom) recovered++;
      const list = catalogue.photos();
      indexedAfterKill.push(list.filter((p) => p.state === 'indexed').length);
      expect(new Set(list.map((p) => p.path)).size).toBe(list.length);
      expect(new Set(list.map((p) => p.id)).size).toBe(list.length);
      for (const [i, file] of files) {
        const photo = catalogue.photoByPath(file);
        if (!photo) continue;
        // Once a photo's content is known, it keeps its id: across crashes, moves and restarts.
        if (idOf.has(i)) expect(photo.id, file).toBe(idOf.get(i));
        if (photo.hash) idOf.set(i, photo.id);
        // Tags are derived from the stored matrix (and re-derived when the vocabulary changes),
        // so an indexed photo must have its matrix; the final check compares every matrix.
        if (photo.state === 'indexed') expect(photo.embedding, file).toBeDefined();
      }
      // Between runs, like a user: new photos arrive, one moves to another folder, now and then
      // one is deleted.
      for (let n = 0; n < ARRIVING; n++) await addPhoto(PHOTOS + kill * ARRIVING + n);
      const i = (kill * 7) % PHOTOS;
      const from = files.get(i);
      if (from) {
        const to = path.join(photos, `roll-${(kill + 1) % 6}`, `moved-${kill}.png`);
        await rename(from, to);
        files.set(i, to);
        moved++;
      }
      if (kill % 5 === 4) {
        const j = (kill * 13 + 3) % PHOTOS;
        const gone = files.get(j);
        if (gone && j !== i) {
          await rm(gone);
          files.delete(j);
          idOf.delete(j);
          deleted++;
        }
      }
    }
    expect(await runChild(args, null)).toBe('done');

    const engine = await Engine.open({ dataDir: data, packRoots: [packs], indexWorkers: 0 });
    try {
      const list = engine.catalogue.photos();
      expect(list).toHaveLength(files.size);
      const { searchIndex } = await engine.activePack();
      for (const [i, file] of files) {
        const photo = engine.catalogue.photoByPath(file);
        expect(photo, file).toMatchObject({ state: 'indexed' });
        if (idOf.has(i)) expect(photo!.id).toBe(idOf.get(i));
        const matrix = await engine.matrixOf(photo!.id);
        expectedTinyMatrix(colourOf(i), 'kd').forEach((v, k) =>
          expect(matrix[k]).toBeCloseTo(v, 2),
        );
        expect(searchIndex.has(photo!.id)).toBe(true);
      }
      expect(searchIndex.size).toBe(files.size);
    } finally {
      await engine.close();
    }
    console.log(
      JSON.stringify({
        kills: KILLS,
        killedMidRun,
        moved,
        deleted,
        recovered,
        photos: files.size,
        indexedAfterKill,
      }),
    );
  });
});
