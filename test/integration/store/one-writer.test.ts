/**
 * One writer per data folder: a second process that wants to change the folder is sent to the
 * running `anytag serve`, or refused with a message naming the holder; reading works beside a
 * writer; a crashed writer's lock is taken over.
 */
import { spawn } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/engine/engine.js';
import { WRITER_FILE } from '../../../src-main/engine/store/writer-lock.js';
import { ANYTAG_BIN as BIN, requireCliBuilt, runAnytag } from '../../helpers/cli.js';
import { solidImage, tempDir } from '../../helpers/temp.js';
import { startServe } from '../../e2e/serve-process.js';

const WORDS =
  'yesterday happiness tomorrow quickly honesty freedom because although sadness kindness patience courage wisdom silence laughter'.split(
    ' ',
  );
const PHOTOS = 12;

const anytag = (args: string[]) => runAnytag(args, { timeout: 120_000 });

describe('one writer per data folder', () => {
  let root: string;
  let photos: string;
  beforeAll(async () => {
    requireCliBuilt();
    root = await tempDir();
    photos = path.join(root, 'photos');
    for (let i = 0; i < PHOTOS; i++) {
      const dir = path.join(photos, `roll-${i % 3}`);
      await mkdir(dir, { recursive: true });
      await solidImage(path.join(dir, `p${i}.png`), [(i * 20) % 256, (i * 50) % 256, 255 - i * 9], {
        width: 32,
      });
    }
  });

  it('sends writes to the running serve: two index runs and 15 label edits, nothing lost', async () => {
    const data = path.join(root, 'served');
    const serve = await startServe(data);
    expect((await stat(path.join(data, WRITER_FILE))).mode & 0o777).toBe(0o600);
    const outcomes = await Promise.all([
      anytag(['index', photos, '--data', data]),
      anytag(['index', photos, '--data', data]),
      ...WORDS.map((word) => anytag(['vocab', 'add', word, '--data', data])),
    ]);
    for (const outcome of outcomes) {
      expect(outcome.stderr).toMatch(/in use by anytag serve .*sending this command there/);
      expect(outcome.code).toBe(0);
    }
    await serve.stop();
    expect(serve.child.exitCode).toBe(0);
    const status = JSON.parse((await anytag(['status', '--data', data, '--json'])).stdout);
    expect(status.photos).toEqual({ total: PHOTOS, indexed: PHOTOS, failed: 0 });
    const listed = await anytag(['vocab', 'list', '--data', data, '--json', '--limit', '100000']);
    const names = new Set(
      (JSON.parse(listed.stdout).labels as { name: string }[]).map((l) => l.name),
    );
    expect(WORDS.filter((w) => !names.has(w))).toEqual([]);
  }, 300_000);

  it('refuses a second writer, naming the holder, while readers work beside it', async () => {
    const data = path.join(root, 'held');
    const holder = await Engine.open({ dataDir: data, packRoots: [], command: 'the test writer' });
    try {
      const refused = await anytag(['vocab', 'add', 'yesterday', '--data', data]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        new RegExp(`DATA_FOLDER_BUSY.*process ${process.pid} \\("the test writer", since `),
      );
      const index = await anytag(['index', photos, '--data', data]);
      expect(index.code).toBe(1);
      expect(index.stderr).toMatch(/DATA_FOLDER_BUSY/);
      const status = await anytag(['status', '--data', data, '--json']);
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout).photos.total).toBe(0);
    } finally {
      await holder.close();
    }
    expect((await anytag(['vocab', 'add', 'yesterday', '--data', data])).code).toBe(0);
  }, 120_000);

  it('takes over the lock of a writer that was killed', async () => {
    const data = path.join(root, 'crashed');
    const child = spawn(process.execPath, [BIN, 'serve', '--data', data, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('serving at')) resolve();
      });
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const started = performance.now();
    const edit = await anytag(['vocab', 'add', 'tomorrow', '--data', data]);
    console.log(
      `lock of a killed serve taken over; the edit took ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(edit.stderr).not.toMatch(/DATA_FOLDER_BUSY/);
    expect(edit.code).toBe(0);
  }, 120_000);
});
