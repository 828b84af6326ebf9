/**
 * Browsing by folder and by date (issue 15, item 4), at a phone's 390×844 and a laptop's
 * 1280×800: the library folders as a tree with counts (sub-folders included), unreadable and
 * offline photos said, walked with the keyboard; a folder chosen filters the gallery and has an
 * address that reload, Back and Forward follow; capture years → months → days and "No date"
 * with counts that match the gallery, narrowed to the folder chosen; a search stays within the
 * scope until asked to search all photos; on phones the browser is a drawer. axe-core audits it.
 * Screenshots go to test-artifacts/e2e/browse-<size>-NN-*.png.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, STARTER_PACK, requireBuilt } from '../helpers/shared.js';
import { exiftoolWrite, plainImage } from '../helpers/exiftool-fixture.js';
import { tempDir } from '../helpers/temp.js';
import { seriousViolations } from './axe.js';
import { launchChromium } from './chromium.js';
import { waitForImages, watchedPage } from './page-waits.js';
import { startServe, type ServeProcess } from './serve-process.js';

const SHOTS = path.join(REPO_ROOT, 'test-artifacts', 'e2e');
const WAIT = { timeout: 30_000 };
const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** Photo (relative to the temp folder) → the DateTimeOriginal exiftool writes (null: none). */
const PHOTOS: Record<string, string | null> = {
  'Pictures/2023 Trip/Day 1/beach.jpg': '2023:07:14 10:00:00',
  'Pictures/2023 Trip/Day 1/dunes.jpg': '2023:07:14 18:30:00',
  'Pictures/2023 Trip/Day 2/harbour.jpg': '2023:07:15 09:00:00',
  'Pictures/Home/garden.jpg': '2024:05:01 12:00:00',
  'Pictures/Home/scan.png': null,
  'Card/DCIM/100CANON/IMG_0001.jpg': '2022:12:24 20:00:00',
  'Card/DCIM/100CANON/IMG_0002.jpg': '2022:12:25 08:00:00',
};
/** The photos above and one unreadable file (in Day 2). */
const TOTAL = 8;

let serve: ServeProcess;
let browser: BrowserContext;
let pictures: string;
let card: string;
const problems: string[] = [];

/** POST /api/<method> from the page (its cookie carries the token). */
function callApi<T>(page: Page, method: string, input: unknown): Promise<T> {
  return page.evaluate(
    async ([m, body]) => {
      const response = await fetch(`api/${m}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await response.json()) as T;
    },
    [method, input] as const,
  );
}

beforeAll(async () => {
  requireBuilt(path.join(REPO_ROOT, 'out', 'node', 'server', 'serve.js'), 'run `npm run build`');
  requireBuilt(path.join(REPO_ROOT, 'out', 'renderer', 'index.html'), 'run `npm run build:web`');
  requireBuilt(STARTER_PACK, 'run `npm run build:packs`');
  await mkdir(SHOTS, { recursive: true });
  const dir = await tempDir();
  let shade = 0;
  for (const [name, date] of Object.entries(PHOTOS)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await plainImage(file, name.endsWith('.png') ? 'png' : 'jpeg', [30 * ++shade, 120, 200]);
    if (date) await exiftoolWrite(file, [`-DateTimeOriginal=${date}`]);
  }
  pictures = path.join(dir, 'Pictures');
  card = path.join(dir, 'Card');
  await writeFile(path.join(pictures, '2023 Trip', 'Day 2', 'broken.jpg'), 'not a jpeg');
  serve = await startServe(path.join(dir, 'data'));
  browser = await launchChromium(await tempDir('anytag-chromium-'));
  const page = await browser.newPage();
  await page.goto(serve.url);
  for (const folder of [pictures, card]) await callApi(page, 'addFolder', { path: folder });
  const settled = async (): Promise<boolean> => {
    const { folders } = await callApi<{
      folders: { photos: { total: number; pending: number } }[];
    }>(page, 'listFolders', {});
    const photos = folders.map((f) => f.photos);
    return photos.reduce((n, p) => n + p.total, 0) === TOTAL && photos.every((p) => !p.pending);
  };
  // (expect.poll works only inside a test.)
  const until = Date.now() + 120_000;
  while (!(await settled())) {
    if (Date.now() > until) throw new Error(`indexing did not finish:\n${serve.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await page.close();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

for (const size of SIZES) {
  describe(`browsing by folder and date, ${size.name} ${size.width}×${size.height}`, () => {
    let page: Page;
    const phone = size.name === 'phone';
    const shot = async (name: string): Promise<void> => {
      await waitForImages(page);
      await page.screenshot({ path: path.join(SHOTS, `browse-${size.name}-${name}.png`) });
    };
    const folders = () => page.getByRole('tree', { name: 'Folders' });
    const dates = () => page.getByRole('tree', { name: 'Dates' });
    const tiles = () => page.getByRole('button', { name: /^Open / });
    const heading = (name: string) => page.getByRole('heading', { name, exact: true });
    /** On a phone the browser is a drawer: opened first, closed by choosing. */
    const openBrowser = async (): Promise<void> => {
      if (!phone || (await folders().isVisible())) return;
      await page.getByRole('button', { name: 'Browse folders and dates' }).click();
      await folders().waitFor(WAIT);
    };
    /** The address's view and parameters. */
    const hash = (): Record<string, string> => {
      const [view, query = ''] = new URL(page.url()).hash.split('?');
      return { view: view!, ...Object.fromEntries(new URLSearchParams(query)) };
    };
    /** The element has the keyboard focus. */
    const focused = (locator: ReturnType<Page['locator']>): Promise<boolean> =>
      locator.evaluate((e) => e === (e.ownerDocument as { activeElement: unknown }).activeElement);
    const item = (tree: ReturnType<typeof folders>, name: string | RegExp) =>
      tree.getByRole('treeitem', { name, exact: typeof name === 'string' });
    const choose = async (tree: ReturnType<typeof folders>, name: string | RegExp) => {
      await openBrowser();
      await item(tree, name).click();
      if (phone) await folders().waitFor({ state: 'hidden' });
    };

    beforeAll(async () => {
      page = await watchedPage(browser, problems, size);
      await page.goto(serve.url);
      await heading(`All photos (${TOTAL})`).waitFor(WAIT);
    });
    afterAll(() => page.close());
    afterEach(async ({ task }) => {
      if (task.result?.state !== 'fail') return;
      await shot(`failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`);
    });

    it('shows the library folders as a tree with counts, walked with the keyboard', async () => {
      if (phone) {
        // A drawer on phones: closed at first, the gallery uses the width.
        await expect(folders().isVisible()).resolves.toBe(false);
        await openBrowser();
        await shot('01-drawer');
      }
      await item(folders(), `All photos, ${TOTAL} photos`).waitFor(WAIT);
      await item(folders(), 'Pictures, 6 photos, 1 unreadable').waitFor(WAIT);
      await item(folders(), 'Card, 2 photos').waitFor();
      const trip = item(folders(), '2023 Trip, 4 photos, 1 unreadable');
      await expect(trip.getAttribute('aria-expanded')).resolves.toBe('false');
      if (!phone) await shot('01-folder-tree');
      // → opens, ↓ walks into the sub-folders, Enter chooses.
      await trip.focus();
      await page.keyboard.press('ArrowRight');
      await expect(trip.getAttribute('aria-expanded')).resolves.toBe('true');
      await page.keyboard.press('ArrowDown');
      await expect(focused(item(folders(), 'Day 1, 2 photos'))).resolves.toBe(true);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      const day2 = path.join(pictures, '2023 Trip', 'Day 2');
      await heading(`${day2} (2)`).waitFor(WAIT);
      await expect.poll(() => tiles().count(), WAIT).toBe(2);
      expect(hash()).toEqual({ view: '#/photos', folder: day2 });
      await openBrowser();
      await expect(
        item(folders(), 'Day 2, 2 photos, 1 unreadable').getAttribute('aria-selected'),
      ).resolves.toBe('true');
      await shot('02-folder-chosen');
      if (phone) await page.keyboard.press('Escape');
    });

    it('restores the folder on reload and follows Back and Forward', async () => {
      const day2 = path.join(pictures, '2023 Trip', 'Day 2');
      await page.reload();
      await heading(`${day2} (2)`).waitFor(WAIT);
      await choose(folders(), 'Home, 2 photos');
      await heading(`${path.join(pictures, 'Home')} (2)`).waitFor(WAIT);
      await page.goBack();
      await heading(`${day2} (2)`).waitFor(WAIT);
      await page.goForward();
      await heading(`${path.join(pictures, 'Home')} (2)`).waitFor(WAIT);
      await choose(folders(), `All photos, ${TOTAL} photos`);
      await heading(`All photos (${TOTAL})`).waitFor(WAIT);
    });

    it('browses capture years, months and days, and the photos with no date', async () => {
      await openBrowser();
      const year = item(dates(), '2023, 3 photos');
      await year.waitFor(WAIT);
      await item(dates(), '2024, 1 photo').waitFor();
      await item(dates(), '2022, 2 photos').waitFor();
      // The PNG names no capture date; the unreadable file has no date at all (in no period,
      // as search's taken:none agrees), said on All dates.
      await item(dates(), 'No date, 1 photo').waitFor();
      await item(dates(), `All dates, ${TOTAL} photos, 1 unreadable`).waitFor();
      await year.focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowDown');
      const july = item(dates(), /^July 2023, 3 photos$/);
      await expect(focused(july)).resolves.toBe(true);
      await page.keyboard.press('ArrowRight');
      await item(dates(), /^\w+ 14, July 2023, 2 photos$/).waitFor();
      await shot('03-dates');
      await choose(dates(), /^\w+ 14, July 2023, 2 photos$/);
      await page.getByRole('heading', { name: /14, 2023 \(2\)$/ }).waitFor(WAIT);
      await expect.poll(() => tiles().count(), WAIT).toBe(2);
      expect(hash()).toEqual({ view: '#/photos', taken: '2023-07-14' });
      await shot('04-day-chosen');
      await choose(dates(), 'No date, 1 photo');
      await heading('No date (1)').waitFor(WAIT);
      await expect.poll(() => tiles().count(), WAIT).toBe(1);
      await page.reload();
      await heading('No date (1)').waitFor(WAIT);
      await shot('05-no-date');
    });

    it('narrows the dates to the folder chosen, and a search to both', async () => {
      const home = path.join(pictures, 'Home');
      await choose(folders(), 'Home, 2 photos');
      await heading(`${home} (2)`).waitFor(WAIT);
      await openBrowser();
      await item(dates(), '2024, 1 photo').waitFor(WAIT);
      await item(dates(), 'No date, 1 photo').waitFor(WAIT);
      await expect(item(dates(), '2023, 3 photos').count()).resolves.toBe(0);
      await choose(dates(), '2024, 1 photo');
      await heading(`${home} · 2024 (1)`).waitFor(WAIT);
      expect(hash()).toEqual({ view: '#/photos', folder: home, taken: '2024' });
      const box = page.getByRole('combobox', { name: /Search photos/ });
      await box.fill('garden');
      await page.keyboard.press('Enter');
      await page.getByText(`${home} · 2024`, { exact: true }).waitFor(WAIT);
      await expect.poll(() => tiles().count(), WAIT).toBe(1);
      await shot('06-scoped-search');
      await page.getByRole('button', { name: 'Search all photos' }).click();
      await expect.poll(() => tiles().count(), WAIT).toBeGreaterThan(1);
      expect(hash()).toEqual({ view: '#/photos', q: 'garden' });
      await box.fill('');
      await page.keyboard.press('Enter');
      await heading(`All photos (${TOTAL})`).waitFor(WAIT);
    });

    it('passes an axe-core audit with the browser shown (no serious violations)', async () => {
      await openBrowser();
      await item(folders(), 'Pictures, 6 photos, 1 unreadable').waitFor(WAIT);
      expect(await seriousViolations(page)).toEqual([]);
      if (phone) await page.keyboard.press('Escape');
    });

    it('marks an unreachable folder offline in the tree', { timeout: 120_000 }, async () => {
      const away = `${card}-away`;
      await rename(card, away);
      try {
        await openBrowser();
        await item(folders(), 'Card, 2 photos, offline').waitFor({ timeout: 60_000 });
        await shot('07-offline');
      } finally {
        await rename(away, card);
      }
      await item(folders(), 'Card, 2 photos').waitFor({ timeout: 60_000 });
      if (phone) await page.keyboard.press('Escape');
    });
  });
}

it('ran without script errors or Content-Security-Policy refusals', () => {
  expect(problems).toEqual([]);
});
