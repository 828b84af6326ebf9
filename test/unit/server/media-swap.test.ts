/**
 * The symlink-swap race on /media: while another process keeps replacing a library photo by a
 * symlink to a file outside the library (and back), 2,000 requests must never send that file.
 * The server checks the file it opened, not the name it checked before.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src-main/engine/engine.js';
import { startServer, type AnytagServer } from '../../../src-main/server/http-server.js';
import { openTinyEngine, tinyLibrary } from '../../helpers/engine-fixture.js';
import { solidImage } from '../../helpers/temp.js';

const REQUESTS = 2000;
const SECRET = 'SECRET-OUTSIDE-THE-LIBRARY';

/** Replaces `link` by a copy of `inside`, then by a symlink to `outside`, for ever. */
const SWAPPER = `
const fs = require('node:fs');
const [link, inside, outside] = process.argv.slice(1);
for (let i = 0; ; i++) {
  const temp = link + '.swap';
  try { fs.unlinkSync(temp); } catch {}
  if (i % 2) fs.copyFileSync(inside, temp); else fs.symlinkSync(outside, temp);
  fs.renameSync(temp, link);
}`;

/** One GET; a broken connection counts as status 0 with what arrived. */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    let body = '';
    let status = 0;
    const req = request(url, { timeout: 5000 }, (res) => {
      status = res.statusCode ?? 0;
      res.setEncoding('latin1');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status, body }));
      res.on('error', () => resolve({ status: 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body }));
    req.end();
  });
}

describe('media under a symlink-swap race', () => {
  let engine: Engine;
  let server: AnytagServer;
  let swapper: ChildProcess;
  let photoId: string;

  beforeAll(async () => {
    const lib = await tinyLibrary();
    const { root, photos } = lib;
    const inside = await solidImage(path.join(photos, 'red.png'), [255, 0, 0]);
    const outside = path.join(root, 'secret.png');
    await writeFile(outside, SECRET);
    const opened = await openTinyEngine(lib, { thumbnails: true });
    engine = opened.engine;
    const { api } = opened;
    await api.call('indexPaths', { paths: [photos] });
    const link = path.join(photos, 'swapped.png');
    await copyFile(inside, link);
    await api.call('indexPaths', { paths: [link] });
    photoId = engine.catalogue.photoByPath(link)!.id;
    server = await startServer({ api, staticRoot: root, port: 0 });
    swapper = spawn(process.execPath, ['-e', SWAPPER, link, inside, outside], { stdio: 'ignore' });
  });
  afterAll(async () => {
    swapper?.kill('SIGKILL');
    await server?.close();
    await engine?.close();
  });

  it(`never sends the outside file in ${REQUESTS} requests`, async () => {
    const base = server.url.replace(/\/$/, '');
    const outcomes = { served: 0, refused: 0, leaked: 0 };
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next++ < REQUESTS) {
        const reply = await get(`${base}/media/photo/${photoId}`);
        if (reply.body.includes(SECRET)) outcomes.leaked++;
        else if (reply.status === 200) outcomes.served++;
        else outcomes.refused++;
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    console.log(`symlink swap, ${REQUESTS} requests: ${JSON.stringify(outcomes)}`);
    expect(outcomes.leaked).toBe(0);
    // The race was really run: both sides of the swap were seen.
    expect(outcomes.served).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  }, 120_000);
});
