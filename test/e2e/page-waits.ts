/** Waits the e2e tests share, polled from the test side (the app's CSP refuses eval in the page). */
import type { Page } from 'playwright-core';
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
