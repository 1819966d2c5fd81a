/**
 * Screenshots go to test-results/e2e/ so people can look at the UI the tests walked through
 * (CI keeps that folder); a light and a dark one where the theme matters.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

const shotsDir = path.resolve(__dirname, '../../../test-results/e2e');

/** Where the screenshot `name` (with its extension) goes; makes the folder on first use. */
export function shotPath(name: string): string {
  fs.mkdirSync(shotsDir, { recursive: true });
  return path.join(shotsDir, name);
}

/**
 * `<name>-light.png` as the page is, then `<name>-dark.png` once the dark theme has had `settleMs`
 * to apply; the page is left light.
 */
export async function shootLightAndDark(page: Page, name: string, settleMs: number): Promise<void> {
  await page.screenshot({ path: shotPath(`${name}-light.png`) });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(settleMs);
  await page.screenshot({ path: shotPath(`${name}-dark.png`) });
  await page.emulateMedia({ colorScheme: 'light' });
}
