/**
 * A pack changed under the same id is said everywhere status is: the real CLI (`anytag status`
 * prints a note, `--json` has it in `notices`) and the page (a banner) of a real `anytag serve`.
 * Here its labels.json changes: the tags are recomputed from the stored embeddings. Then its
 * model is damaged (its sha256 no longer matches): status degrades instead of failing — the CLI,
 * HTTP and the page say the pack is damaged, why and the way out, and the photos still show.
 * Screenshots: test-artifacts/e2e/pack-change-banner.png, pack-damaged-banner.png.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, requireBuilt } from '../helpers/shared.js';
import { solidImage, tempDir } from '../helpers/temp.js';
import { writeTinyPack } from '../helpers/tiny-pack.js';
import { launchChromium } from './chromium.js';
import { startServe, type ServeProcess } from './serve-process.js';

const SHOTS = path.join(REPO_ROOT, 'test-artifacts', 'e2e');
const BIN = path.join(REPO_ROOT, 'bin', 'anytag.js');
const run = promisify(execFile);

describe('a changed pack, said in the CLI and on the page', () => {
  let root: string;
  let data: string;
  let packArgs: string[];
  let labelsFile: string;
  let serve: ServeProcess | undefined;
  let browser: BrowserContext | undefined;

  const renameLabel = async (index: number, name: string): Promise<void> => {
    const labels = JSON.parse(await readFile(labelsFile, 'utf8')) as { labels: { name: string }[] };
    labels.labels[index]!.name = name;
    await writeFile(labelsFile, JSON.stringify(labels));
  };

  beforeAll(async () => {
    requireBuilt(path.join(REPO_ROOT, 'out', 'node', 'server', 'serve.js'), 'run `npm run build`');
    requireBuilt(path.join(REPO_ROOT, 'out', 'renderer', 'index.html'), 'run `npm run build:web`');
    await mkdir(SHOTS, { recursive: true });
    root = await tempDir();
    const packDir = await writeTinyPack(path.join(root, 'packs', 'tiny'));
    labelsFile = path.join(packDir, 'labels.json');
    const photos = path.join(root, 'photos');
    await mkdir(photos);
    await solidImage(path.join(photos, 'red.png'), [255, 0, 0]);
    await solidImage(path.join(photos, 'blue.png'), [0, 0, 255]);
    data = path.join(root, 'data');
    packArgs = ['--packs', path.join(root, 'packs'), '--pack', 'tiny'];
    await run('node', [BIN, 'index', photos, '--data', data, ...packArgs], { timeout: 120_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('anytag status says what changed and what was done', async () => {
    await renameLabel(0, 'crimson');
    const status = await run('node', [BIN, 'status', '--data', data, '--json', ...packArgs]);
    const result = JSON.parse(status.stdout) as { notices?: string[] };
    expect(result.notices).toEqual([
      expect.stringMatching(/^Pack tiny changed since its photos were tagged \(labels\.json\)/),
    ]);
    expect(status.stderr).toMatch(/note: Pack tiny changed .*recomputed from the stored/);
    // Done by then: the next status has nothing to say, and the tags use the new name.
    const again = await run('node', [BIN, 'status', '--data', data, '--json', ...packArgs]);
    expect((JSON.parse(again.stdout) as { notices?: string[] }).notices).toBeUndefined();
    const tags = await run('node', [
      BIN,
      'tags',
      path.join(root, 'photos', 'red.png'),
      '--data',
      data,
      '--json',
      ...packArgs,
    ]);
    const labels = (JSON.parse(tags.stdout) as { tags: { label: string }[] }).tags;
    expect(labels.map((t) => t.label)).toContain('crimson');
  }, 120_000);

  it('the page shows the notice in a banner', async () => {
    await renameLabel(2, 'navy');
    serve = await startServe(data, packArgs);
    browser = await launchChromium(await tempDir('anytag-chromium-'));
    const page = await browser.newPage();
    await page.goto(serve.url);
    const banner = page.getByRole('status', { name: 'Notices' });
    await banner
      .getByText(/Pack tiny changed since its photos were tagged \(labels\.json\)/)
      .waitFor({
        timeout: 30_000,
      });
    await page.screenshot({ path: path.join(SHOTS, 'pack-change-banner.png') });
    await banner.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => banner.count()).toBe(0);
    await page.close();
  }, 120_000);

  it('a damaged pack: status still answers, saying why and the way out', async () => {
    await serve?.stop();
    serve = undefined;
    await writeFile(path.join(root, 'packs', 'tiny', 'model.onnx'), 'damaged');
    const cli = await run('node', [BIN, 'status', '--data', data, ...packArgs]);
    expect(cli.stdout).toMatch(/^pack: +damaged, cannot be used \(.*model\.sha256/m);
    expect(cli.stdout).toMatch(/^photos: +2 \(2 indexed, 0 failed\)$/m);
    expect(cli.stderr).toMatch(/^hint: .*`anytag pack use <id>`/m);

    serve = await startServe(data, packArgs);
    const page = await browser!.newPage();
    await page.goto(serve.url);
    const status = await page.evaluate(async () => {
      const response = await fetch('api/status', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      return { ok: response.ok, body: (await response.json()) as Record<string, unknown> };
    });
    expect(status).toMatchObject({
      ok: true,
      body: { pack: null, packProblem: { code: 'PACK_INVALID' }, photos: { total: 2 } },
    });
    const alert = page.getByRole('alert', { name: 'Model pack damaged' });
    await alert.getByText(/model\.sha256/).waitFor({ timeout: 30_000 });
    await alert
      .getByRole('link', { name: /choose another pack or import this one again/ })
      .waitFor();
    // The photos still show: the gallery reads the catalogue, not the pack.
    await page.getByRole('heading', { name: 'All photos (2)' }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(SHOTS, 'pack-damaged-banner.png') });
    await alert.getByRole('link').click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor({ timeout: 30_000 });
    await page.close();
  }, 120_000);
});
