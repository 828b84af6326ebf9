import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchOfficialCheckpoint } from '../../../src-main/engine/model/official-download.js';
import type { PackProgress } from '../../../src-main/engine/model/pack-results.js';
import { tempDir } from '../../helpers/temp.js';

const body = randomBytes(300_000);
const sha256 = createHash('sha256').update(body).digest('hex');
let requests = 0;
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-length': String(body.length) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/NUS_mtresnet_224.pth`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('fetchOfficialCheckpoint', () => {
  it('downloads into <data>/downloads, recording the unpinned hash as the first download', async () => {
    const data = await tempDir();
    const events: PackProgress[] = [];
    const got = await fetchOfficialCheckpoint(data, { url, onProgress: (p) => events.push(p) });
    expect(got.file).toBe(path.join(data, 'downloads', 'NUS_mtresnet_224.pth'));
    expect((await readFile(got.file)).equals(body)).toBe(true);
    expect(got.origin).toEqual({
      url,
      bytes: body.length,
      sha256,
      pinned: false,
      resumedFromBytes: 0,
    });
    expect(got.source).toBe(
      `${url} (sha256 ${sha256}, ${body.length} bytes, recorded at the first verified download), converted by Anytag`,
    );
    expect(events.at(-1)).toEqual({
      operation: 'download',
      phase: 'downloading',
      receivedBytes: body.length,
      totalBytes: body.length,
    });
  });

  it('reuses a finished download (a conversion that failed) without fetching again', async () => {
    const data = await tempDir();
    const first = await fetchOfficialCheckpoint(data, { url });
    const before = requests;
    const again = await fetchOfficialCheckpoint(data, { url });
    expect(requests).toBe(before);
    expect(again.origin.sha256).toBe(first.origin.sha256);
    await writeFile(first.file, 'x'); // any whole file counts while nothing is pinned
    expect((await fetchOfficialCheckpoint(data, { url })).origin.bytes).toBe(1);
  });
});
