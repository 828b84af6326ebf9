/**
 * Issue 15, items 8, 10 and 12 as a photographer meets them, at a phone's 390×844 and a laptop's
 * 1280×800: a label's preview shows the photos just below its threshold; a saved label opens to
 * the same preview with a live slider and saves with its photo count and an Undo; "N unreadable"
 * in Folders leads (by address) to those photos with their reasons; tiles never show a broken
 * image while indexing; Settings offers only the execution providers that exist here and says
 * the model download's size before it starts; "did you mean" words run the corrected search.
 * Screenshots: test-artifacts/e2e/vocab-<size>-NN-*.png.
 */
import { cp, mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_PHOTOS, REPO_ROOT, STARTER_PACK, requireBuilt } from '../helpers/shared.js';
import { tempDir } from '../helpers/temp.js';
import { seriousViolations, type AxeViolation } from './axe.js';
import { launchChromium } from './chromium.js';
import { callApi, startServe, type ServeProcess } from './serve-process.js';
import { watchedPage } from './page-waits.js';

const SHOTS = path.join(REPO_ROOT, 'test-artifacts', 'e2e');
const WAIT = { timeout: 30_000 };
/** Two files no decoder reads, dated long ago (so the date order puts them last). */
const BROKEN = ['broken-1.jpg', 'broken-2.jpg'];
const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

interface FolderRow {
  path: string;
  photos: { total: number; pending: number; failed: number };
}

let serve: ServeProcess;
let browser: BrowserContext;
let folder: string;
let total = 0;
const problems: string[] = [];

beforeAll(async () => {
  requireBuilt(path.join(REPO_ROOT, 'out', 'node', 'server', 'serve.js'), 'run `npm run build`');
  requireBuilt(path.join(REPO_ROOT, 'out', 'renderer', 'index.html'), 'run `npm run build:web`');
  requireBuilt(STARTER_PACK, 'run `npm run build:packs`');
  await mkdir(SHOTS, { recursive: true });
  const dir = await tempDir();
  folder = path.join(dir, 'Pictures');
  await cp(REFERENCE_PHOTOS, folder, { recursive: true });
  const old = new Date('2001-01-01T00:00:00Z');
  for (const name of BROKEN) {
    await writeFile(path.join(folder, name), `not a photo: ${name}`);
    await utimes(path.join(folder, name), old, old);
  }
  serve = await startServe(path.join(dir, 'data'));
  browser = await launchChromium(await tempDir('anytag-chromium-'));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

/** The library folder's row, as Folders gets it. */
async function folderRow(): Promise<FolderRow | undefined> {
  const { folders } = await callApi<{ folders: FolderRow[] }>(serve, 'listFolders');
  return folders.find((f) => f.path === folder);
}

/** Every <img> on the page that finished loading without a picture (a broken-image glyph). */
function brokenImages(page: Page): Promise<string[]> {
  return page.locator('img').evaluateAll((imgs) =>
    imgs
      .map((i) => i as unknown as { complete: boolean; naturalWidth: number; src: string })
      .filter((i) => i.complete && i.naturalWidth === 0)
      .map((i) => i.src),
  );
}

describe('while the library is being indexed', () => {
  it(
    'shows a placeholder, never a broken image, for a photo not read yet',
    { timeout: 300_000 },
    async () => {
      const page = await browser.newPage();
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      // Paused: the folder is scanned (every photo pending) but nothing is read yet.
      await callApi(serve, 'pauseIndexing');
      await callApi(serve, 'addFolder', { path: folder });
      await expect
        .poll(async () => (await folderRow())?.photos.total ?? 0, WAIT)
        .toBeGreaterThan(BROKEN.length);
      try {
        await page.goto(serve.url);
        await page.getByRole('button', { name: `Open ${BROKEN[0]}` }).waitFor(WAIT);
        await expect
          .poll(() => page.getByText('Not indexed yet').count(), WAIT)
          .toBe(BROKEN.length);
        await expect.poll(() => brokenImages(page), WAIT).toEqual([]);
        await page.screenshot({
          path: path.join(SHOTS, 'vocab-desktop-00-pending-placeholders.png'),
        });
      } finally {
        // The library the other steps use, whatever happened above.
        await callApi(serve, 'resumeIndexing');
        await expect
          .poll(async () => (await folderRow())?.photos.pending, { timeout: 280_000 })
          .toBe(0);
        total = (await folderRow())!.photos.total;
        expect((await folderRow())!.photos.failed).toBe(BROKEN.length);
        // A label of the user's, saved, for the tuning steps.
        await callApi(serve, 'addLabel', { text: 'feathers' });
      }
      await page.close();
    },
  );
});

for (const size of SIZES) {
  describe(`vocabulary, unreadable photos and settings, ${size.name} ${size.width}×${size.height}`, () => {
    let page: Page;
    let step = 0;
    const shot = (name: string): Promise<Buffer> =>
      page.screenshot({
        path: path.join(SHOTS, `vocab-${size.name}-${String(++step).padStart(2, '0')}-${name}.png`),
      });
    const view = (name: string) => page.getByRole('button', { name, exact: true }).click();

    beforeAll(async () => {
      page = await watchedPage(browser, problems, size);
      await page.goto(serve.url);
      await page.getByRole('heading', { name: `All photos (${total})` }).waitFor(WAIT);
    });
    afterAll(() => page.close());
    afterEach(async ({ task }) => {
      if (task.result?.state === 'fail')
        await shot(`failed-${task.name.slice(0, 30).replace(/\W+/g, '-')}`);
    });

    it('lists unreadable photos last by date, named, with their reasons', async () => {
      const labels = await page
        .getByRole('button', { name: /^Open / })
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      // Every tile is on screen for so small a library: the unreadable ones come last.
      expect(labels).toHaveLength(total);
      expect(labels.map((l) => / unreadable: /.test(l))).toEqual(
        labels.map((_, i) => i >= total - BROKEN.length),
      );
      await expect.poll(() => brokenImages(page), WAIT).toEqual([]);
    });

    it('leads from "N unreadable" in Folders to those photos, by an address that reloads', async () => {
      await view('Folders');
      const link = page.getByRole('link', { name: `${BROKEN.length} unreadable` });
      await link.waitFor(WAIT);
      await shot('folders-unreadable-link');
      await link.click();
      const heading = page.getByRole('heading', { name: /^Unreadable photos in / });
      await heading.waitFor(WAIT);
      expect(await heading.textContent()).toContain(`(${BROKEN.length})`);
      expect(decodeURIComponent(new URL(page.url()).hash)).toContain(`state=error`);
      const tiles = page.getByRole('button', { name: /^Open .*, unreadable: / });
      await expect.poll(() => tiles.count(), WAIT).toBe(BROKEN.length);
      for (const name of BROKEN) {
        const tile = page.getByRole('button', { name: new RegExp(`^Open ${name}, unreadable: `) });
        // The tile names the file and says why, without the folder's path cut off in it.
        expect(await tile.textContent()).toContain(name);
        expect(await tile.textContent()).not.toContain(folder);
        expect(await tile.getAttribute('aria-label')).toMatch(/unreadable: \S+/);
      }
      await shot('unreadable-photos');
      await page.reload();
      await heading.waitFor(WAIT);
      await expect.poll(() => tiles.count(), WAIT).toBe(BROKEN.length);
      await page.getByRole('button', { name: 'All photos of this folder' }).click();
      await page.getByRole('heading', { name: `${folder} (${total})` }).waitFor(WAIT);
      await page.goBack();
      await heading.waitFor(WAIT);
      await page.getByRole('button', { name: 'All photos of this folder' }).click();
      // Opened, an unreadable file shows a note where the picture would be, never a broken image.
      await page
        .getByRole('button', { name: new RegExp(`^Open ${BROKEN[0]}, unreadable: `) })
        .click();
      const viewer = page.getByRole('dialog');
      await viewer.getByRole('img', { name: `${BROKEN[0]}: no picture` }).waitFor(WAIT);
      await expect.poll(() => brokenImages(page), WAIT).toEqual([]);
      // Its reason is said once; no "not indexed yet" beside it.
      await viewer.getByText(/^Could not be read: /).waitFor(WAIT);
      expect(await viewer.getByText(/has not been indexed/).count()).toBe(0);
      await shot('unreadable-photo-opened');
      await viewer.getByRole('button', { name: 'Close photo' }).click();
      await viewer.waitFor({ ...WAIT, state: 'hidden' });
    });

    it('offers the "did you mean" words as buttons that run the corrected search', async () => {
      const box = page.getByRole('combobox', { name: /Search photos/ });
      await box.fill('elephnat');
      await box.press('Enter');
      const fix = page.getByRole('button', { name: /^Search for “.*” instead$/ }).first();
      await fix.waitFor(WAIT);
      const word = (await fix.textContent())!.trim();
      // The search did not run: said so, not "No photo matches", and no album to save.
      await page.getByRole('heading', { name: 'Could not search “elephnat”' }).waitFor(WAIT);
      expect(await page.getByRole('button', { name: 'Save as album' }).count()).toBe(0);
      await shot('did-you-mean');
      await fix.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: new RegExp(`“${word}”`) }).waitFor(WAIT);
      await expect(box.inputValue()).resolves.toBe(word);
      await page.getByRole('button', { name: 'Clear search' }).click();
    });

    it('previews a new label with the photos just below its threshold', async () => {
      await view('Vocabulary');
      await page.getByLabel('New label').fill('plumage');
      const preview = page.getByRole('region', { name: 'Preview of plumage' });
      const below = preview.getByRole('list', { name: 'Just below the threshold' });
      await below
        .getByRole('button', { name: /^Open / })
        .first()
        .waitFor(WAIT);
      const tagged = preview.getByRole('list', { name: 'Photos it would tag' });
      const before = await tagged.getByRole('button').count();
      // Move the threshold to the best photo below: it joins the tagged ones as the slider moves.
      const best = scoreOf(await below.getByRole('button').first().getAttribute('aria-label'));
      await preview.getByRole('slider', { name: 'Threshold' }).fill(floor2(best));
      await expect.poll(() => tagged.getByRole('button').count(), WAIT).toBeGreaterThan(before);
      await shot('new-label-just-below');
      // A refused input reads as a plain sentence: no API method or field path in it.
      await page.getByLabel('New label').fill('x'.repeat(101));
      const refused = page.getByRole('alert');
      await expect
        .poll(() => refused.allTextContents(), WAIT)
        .toContain('Label text is longer than 100 characters');
      await page.getByLabel('New label').fill('');
      // Another word typed over a previewed one and saved at once (before the preview's
      // debounce), refused: the refusal is said, and neither the old word's photos nor a
      // "Scoring every photo…" with nothing running stand under the new word's name.
      await page.getByLabel('New label').fill('plumage');
      await below
        .getByRole('button', { name: /^Open / })
        .first()
        .waitFor(WAIT);
      await page.getByLabel('New label').fill('zzqxv');
      await page.getByLabel('New label').press('Enter');
      await expect
        .poll(() => refused.allTextContents(), WAIT)
        .toEqual(
          expect.arrayContaining([expect.stringMatching(/^Could not save: Unknown word: zzqxv\b/)]),
        );
      await page.waitForTimeout(500);
      await expect(page.getByRole('region', { name: 'Preview of zzqxv' }).count()).resolves.toBe(0);
      await expect(page.getByText('Scoring every photo…').count()).resolves.toBe(0);
      await page.getByLabel('New label').fill('');
    });

    it('tunes a saved label: preview, live count, Save naming the photos, then Undo', async () => {
      const labels = page.getByRole('list', { name: 'Labels' });
      await labels.getByRole('button', { name: 'feathers', exact: true }).waitFor(WAIT);
      const count = async (): Promise<number> =>
        Number(
          /· ([\d,]+) photos?/
            .exec(
              (await labels.locator('li', { hasText: 'feathers' }).first().textContent()) ?? '',
            )?.[1]
            ?.replace(/,/g, ''),
        );
      const start = await count();
      await labels.getByRole('button', { name: 'Tune feathers: preview and threshold' }).click();
      const preview = labels.getByRole('region', { name: 'Preview of feathers' });
      const below = preview.getByRole('list', { name: 'Just below the threshold' });
      await below.getByRole('button').first().waitFor(WAIT);
      const shown = preview.locator('.count');
      await expect
        .poll(async () => Number((await shown.textContent())?.split(' ')[0]), WAIT)
        .toBe(start);
      await shot('saved-label-tuner');
      const best = scoreOf(await below.getByRole('button').first().getAttribute('aria-label'));
      await preview.getByRole('slider', { name: 'Threshold' }).fill(floor2(best));
      await expect
        .poll(async () => Number((await shown.textContent())?.split(' ')[0]), WAIT)
        .toBeGreaterThan(start);
      const after = Number((await shown.textContent())?.split(' ')[0]);
      const save = labels.getByRole('button', {
        name: `Save threshold: ${start} → ${after} ${after === 1 ? 'photo' : 'photos'}`,
      });
      await save.waitFor(WAIT);
      await shot('saved-label-moved');
      await save.click();
      const toasts = page.getByRole('status', { name: 'Notifications' });
      await toasts
        .getByText(
          `“feathers” now tags ${after} ${after === 1 ? 'photo' : 'photos'} (was ${start})`,
        )
        .waitFor(WAIT);
      await expect.poll(count, WAIT).toBe(after);
      await shot('saved-label-undo-toast');
      await toasts.getByRole('button', { name: 'Undo', exact: true }).click();
      await toasts.getByText(`Undone: “feathers” tags ${start}`).waitFor(WAIT);
      await expect.poll(count, WAIT).toBe(start);
    });

    it('offers only the execution providers that exist here, and says why the others cannot', async () => {
      await view('Settings');
      const select = page.getByLabel('Execution provider');
      await select.waitFor(WAIT);
      const { providers } = await callApi<{
        providers: { provider: string; available: boolean }[];
      }>(serve, 'runtimeSettings');
      const missing = providers.filter((p) => !p.available).map((p) => p.provider);
      expect(missing.length).toBeGreaterThan(0);
      for (const { provider, available } of providers) {
        const disabled = await select
          .locator(`option[value="${provider}"]`)
          .evaluate((o) => (o as unknown as { disabled: boolean }).disabled);
        expect(disabled, provider).toBe(!available);
      }
      await page.getByText('Why some providers cannot be chosen').click();
      const why = page.getByRole('list', { name: 'Providers not available here' });
      await expect(why.getByRole('listitem').count()).resolves.toBe(missing.length);
      await shot('providers');
    });

    it('says the model download’s size before anything starts, and Not now starts nothing', async () => {
      await page.getByRole('button', { name: 'Download the official SDL model…' }).click();
      const offer = page.getByRole('group', { name: 'Download the official SDL model' });
      await offer.waitFor(WAIT);
      expect(await offer.textContent()).toMatch(
        /is [\d.]+ MB|size of the official SDL model is unknown/,
      );
      await offer.getByRole('button', { name: /^Download / }).waitFor();
      await shot('download-offer');
      const report: Record<string, AxeViolation[]> = { settings: await seriousViolations(page) };
      await offer.getByRole('button', { name: 'Not now' }).click();
      await offer.waitFor({ state: 'detached' });
      expect(await page.getByText(/^Downloading/).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Cancel download' }).count()).toBe(0);

      // The other views these steps changed, audited as shown.
      await view('Vocabulary');
      const labels = page.getByRole('list', { name: 'Labels' });
      await labels.getByRole('button', { name: 'Tune feathers: preview and threshold' }).click();
      await labels.getByRole('list', { name: 'Just below the threshold' }).waitFor(WAIT);
      report.tuner = await seriousViolations(page);
      await view('Folders');
      report.folders = await seriousViolations(page);
      await page.getByRole('link', { name: `${BROKEN.length} unreadable` }).click();
      await page.getByRole('heading', { name: /^Unreadable photos in / }).waitFor(WAIT);
      report.unreadable = await seriousViolations(page);
      expect(report).toEqual({ settings: [], tuner: [], folders: [], unreadable: [] });
      await page.getByRole('button', { name: 'All photos of this folder' }).click();
    });
  });
}

it('ran without script errors', () => {
  expect(problems).toEqual([]);
});

function scoreOf(label: string | null): number {
  const score = Number(/score (-?[\d.]+)$/.exec(label ?? '')?.[1]);
  expect(Number.isFinite(score), String(label)).toBe(true);
  return score;
}

/** A threshold just at or under `score`, on the slider's 0.01 steps. */
function floor2(score: number): string {
  return (Math.floor(score * 100 - 1e-6) / 100).toFixed(2);
}
