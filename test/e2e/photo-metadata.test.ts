/**
 * Photo metadata in the app, end to end: the built renderer in Debian's Chromium against a real
 * `anytag serve` with the starter pack, on reference photos whose dates and cameras exiftool
 * wrote and whose files were copied in the wrong order (file dates disagree with capture dates).
 * The gallery sorts by date taken (and by file date when asked); the photo view shows the date
 * and camera; a map link appears only once allowed in Settings. Screenshot in test-artifacts/e2e/.
 */
import { copyFile, mkdir, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exiftoolWrite } from '../helpers/exiftool-fixture.js';
import { REFERENCE_PHOTOS } from '../helpers/shared.js';
import { tempDir } from '../helpers/temp.js';
import { launchChromium } from './chromium.js';
import { requireServeBuilt, SHOTS, startServe, type ServeProcess } from './serve-process.js';

const WAIT = { timeout: 60_000 };

describe('photo metadata in the app', () => {
  let serve: ServeProcess;
  let browser: BrowserContext;
  let page: Page;
  let folder: string;
  const problems: string[] = [];

  beforeAll(async () => {
    await requireServeBuilt();
    folder = path.join(await tempDir(), 'photos');
    await mkdir(folder, { recursive: true });
    const bird = path.join(folder, 'bird.jpg');
    const cat = path.join(folder, 'cat.jpg');
    const owl = path.join(folder, 'owl.jpg');
    for (const file of [bird, cat, owl])
      await copyFile(path.join(REFERENCE_PHOTOS, path.basename(file)), file);
    await exiftoolWrite(bird, [
      '-DateTimeOriginal=2009:05:06 07:08:09',
      '-OffsetTimeOriginal=+02:00',
      '-Make=Canon',
      '-Model=Canon EOS 5D',
      '-GPSLatitude=48.8584',
      '-GPSLatitudeRef=N',
      '-GPSLongitude=2.2945',
      '-GPSLongitudeRef=E',
    ]);
    await exiftoolWrite(cat, [
      '-DateTimeOriginal=2022:07:08 09:10:11',
      '-Make=NIKON CORPORATION',
      '-Model=NIKON D750',
    ]);
    await exiftoolWrite(owl, ['-all=']);
    // File dates in the opposite order: the 2009 photo was copied last.
    const hour = 3_600_000;
    const now = Date.now();
    await utimes(bird, new Date(now - hour), new Date(now - hour));
    await utimes(cat, new Date(now - 2 * hour), new Date(now - 2 * hour));
    await utimes(owl, new Date(now - 3 * hour), new Date(now - 3 * hour));
    serve = await startServe(path.join(await tempDir(), 'data'));
    browser = await launchChromium(await tempDir('anytag-chromium-'));
    page = await browser.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  const order = (): Promise<string[]> =>
    page
      .getByRole('button', { name: /^Open / })
      .evaluateAll((els) => els.map((e) => /^Open (\S+)/.exec(e.getAttribute('aria-label')!)![1]!));

  it('sorts the gallery by date taken, or by file date when asked', async () => {
    await page.goto(serve.url);
    await page.getByRole('heading', { name: 'Welcome to Anytag' }).waitFor(WAIT);
    await page.getByLabel('Folder path').fill(folder);
    await page.getByRole('button', { name: 'Add and index' }).click();
    await page.getByText(/Indexing finished: 3 new/).waitFor({ timeout: 90_000 });
    await page.getByRole('button', { name: 'Photos', exact: true }).click();
    // Taken: the owl has no date (its file date, today), then 2022, then 2009.
    await expect.poll(order, WAIT).toEqual(['owl.jpg', 'cat.jpg', 'bird.jpg']);
    await page.getByLabel('Sort by').selectOption('modified');
    await expect.poll(order, WAIT).toEqual(['bird.jpg', 'cat.jpg', 'owl.jpg']);
    await page.getByLabel('Sort by').selectOption('taken-desc');
    await expect.poll(order, WAIT).toEqual(['owl.jpg', 'cat.jpg', 'bird.jpg']);
  });

  it('shows the date and camera in the photo view, and no map link until allowed', async () => {
    await page.getByRole('button', { name: /^Open bird\.jpg/ }).click();
    const details = page.getByLabel('Photo details');
    await details.waitFor(WAIT);
    await expect
      .poll(() => details.locator('[data-field="taken"]').textContent(), WAIT)
      .toMatch(/2009.*07:08:09 \(UTC\+02:00\)/);
    expect(await details.locator('[data-field="camera"]').textContent()).toBe('Canon EOS 5D');
    expect(await details.textContent()).toContain(path.join(folder, 'bird.jpg'));
    expect(await page.getByRole('link', { name: 'Show on OpenStreetMap' }).count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'photo-metadata.png') });
    await page.getByRole('button', { name: 'Close photo' }).click();

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Show a map link for photos with a GPS position').check();
    await page.getByRole('button', { name: 'Photos', exact: true }).click();
    await page.getByRole('button', { name: /^Open bird\.jpg/ }).click();
    const link = page.getByRole('link', { name: 'Show on OpenStreetMap' });
    await link.waitFor(WAIT);
    expect(await link.getAttribute('href')).toContain('mlat=48.85840&mlon=2.29450');
    expect(problems).toEqual([]);
  });
});
