/**
 * Kills the process upgrading a photo table from layout 2 to 3 (the gallery's sort and scope
 * columns, store/photo-table-file.ts) with SIGKILL at moments spread over the upgrade. After every
 * kill the file is at layout 2 untouched or at layout 3 complete, never between, every record
 * kept; the next open finishes the upgrade with every row's keys right.
 */
import { spawn } from 'node:child_process';
import { copyFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { PHOTO_TABLE_FILE } from '../../../src-main/engine/store/catalogue.js';
import { orderValues } from '../../../src-main/engine/store/photo-rows.js';
import { PhotoTable } from '../../../src-main/engine/store/photo-table.js';
import { downgradeToLayout2, layoutOf } from '../../helpers/layout-v2.js';
import { mixedPhoto } from '../../helpers/mixed-library.js';
import { REPO_ROOT, requireBuilt } from '../../helpers/shared.js';
import { tempDir } from '../../helpers/temp.js';

const CHILD = path.join(import.meta.dirname, 'layout-upgrade-child.mjs');
const PHOTOS = 100_000;
const KILLS = 8;

/**
 * Runs the child; `killAfterMs` after it starts to open the table (prints "opening"), kills it.
 * `ms`: from "opening" to its end.
 */
function runChild(dataDir: string, killAfterMs?: number): Promise<{ ms: number; killed: boolean }> {
  return new Promise((resolve, reject) => {
    let started = NaN;
    const child = spawn(process.execPath, [CHILD, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!Number.isNaN(started) || !out.includes('opening')) return;
      started = performance.now();
      if (killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
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

/** [id, taken_ms, capture_day] of every row, oldest first (the keys unless at layout 2). */
function keysOf(file: string): unknown[][] {
  const db = new Database(file, { readonly: true });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    const keys = version >= 3 ? 'taken_ms, capture_day' : 'NULL, NULL';
    return db.prepare(`SELECT id, ${keys} FROM photos ORDER BY seq`).raw().all() as unknown[][];
  } finally {
    db.close();
  }
}

describe('the photo table layout 2 → 3 upgrade survives SIGKILL', () => {
  it(`keeps every record through ${KILLS} kills spread over the upgrade`, async () => {
    requireBuilt(
      path.join(REPO_ROOT, 'out/node/engine/store/photo-table.js'),
      'run `npm run build:node`',
    );
    const source = await tempDir();
    const records = Array.from({ length: PHOTOS }, (_, i) => mixedPhoto(i));
    const table = PhotoTable.open(source);
    table.apply({ put: records, remove: [] });
    await table.close();
    downgradeToLayout2(path.join(source, PHOTO_TABLE_FILE));
    const fresh = async () => {
      const dir = await tempDir();
      for (const name of await readdir(source)) {
        await copyFile(path.join(source, name), path.join(dir, name));
      }
      return dir;
    };
    const expected = records.map((p) => [p.id, ...orderValues(p)]);

    // One whole run, to know how long an upgrade takes here.
    const whole = await runChild(await fresh());
    expect(whole.killed).toBe(false);

    let killed = 0;
    let midUpgrade = 0;
    for (let i = 0; i < KILLS; i++) {
      const dir = await fresh();
      const file = path.join(dir, PHOTO_TABLE_FILE);
      const at = Math.round(((i + 0.5) / KILLS) * whole.ms);
      if (!(await runChild(dir, at)).killed) continue;
      killed++;
      const { version, columns } = layoutOf(file);
      // Killed after it began to open the table, before the upgrade committed.
      if (version === 2) midUpgrade++;
      expect([2, 3]).toContain(version);
      expect(columns.includes('taken_ms')).toBe(version === 3);
      const rows = keysOf(file);
      expect(rows.map((row) => row[0])).toEqual(records.map((p) => p.id));
      if (version === 3) expect(rows).toEqual(expected);
      // The next open finishes (or keeps) the upgrade.
      const reopened = PhotoTable.open(dir);
      expect(reopened.count()).toBe(PHOTOS);
      await reopened.close();
      expect(keysOf(file)).toEqual(expected);
    }
    // Kills must land inside the upgrade's transaction, or the test proves little.
    expect(killed).toBeGreaterThanOrEqual(KILLS / 2);
    expect(midUpgrade).toBeGreaterThanOrEqual(KILLS / 4);
  }, 240_000);
});
