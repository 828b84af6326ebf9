/**
 * A new user's first minute, end to end: the built renderer in Debian's Chromium against a real
 * `anytag serve` with the starter pack, on the reference photos. Screenshots of each view go to
 * test-artifacts/e2e/.
 */
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_PHOTOS } from '../helpers/shared.js';
import { tempDir } from '../helpers/temp.js';
import { launchChromium } from './chromium.js';
import { requireServeBuilt, SHOTS, startServe, type ServeProcess } from './serve-process.js';
import { watchedPage } from './page-waits.js';

const BIRDS = /^Open (bird|owl|parrot)\.jpg/;
/** The machine may be busy (2 cores, other suites): wait like a patient user, not a benchmark. */
const WAIT = { timeout: 30_000 };

describe('the app in a browser, first minute', () => {
  let serve: ServeProcess;
  let browser: BrowserContext;
  let page: Page;
  /** Script errors and CSP refusals the page reports; none are expected. */
  const problems: string[] = [];
  const shot = (name: string): Promise<Buffer> =>
    page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

  beforeAll(async () => {
    await requireServeBuilt();
    serve = await startServe(path.join(await tempDir(), 'data'));
    browser = await launchChromium(await tempDir('anytag-chromium-'));
    page = await watchedPage(browser, problems);
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('greets a new user and asks for a folder', async () => {
    await page.goto(serve.url);
    await page.getByRole('heading', { name: 'Welcome to Anytag' }).waitFor();
    await page.getByText('Starter: MobileNetV2 + GloVe').waitFor();
    await shot('01-welcome');
  });

  it('adds the photo folder and shows indexing finish', async () => {
    await page.getByLabel('Folder path').fill(REFERENCE_PHOTOS);
    await page.getByRole('button', { name: 'Add and index' }).click();
    await page.getByText(/Indexing finished: 11 new/).waitFor({ timeout: 90_000 });
    await page
      .getByRole('button', { name: /^Open / })
      .first()
      .waitFor();
    await shot('02-library');
  });

  it('searches "bird" and shows bird photos first', async () => {
    await page.getByRole('combobox', { name: /Search photos/ }).fill('bird');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^3 photos match “bird”/ }).waitFor();
    const tiles = page.getByRole('button', { name: /^Open .*score/ });
    const names = await tiles.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(names.slice(0, 3).every((name) => BIRDS.test(name ?? ''))).toBe(true);
    await waitForImages(page);
    await shot('03-search-bird');
  });

  it('says no photo matches "owl", then shows the closest photos under a divider', async () => {
    await page.getByRole('combobox', { name: /Search photos/ }).fill('owl');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'No photo matches “owl” — closest:' }).waitFor();
    const divider = page.getByRole('separator');
    await divider.getByText(/^Closest photos/).waitFor();
    // Every tile is a closest (weaker) photo: the divider comes before all of them.
    const tiles = page.getByRole('button', { name: /^Open .*score/ });
    expect(await tiles.count()).toBeGreaterThan(0);
    const above = await page.evaluate(`(() => {
      const line = document.querySelector('[role=separator]').getBoundingClientRect().bottom;
      return Array.from(document.querySelectorAll('button.tile'))
        .filter((t) => t.getBoundingClientRect().top < line).length;
    })()`);
    expect(above).toBe(0);
    await waitForImages(page);
    await shot('03b-search-owl-closest');
  });

  it('shows matches, then the divider and the closest photos, and starts a new search at the top', async () => {
    await page.setViewportSize({ width: 520, height: 560 });
    await page.getByRole('combobox', { name: /Search photos/ }).fill('a dog');
    await page.keyboard.press('Enter');
    // Starter v2: only pets.jpg has a dog; the cats are the closest weaker photos.
    await page.getByRole('heading', { name: /^1 photo matches “a dog”/ }).waitFor();
    await page.getByText('Left out: a').waitFor();
    const separator = page.getByRole('separator');
    await separator.getByText(/^Closest weaker photos/).waitFor();
    await waitForImages(page);
    await shot('03c-search-matches-divider-closest');
    const scroller = 'document.querySelector(".scroller")';
    await page.evaluate(`${scroller}.scrollTop = 400`);
    await expect.poll(() => page.evaluate(`${scroller}.scrollTop`), WAIT).toBeGreaterThan(0);
    await page.getByRole('combobox', { name: /Search photos/ }).fill('animal');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /match(es)? “animal”/ }).waitFor();
    await expect.poll(() => page.evaluate(`${scroller}.scrollTop`), WAIT).toBe(0);
    // A phrase typed in quotes is quoted once in the heading, not “"a dog"”.
    const box = page.getByRole('combobox', { name: /Search photos/ });
    await box.fill('"a dog"');
    await page.keyboard.press('Enter');
    const phrase = page.getByRole('heading', { name: /(match|matches) “a dog”/ });
    await phrase.waitFor();
    expect(await phrase.textContent()).not.toContain('“"');
    await box.fill('animal');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /match(es)? “animal”/ }).waitFor();
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('opens a photo with its tags and scores an unseen label on it', async () => {
    await page
      .getByRole('button', { name: /^Open .*score/ })
      .first()
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('list', { name: 'Tags' }).waitFor();
    await dialog.getByLabel('Score any label on this photo').fill('feathers');
    await dialog.getByRole('button', { name: 'Score', exact: true }).click();
    await dialog.getByRole('button', { name: 'feathers', exact: true }).waitFor();
    await expect.poll(() => dialog.getByLabel('unseen').count(), WAIT).toBeGreaterThan(0);
    await shot('04-photo');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('previews the new label "feathers", saves it and finds the photos it tags', async () => {
    await page.getByRole('button', { name: 'Vocabulary' }).click();
    await page.getByLabel('New label').fill('feathers');
    const preview = page.getByRole('region', { name: 'Preview of feathers' });
    await preview.getByRole('slider', { name: 'Threshold' }).waitFor();
    await preview
      .getByRole('button', { name: /^Open / })
      .first()
      .waitFor();
    // Every photo the preview shows (tagged and closest below), best first.
    const ranked = async (): Promise<{ name: string; score: number }[]> =>
      (
        await preview
          .getByRole('button', { name: /^Open / })
          .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))
      )
        .map((label) => ({
          name: /^Open (\S+),/.exec(label)?.[1] ?? '',
          score: Number(/score (-?[\d.]+)$/.exec(label)?.[1]),
        }))
        .sort((a, b) => b.score - a.score);
    const before = await ranked();
    const birds = before.slice(0, 4).filter((p) => /^(bird|owl|parrot)\.jpg$/.test(p.name));
    expect(birds).toHaveLength(3);
    // Move the threshold just under the weakest bird, as a user would, and watch the preview.
    const cut = Math.floor(Math.min(...birds.map((b) => b.score)) * 100) / 100;
    await preview.getByRole('slider', { name: 'Threshold' }).fill(String(cut));
    const tagged = preview.getByRole('list', { name: 'Photos it would tag' });
    await expect
      .poll(
        () => tagged.getByRole('button', { name: /^Open (bird|owl|parrot)\.jpg/ }).count(),
        WAIT,
      )
      .toBe(3);
    await shot('05-vocabulary-preview');

    await page.getByRole('button', { name: 'Save label' }).click();
    await page.getByRole('status').getByText('Saved “feathers”').waitFor();
    await page
      .getByRole('list', { name: 'Labels' })
      .getByRole('button', { name: 'feathers', exact: true })
      .waitFor();
    await shot('06-vocabulary-saved');
    await page.getByRole('button', { name: 'Find photos tagged “feathers”' }).click();
    await page.getByRole('heading', { name: /match(es)? “feathers”/ }).waitFor();
    const top = await page
      .getByRole('button', { name: /^Open .*score/ })
      .evaluateAll((els) => els.slice(0, 4).map((e) => e.getAttribute('aria-label') ?? ''));
    expect(top.filter((label) => BIRDS.test(label))).toHaveLength(3);

    // The label is now one of the parrot's tags, marked unseen.
    await page.getByRole('button', { name: /^Open parrot\.jpg/ }).click();
    const dialog = page.getByRole('dialog');
    const tags = dialog.getByRole('list', { name: 'Tags' });
    await tags.getByRole('button', { name: 'feathers', exact: true }).waitFor();
    await shot('07-feathers-tagged');
    await page.keyboard.press('Escape');
  });

  it('shows the folders, vocabulary and settings views', async () => {
    await page.getByRole('button', { name: 'Folders' }).click();
    await page.getByRole('list', { name: 'Library folders' }).getByText(REFERENCE_PHOTOS).waitFor();
    await shot('08-folders');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: /Starter: MobileNetV2/ }).waitFor();
    await shot('09-settings');
    await page.getByRole('radio', { name: 'Dark' }).check();
    await page.getByRole('button', { name: 'Photos' }).click();
    await page.getByRole('button', { name: 'Clear search' }).click();
    await page.getByRole('heading', { name: /All photos/ }).waitFor();
    await waitForImages(page);
    await shot('10-library-dark');
  });

  it('gives every control in every view a name', async () => {
    // Runs in the page (a string, so this file needs no DOM types): controls without a name.
    const unnamed = `Array.from(document.querySelectorAll('button, input, select, [role=slider]'))
      .filter((el) => {
        const text = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
        const labelled = el.labels && el.labels.length > 0;
        return !text && !labelled && !el.getAttribute('aria-labelledby') && !el.title;
      })
      .map((el) => el.outerHTML.slice(0, 120))`;
    for (const view of ['Photos', 'Vocabulary', 'Folders', 'Settings']) {
      await page.getByRole('button', { name: view, exact: true }).click();
      expect(await page.evaluate<string[]>(unnamed), view).toEqual([]);
    }
  });

  it('ran without script errors or Content-Security-Policy refusals', () => {
    expect(problems).toEqual([]);
  });
});

/** Waits until every image on the page has loaded (or failed), for honest screenshots. */
async function waitForImages(page: Page): Promise<void> {
  await page.waitForFunction('Array.from(document.images).every((img) => img.complete)');
}
