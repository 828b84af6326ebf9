/** Waits the e2e tests share, polled from the test side (the app's CSP refuses eval in the page). */
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

const WAIT = { timeout: 30_000 };

/** Waits until every image on the page has loaded (or failed), for honest screenshots. */
export async function waitForImages(page: Page): Promise<void> {
  await expect
    .poll(
      () =>
        page
          .locator('img')
          .evaluateAll((imgs) =>
            imgs.every((i) => (i as unknown as { complete: boolean }).complete),
          ),
      WAIT,
    )
    .toBe(true);
}

/**
 * A new page at `size` (CSS px) that records script errors and console errors in `problems`
 * (a failed resource load is expected in some steps, e.g. an unreadable photo's thumbnail).
 */
export async function watchedPage(
  browser: BrowserContext,
  problems: string[],
  size?: { width: number; height: number },
): Promise<Page> {
  const page = await browser.newPage();
  if (size) await page.setViewportSize({ width: size.width, height: size.height });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text()))
      problems.push(`console: ${message.text()}`);
  });
  return page;
}
