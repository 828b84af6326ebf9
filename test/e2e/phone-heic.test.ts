/**
 * A folder of phone HEICs (HEVC, made by Debian's heif-enc from the reference photos) indexed
 * by a real `anytag serve` and displayed in Chromium: thumbnails in the library, and the photo
 * view showing the JPEG rendition the server makes (browsers cannot show HEIC). Screenshots go
 * to test-artifacts/e2e/.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_PHOTOS } from '../helpers/shared.js';
import { tempDir } from '../helpers/temp.js';
import { launchChromium } from './chromium.js';
import { requireServeBuilt, SHOTS, startServe, type ServeProcess } from './serve-process.js';

const run = promisify(execFile);

describe('phone HEICs in the browser', () => {
  let serve: ServeProcess;
  let browser: BrowserContext;
  let page: Page;
  let folder: string;

  beforeAll(async () => {
    await requireServeBuilt({ starterPack: false });
    folder = path.join(await tempDir(), 'iPhone');
    await mkdir(folder);
    const sources = (await readdir(REFERENCE_PHOTOS)).filter((n) => n.endsWith('.jpg')).slice(0, 4);
    for (const [i, name] of sources.entries()) {
      const jpeg = path.join(folder, `src-${i}.jpg.tmp`);
      await sharp(path.join(REFERENCE_PHOTOS, name)).resize(1280).jpeg().toFile(jpeg);
      await run('heif-enc', ['-q', '80', '-o', path.join(folder, `IMG_${1000 + i}.HEIC`), jpeg]);
    }
    serve = await startServe(path.join(await tempDir(), 'data'));
    browser = await launchChromium(await tempDir('anytag-chromium-'));
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('indexes the HEICs and shows their thumbnails and a photo', async () => {
    await page.goto(serve.url);
    await page.getByLabel('Folder path').fill(folder);
    await page.getByRole('button', { name: 'Add and index' }).click();
    await page.getByText(/Indexing finished: 4 new/).waitFor({ timeout: 90_000 });
    const tiles = page.getByRole('button', { name: /^Open IMG_10\d\d\.HEIC/ });
    await tiles.first().waitFor();
    expect(await tiles.count()).toBe(4);
    await expect
      .poll(async () => (await loadedWidths(page.locator('img'))).filter((w) => w > 0).length, {
        timeout: 30_000,
      })
      .toBe(4);
    await page.screenshot({ path: path.join(SHOTS, 'heic-01-library.png') });
    await tiles.first().click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // The photo view shows the JPEG rendition at full size (1280 px wide), not the thumbnail.
    await expect
      .poll(() => loadedWidths(dialog.locator('img')), { timeout: 30_000 })
      .toEqual([1280]);
    await page.screenshot({ path: path.join(SHOTS, 'heic-02-photo.png') });
  });
});

/** Natural widths of the loaded images (0 until an image has loaded and decoded). */
function loadedWidths(images: Locator): Promise<number[]> {
  return images.evaluateAll((elements) =>
    elements.map((element) => {
      const img = element as unknown as { complete: boolean; naturalWidth: number };
      return img.complete ? img.naturalWidth : 0;
    }),
  );
}
