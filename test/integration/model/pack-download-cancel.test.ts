/**
 * The model download as Settings offers it: its size said before it starts (HEAD, and what an
 * earlier broken download left), and Cancel mid-transfer through the API — the call fails with
 * CANCELLED and leaves nothing: no .part, no downloaded file, no pack, the active pack unchanged.
 * The source is a local HTTP server that sends the file slowly (the network is the true edge).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../../src-main/engine/api/api.js';
import { Engine } from '../../../src-main/engine/engine.js';
import type { PackProgress } from '../../../src-main/engine/model/pack-results.js';
import { tempDir } from '../../helpers/temp.js';
import { writeTinyPack } from '../../helpers/tiny-pack.js';

const body = randomBytes(2_000_000);
const CHUNK = 64 * 1024;
let server: Server;
let url = '';
let root: string;
let data: string;
let engine: Engine;
let api: Api;
const progress: PackProgress[] = [];

beforeAll(async () => {
  // Sends 64 kB every 20 ms: a 2 MB file takes ~0.6 s, time enough to cancel it midway.
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-length': String(body.length) });
    if (req.method === 'HEAD') return void res.end();
    let at = 0;
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      res.write(body.subarray(at, at + CHUNK));
      at += CHUNK;
      if (at >= body.length) {
        clearInterval(timer);
        res.end();
      }
    }, 20);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/NUS_mtresnet_224.pth`;

  root = await tempDir('anytag-download-cancel-');
  data = path.join(root, 'data');
  await writeTinyPack(path.join(root, 'bundled', 'tiny'));
  // The conversion's inputs are checked before any download: a small, valid label space.
  const labels = path.join(root, 'sdl-labels');
  await mkdir(labels);
  const vectors = Buffer.from(new Float32Array([1, 0, 0, 0, 0, 1, 0, 0]).buffer);
  await writeFile(path.join(labels, 'vectors.f32'), vectors);
  await writeFile(
    path.join(labels, 'labels.json'),
    JSON.stringify({
      labels: ['sky', 'dog'],
      unseen: [],
      dim: 4,
      vectors: {
        file: 'vectors.f32',
        sha256: createHash('sha256').update(vectors).digest('hex'),
      },
      source: 'test',
    }),
  );
  engine = await Engine.open({
    dataDir: data,
    packRoots: [path.join(root, 'bundled')],
    provider: 'cpu',
    indexWorkers: 0,
  });
  api = new Api(engine, {
    packs: {
      sdlLabelsDir: labels,
      wordTablePath: path.join(root, 'bundled', 'tiny', 'words.awt'),
    },
  });
  api.on('packProgress', (p) => progress.push(p));
});

afterAll(async () => {
  await engine?.close();
  await new Promise((resolve) => server.close(resolve));
});

describe('the official model download', () => {
  it('says its size before it starts, and what is already here', async () => {
    expect(await api.call('officialModelDownload', { url })).toEqual({
      url,
      totalBytes: body.length,
      downloadedBytes: 0,
    });
    const unreachable = 'http://127.0.0.1:9/NUS_mtresnet_224.pth';
    expect((await api.call('officialModelDownload', { url: unreachable })).totalBytes).toBeNull();
  });

  it('stops on Cancel with CANCELLED, leaving no partial file and no pack', async () => {
    expect(await api.call('cancelPackDownload', {})).toEqual({ cancelled: false });
    const packsBefore = await api.call('listPacks', {});
    const download = api.call('downloadOfficialModel', { url });
    const outcome = download.then(
      () => 'finished',
      (error: unknown) => error,
    );
    // Cancel once some bytes have arrived (the file is far from whole).
    const started = Date.now();
    while (!progress.some((p) => (p.receivedBytes ?? 0) > 0) && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const received = progress.at(-1)?.receivedBytes ?? 0;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(body.length);
    const downloads = path.join(data, 'downloads');
    expect(await readdir(downloads)).toEqual(['NUS_mtresnet_224.pth.part']);

    expect(await api.call('cancelPackDownload', {})).toEqual({ cancelled: true });
    expect(await outcome).toMatchObject({ code: 'CANCELLED', details: { reason: 'cancelled' } });

    expect(await readdir(downloads)).toEqual([]);
    expect(existsSync(path.join(data, 'packs', 'sdl-nus-wide-tresnet-m'))).toBe(false);
    expect(await readdir(path.join(data, 'packs-incoming')).catch(() => [])).toEqual([]);
    expect(await api.call('listPacks', {})).toEqual(packsBefore);
    expect((await api.call('officialModelDownload', { url })).downloadedBytes).toBe(0);
    // Nothing is left running: another Cancel has nothing to stop.
    expect(await api.call('cancelPackDownload', {})).toEqual({ cancelled: false });
  });
});
