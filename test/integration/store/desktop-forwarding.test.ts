/**
 * The desktop app takes forwarded writes: its API listener (server/local-api.ts, started here
 * under Node on an engine as the Electron main process starts it) is recorded in writer.json,
 * and the real CLI's `anytag index` and `vocab add` against the same data folder are sent there,
 * applied and exit 0. Without the token (another local user cannot read writer.json) the
 * listener refuses every call; it serves no renderer files and no media.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../../../src-main/engine/api/api.js';
import { Engine } from '../../../src-main/engine/engine.js';
import { WRITER_FILE } from '../../../src-main/engine/store/writer-lock.js';
import type { AnytagServer } from '../../../src-main/server/http-server.js';
import { startDesktopApi } from '../../../src-main/server/local-api.js';
import { REPO_ROOT, STARTER_PACK, requireBuilt } from '../../helpers/shared.js';
import { solidImage, tempDir } from '../../helpers/temp.js';

const run = promisify(execFile);
const BIN = path.join(REPO_ROOT, 'bin', 'anytag.js');
const PHOTOS = 4;
const asRoot = process.getuid?.() === 0;

interface Outcome {
  stdout: string;
  stderr: string;
  code: number;
}

async function anytag(args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], {
      timeout: 120_000,
      env: { ...process.env, ANYTAG_TOKEN: '' },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as Outcome;
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('forwarding CLI writes into the desktop app', () => {
  let root: string;
  let data: string;
  let photos: string;
  let engine: Engine;
  let listener: AnytagServer;

  beforeAll(async () => {
    requireBuilt(path.join(REPO_ROOT, 'out', 'node', 'cli', 'main.js'), 'run `npm run build`');
    requireBuilt(STARTER_PACK, 'run `npm run build:packs` first');
    root = await tempDir();
    data = path.join(root, 'data');
    photos = path.join(root, 'photos');
    await mkdir(photos);
    for (let i = 0; i < PHOTOS; i++) {
      await solidImage(path.join(photos, `p${i}.png`), [i * 60, 255 - i * 50, 90], { width: 32 });
    }
    engine = await Engine.open({
      dataDir: data,
      packRoots: [path.dirname(STARTER_PACK)],
      provider: 'cpu',
      command: 'Anytag (desktop app)',
    });
    listener = await startDesktopApi(new Api(engine), engine.dataFolder.lock!);
  }, 60_000);
  afterAll(async () => {
    await listener?.close();
    await engine?.close();
  });

  it('records a loopback address and a token in writer.json, readable by the owner only', async () => {
    const file = path.join(data, WRITER_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const holder = JSON.parse(await readFile(file, 'utf8')) as { url: string; token: string };
    expect(holder.url).toBe(`http://127.0.0.1:${listener.port}`);
    expect(holder.token).toBe(listener.token);
    expect(holder.token.length).toBeGreaterThanOrEqual(32);
  });

  it('applies `anytag index` and `anytag vocab add` sent to it; both exit 0', async () => {
    const index = await anytag(['index', photos, '--data', data, '--json']);
    expect(index.stderr).toMatch(
      /in use by Anytag \(desktop app\) at http:\/\/127\.0\.0\.1:\d+: sending this command there/,
    );
    expect(index.code).toBe(0);
    expect(JSON.parse(index.stdout)).toMatchObject({ indexed: PHOTOS, failed: 0 });
    const added = await anytag(['vocab', 'add', 'tomorrow', '--data', data]);
    expect(added.stderr).toMatch(/sending this command there/);
    expect(added.code).toBe(0);
    // Applied by the app's own engine, not by a second writer.
    const api = new Api(engine);
    expect((await api.call('status', {})).photos).toEqual({
      total: PHOTOS,
      indexed: PHOTOS,
      failed: 0,
    });
    const labels = await api.call('listLabels', { kind: 'user', filter: 'tomorrow' });
    expect(labels.labels.map((l) => l.name)).toContain('tomorrow');
  }, 240_000);

  it('refuses calls without the token, and serves neither renderer files nor media', async () => {
    const base = `http://127.0.0.1:${listener.port}`;
    const call = (token?: string): Promise<Response> =>
      fetch(`${base}/api/status`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token && { authorization: `Bearer ${token}` }),
        },
        body: '{}',
      });
    expect((await call()).status).toBe(401);
    expect((await call('not-the-token-at-all')).status).toBe(401);
    expect((await call(listener.token)).status).toBe(200);
    const photo = engine.catalogue.photos()[0]!;
    const auth = { authorization: `Bearer ${listener.token}` };
    for (const address of [
      '/',
      '/index.html',
      `/media/photo/${photo.id}`,
      `/?token=${listener.token}`,
    ]) {
      const response = await fetch(`${base}${address}`, { headers: auth, redirect: 'manual' });
      expect(response.status, address).toBe(404);
      expect(response.headers.get('set-cookie'), address).toBeNull();
    }
  });

  it.skipIf(!asRoot)('refuses another local user, who cannot read the token either', async () => {
    // As uid 65534 (nobody): read writer.json, then call the API with and without what it read.
    const script = `
      const fs = require('node:fs');
      let read = 'read';
      try { fs.readFileSync(process.argv[1], 'utf8'); } catch (e) { read = e.code; }
      fetch(process.argv[2] + '/api/addFolder', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ path: '/root' }),
      }).then((r) => console.log(JSON.stringify({ read, status: r.status })));
    `;
    const { stdout } = await run(
      process.execPath,
      ['-e', script, path.join(data, WRITER_FILE), `http://127.0.0.1:${listener.port}`],
      { uid: 65534, gid: 65534, timeout: 30_000 },
    );
    expect(JSON.parse(stdout)).toEqual({ read: 'EACCES', status: 401 });
    expect(engine.catalogue.folders().map((f) => f.path)).not.toContain('/root');
  });
});
