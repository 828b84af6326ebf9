/**
 * Kills the process moving a v3 catalogue's photos into the photo table (SIGKILL) at moments
 * spread over the whole migration: reading the JSON, writing the backup, the SQLite transaction,
 * rewriting the document. After every kill the next open must end with every record exactly
 * once, the settings kept, and the original file kept as the backup, byte for byte.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalogue, CATALOGUE_FILE } from '../../../src-main/engine/store/catalogue.js';
import { PRE_TABLE_BACKUP } from '../../../src-main/engine/store/catalogue-import.js';
import { REPO_ROOT, requireBuilt } from '../../helpers/shared.js';
import { tempDir } from '../../helpers/temp.js';
import { v3Catalogue } from '../../helpers/v3-catalogue.js';

const CHILD = path.join(import.meta.dirname, 'migration-child.mjs');
const PHOTOS = 10_000;
const KILLS = 8;

function runChild(dataDir: string, killAfterMs?: number): Promise<{ ms: number; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CHILD, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer =
      killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      if (signal === 'SIGKILL') resolve({ ms, killed: true });
      else if (code === 0 && out.includes(`done ${PHOTOS}`)) resolve({ ms, killed: false });
      else reject(new Error(`child exited ${code ?? signal}: ${out} ${err}`));
    });
  });
}

describe('moving a v3 catalogue into the photo table survives SIGKILL', () => {
  it(`recovers after ${KILLS} kills spread over the migration`, async () => {
    requireBuilt(
      path.join(REPO_ROOT, 'out/node/engine/store/catalogue.js'),
      'run `npm run build:node`',
    );
    const v3 = v3Catalogue(PHOTOS);
    const original = JSON.stringify(v3);
    const fresh = async () => {
      const dir = await tempDir();
      await writeFile(path.join(dir, CATALOGUE_FILE), original);
      return dir;
    };
    // One whole run, to know how long a migration takes here.
    const whole = await runChild(await fresh());
    expect(whole.killed).toBe(false);

    let killed = 0;
    for (let i = 0; i < KILLS; i++) {
      const dir = await fresh();
      const at = Math.round(((i + 0.5) / KILLS) * whole.ms);
      if ((await runChild(dir, at)).killed) killed++;
      const catalogue = await Catalogue.open(dir);
      expect(catalogue.photos()).toEqual(v3.photos);
      expect(catalogue.embeddingGeneration('starter')).toBe(2);
      expect(catalogue.activePack).toBe('starter');
      await catalogue.close();
      expect(await readFile(path.join(dir, PRE_TABLE_BACKUP), 'utf8')).toBe(original);
      const written = JSON.parse(await readFile(path.join(dir, CATALOGUE_FILE), 'utf8'));
      expect(written.photos).toEqual([]);
    }
    // Most kills must land inside the migration, or the test proves little.
    expect(killed).toBeGreaterThanOrEqual(KILLS / 2);
  }, 180_000);
});
