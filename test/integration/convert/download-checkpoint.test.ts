import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadCheckpoint } from '../../../src-main/engine/model/convert/download-checkpoint.js';

const body = randomBytes(1 << 20);
const sha256 = createHash('sha256').update(body).digest('hex');
/** How the next request is served: 'ok', 'cut' (drop after 300 kB), 'no-range' (ignore Range). */
let mode: 'ok' | 'cut' | 'no-range' = 'ok';
const ranges: (string | undefined)[] = [];
let server: Server;
let base = '';
let dir = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url !== '/ck.pth') return void res.writeHead(404).end();
    ranges.push(req.headers.range);
    const m = /bytes=(\d+)-/.exec(req.headers.range ?? '');
    const start = m && mode !== 'no-range' ? Number(m[1]) : 0;
    if (start >= body.length) return void res.writeHead(416).end();
    const headers = { 'content-length': String(body.length - start) };
    if (start > 0)
      res.writeHead(206, {
        ...headers,
        'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
      });
    else res.writeHead(200, headers);
    if (mode === 'cut') {
      res.write(body.subarray(start, start + 300_000), () => res.socket?.end());
      mode = 'ok';
    } else res.end(body.subarray(start));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(path.join(os.tmpdir(), 'anytag-download-'));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  mode = 'ok';
  ranges.length = 0;
});

describe('downloadCheckpoint', () => {
  it('downloads, checks the pins and renames into place', async () => {
    const dest = path.join(dir, 'a.pth');
    const seen: number[] = [];
    const result = await downloadCheckpoint({
      url: `${base}/ck.pth`,
      dest,
      bytes: body.length,
      sha256,
      onProgress: (p) => seen.push(p.receivedBytes),
    });
    expect(result).toMatchObject({ file: dest, bytes: body.length, sha256, resumedFromBytes: 0 });
    expect((await readFile(dest)).equals(body)).toBe(true);
    expect(seen.at(-1)).toBe(body.length);
    await expect(stat(`${dest}.part`)).rejects.toThrow();
  });

  it('keeps an interrupted download and resumes it with a Range request', async () => {
    const dest = path.join(dir, 'b.pth');
    mode = 'cut';
    await expect(
      downloadCheckpoint({ url: `${base}/ck.pth`, dest, bytes: body.length, sha256 }),
    ).rejects.toMatchObject({
      code: 'IO',
      details: { reason: 'interrupted' },
    });
    const kept = (await stat(`${dest}.part`)).size; // what reached the client before the cut
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(300_000);
    const result = await downloadCheckpoint({
      url: `${base}/ck.pth`,
      dest,
      bytes: body.length,
      sha256,
    });
    expect(result.resumedFromBytes).toBe(kept);
    expect(ranges).toEqual([undefined, `bytes=${kept}-`]);
    expect((await readFile(dest)).equals(body)).toBe(true);
  });

  it('starts over when the server ignores Range', async () => {
    const dest = path.join(dir, 'c.pth');
    await writeFile(`${dest}.part`, body.subarray(0, 1000));
    mode = 'no-range';
    const result = await downloadCheckpoint({ url: `${base}/ck.pth`, dest, sha256 });
    expect(result.resumedFromBytes).toBe(0);
    expect((await readFile(dest)).equals(body)).toBe(true);
  });

  it('finishes a .part that is already whole (416)', async () => {
    const dest = path.join(dir, 'd.pth');
    await writeFile(`${dest}.part`, body);
    const result = await downloadCheckpoint({
      url: `${base}/ck.pth`,
      dest,
      bytes: body.length,
      sha256,
    });
    expect(result.sha256).toBe(sha256);
  });

  it('deletes and refuses a download whose sha256 differs from the pin', async () => {
    const dest = path.join(dir, 'e.pth');
    const attempt = downloadCheckpoint({ url: `${base}/ck.pth`, dest, sha256: '0'.repeat(64) });
    await expect(attempt).rejects.toMatchObject({
      code: 'IO',
      details: { reason: 'hash-mismatch', actual: sha256 },
    });
    await expect(stat(dest)).rejects.toThrow();
    await expect(stat(`${dest}.part`)).rejects.toThrow();
  });

  it('reports HTTP errors and unreachable servers', async () => {
    const dest = path.join(dir, 'f.pth');
    await expect(downloadCheckpoint({ url: `${base}/missing.pth`, dest })).rejects.toMatchObject({
      code: 'IO',
      details: { status: 404 },
    });
    await expect(
      downloadCheckpoint({ url: 'http://127.0.0.1:1/x.pth', dest }),
    ).rejects.toMatchObject({ code: 'IO', details: { reason: 'unreachable' } });
  });
});
