/**
 * The model manager on an official-format SDL checkpoint (random weights, made by training/):
 * refusals that leave the active pack working, import → convert → list → use → search with a
 * seen NUS-WIDE label and an unseen word (through the GloVe → 300-d word map), and the download
 * from a local HTTP server that cuts the first transfer (resume, progress), then conversion.
 * One checkpoint for the whole file; two conversions (import, download).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../../src-main/engine/api/api.js';
import { Engine } from '../../../src-main/engine/engine.js';
import type { PackProgress } from '../../../src-main/engine/model/pack-results.js';
import { loadSdlLabels } from '../../../src-main/engine/model/official-sdl.js';
import { requireBuilt, STARTER_PACK } from '../../helpers/shared.js';
import { tempDir } from '../../helpers/temp.js';
import { writeTinyPack } from '../../helpers/tiny-pack.js';
import { makeCheckpoint, NUS, python } from '../convert/fixtures.js';

const SLOW = { timeout: 300_000 };

let root: string;
let data: string;
let checkpoint: string;
let engine: Engine;
let api: Api;
const progress: PackProgress[] = [];

beforeAll(async () => {
  requireBuilt(
    STARTER_PACK,
    'run `npm run build:packs` first (its word table reaches unseen words)',
  );
  root = await tempDir('anytag-official-pack-');
  data = path.join(root, 'data');
  // The label resources, built from the shared reference copy by the same builder as build:packs.
  await python([
    '-m',
    'anytag_training.packs.nus_labels',
    '--reference',
    NUS,
    '--out',
    path.join(root, 'sdl-labels'),
  ]);
  checkpoint = await makeCheckpoint(path.join(root, 'official.pth'));
  await writeTinyPack(path.join(root, 'bundled', 'tiny'));
  const photos = path.join(root, 'photos');
  await mkdir(photos);
  for (const f of (await readdir(path.join(NUS, 'pics'))).sort().slice(0, 3)) {
    await copyFile(path.join(NUS, 'pics', f), path.join(photos, f));
  }
  engine = await Engine.open({
    dataDir: data,
    // The tiny pack comes first (active until `use`); the starter pack lends its word table.
    packRoots: [path.join(root, 'bundled'), path.dirname(STARTER_PACK)],
    provider: 'cpu',
    indexWorkers: 0,
  });
  api = new Api(engine, { packs: { sdlLabelsDir: path.join(root, 'sdl-labels') } });
  api.on('packProgress', (p) => progress.push(p));
  await api.call('indexPaths', { paths: [photos] });
}, 300_000);

afterAll(() => engine?.close());

const tinySearchWorks = async (): Promise<void> => {
  const result = await api.call('search', { query: 'red' });
  expect(result.hits).toHaveLength(3);
  expect((await engine.activePack()).pack.manifest.id).toBe('tiny');
};
const nothingLeftBehind = async (): Promise<void> => {
  expect(existsSync(path.join(data, 'packs', 'sdl-nus-wide-tresnet-m'))).toBe(false);
  expect(await readdir(path.join(data, 'packs-incoming')).catch(() => [])).toEqual([]);
};

describe('the NUS-WIDE label resources', () => {
  it('hold the 1006 official labels and vectors, 81 unseen', async () => {
    const space = await loadSdlLabels(path.join(root, 'sdl-labels'));
    expect(space).toMatchObject({ dim: 300 });
    expect(space.labels).toHaveLength(1006);
    expect(space.unseen).toHaveLength(81);
    const shared = await readFile(path.join(NUS, 'wordvec-300d.f32'));
    expect(Buffer.from(space.vectors.buffer).equals(shared)).toBe(true);
  });
});

describe('importing refusals leave the active pack working', () => {
  it('a checkpoint cut short', async () => {
    const cut = path.join(root, 'cut.pth');
    const src = await open(checkpoint);
    const half = Buffer.alloc(Math.floor((await stat(checkpoint)).size / 2));
    await src.read(half, 0, half.length, 0);
    await src.close();
    await writeFile(cut, half);
    await expect(api.call('importPack', { path: cut })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { reason: 'not-zip' },
    });
    await nothingLeftBehind();
    await tinySearchWorks();
  });

  it('a zip that is not a torch checkpoint', async () => {
    const foreign = path.join(root, 'foreign.zip');
    await python(['-m', 'zipfile', '-c', foreign, path.join(NUS, 'labels.json')]);
    await expect(api.call('importPack', { path: foreign })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { reason: 'not-torch' },
    });
    await nothingLeftBehind();
    await tinySearchWorks();
  });

  it('a pack folder whose files do not match pack.json', async () => {
    const bad = await writeTinyPack(path.join(root, 'bad'), { id: 'bad' });
    await writeFile(path.join(bad, 'words.awt'), 'not a word table');
    await expect(api.call('importPack', { path: bad })).rejects.toMatchObject({
      code: 'PACK_INVALID',
      message: expect.stringMatching(/wordTable\.sha256/),
    });
    expect(existsSync(path.join(data, 'packs', 'bad'))).toBe(false);
    await tinySearchWorks();
  });
});

describe('an official-format checkpoint from disk', () => {
  it('converts, lists, becomes active and re-embeds; any word searches', SLOW, async () => {
    progress.length = 0;
    const imported = await api.call('importPack', { path: checkpoint });
    const sha256 = createHash('sha256')
      .update(await readFile(checkpoint))
      .digest('hex');
    expect(imported).toMatchObject({
      how: 'converted',
      pack: { id: 'sdl-nus-wide-tresnet-m', k: 7, d: 300, labels: 1006 },
      conversion: { checkpointSha256: sha256, labelWarnings: [] },
    });
    expect(imported.pack.source).toContain(sha256);
    console.log(JSON.stringify({ importConversion: imported.conversion }));
    const phases = [...new Set(progress.map((p) => p.phase))];
    expect(phases).toEqual([
      'reading',
      'writing-model',
      'writing-labels',
      'validating',
      'installing',
      'done',
    ]);
    const info = JSON.parse(
      await readFile(path.join(imported.pack.dir, 'build-info.json'), 'utf8'),
    );
    expect(info).toMatchObject({ checkpoint: { sha256 }, labels: { count: 1006, unseen: 81 } });

    const { packs } = await api.call('listPacks', {});
    expect(packs.map((p) => [p.id, p.active])).toContainEqual(['sdl-nus-wide-tresnet-m', false]);

    const used = await api.call('usePack', { id: 'sdl-nus-wide-tresnet-m' });
    expect(used.reembedQueued).toBe(3);
    await (await engine.library()).queue.drained();
    expect(engine.catalogue.photos().map((p) => p.embedding?.pack)).toEqual(
      Array(3).fill('sdl-nus-wide-tresnet-m'),
    );
    // "deer" is one of the 1006 labels: its official vector. "violin" is not: GloVe → word map.
    const seen = await api.call('search', { query: 'deer' });
    expect(seen.hits).toHaveLength(3);
    expect(seen.hits[0]!.why[0]).toMatchObject({ term: 'deer', source: 'seen' });
    const unseen = await api.call('search', { query: 'violin' });
    expect(unseen.hits).toHaveLength(3);
    expect(unseen.hits[0]!.why[0]).toMatchObject({ term: 'violin', source: 'word' });
    expect(Number.isFinite(unseen.hits[0]!.score)).toBe(true);
  });
});

describe('downloading the official checkpoint', () => {
  let server: Server;
  let body: Buffer;
  const ranges: (string | undefined)[] = [];
  let cutNext = true;

  beforeAll(async () => {
    body = await readFile(checkpoint);
    server = createServer((req, res) => {
      ranges.push(req.headers.range);
      const start = Number(/bytes=(\d+)-/.exec(req.headers.range ?? '')?.[1] ?? 0);
      const headers = { 'content-length': String(body.length - start) };
      if (start > 0) {
        res.writeHead(206, {
          ...headers,
          'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
        });
      } else res.writeHead(200, headers);
      if (cutNext) {
        cutNext = false;
        res.write(body.subarray(start, start + 20_000_000), () => res.socket?.destroy());
      } else res.end(body.subarray(start));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('resumes after a cut, reports progress, then converts', SLOW, async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/NUS_mtresnet_224.pth`;
    await api.call('usePack', { id: 'tiny' });
    await api.call('removePack', { id: 'sdl-nus-wide-tresnet-m' });
    progress.length = 0;
    await expect(api.call('downloadOfficialModel', { url })).rejects.toMatchObject({
      code: 'IO',
      details: { reason: 'interrupted' },
    });
    const part = path.join(data, 'downloads', 'NUS_mtresnet_224.pth.part');
    const kept = (await stat(part)).size;
    expect(kept).toBeGreaterThan(0);
    await nothingLeftBehind();

    const result = await api.call('downloadOfficialModel', { url });
    expect(ranges).toEqual([undefined, `bytes=${kept}-`]);
    const sha256 = createHash('sha256').update(body).digest('hex');
    expect(result).toMatchObject({ how: 'converted', pack: { id: 'sdl-nus-wide-tresnet-m' } });
    expect(result.pack.source).toContain(`${url} (sha256 ${sha256}, ${body.length} bytes`);
    const downloads = progress.filter((p) => p.phase === 'downloading');
    expect(downloads.length).toBeGreaterThan(1);
    expect(downloads.at(-1)!.totalBytes).toBe(body.length);
    expect(progress.at(-1)!.phase).toBe('done');
    const info = JSON.parse(await readFile(path.join(result.pack.dir, 'build-info.json'), 'utf8'));
    expect(info.checkpoint).toMatchObject({
      url,
      sha256,
      bytes: body.length,
      resumedFromBytes: kept,
    });
    // The converted pack keeps what it needs; the downloaded checkpoint is not kept.
    expect(await readdir(path.join(data, 'downloads'))).toEqual([]);
    console.log(JSON.stringify({ downloadConversion: result.conversion }));
  });
});
