/**
 * Reading the visible terminal tab. Chromium runs without WebGL for these tests
 * (`startApp({ webgl: false })`), so xterm's DOM renderer holds the text as rows.
 */
import type { Page } from 'playwright-core';

/** The visible terminal's lines as the DOM renderer draws them. */
export async function terminalLines(page: Page): Promise<string[]> {
  return (await page.locator('.panel:not([hidden]) .xterm-rows > div').allTextContents()).map(
    (line) => line.replace(/\u00a0/g, ' ').trimEnd(),
  );
}

/** The first line that matches, within 15 s; the error shows the whole screen. */
export async function waitForLine(page: Page, match: (line: string) => boolean): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const line = (await terminalLines(page)).find(match);
    if (line !== undefined) return line;
    await page.waitForTimeout(100);
  }
  throw new Error(`No such line in the terminal:\n${(await terminalLines(page)).join('\n')}`);
}

/** The remote pty's size, as `stty size` reports it in the shell of the visible tab. */
export async function sttySize(
  page: Page,
  marker: string,
): Promise<{ rows: number; cols: number }> {
  // The marker keeps an earlier answer (or the echoed command line) from matching.
  await page.keyboard.type(`echo ${marker} $(stty size)\n`);
  const line = await waitForLine(page, (l) => new RegExp(`^${marker} \\d+ \\d+$`).test(l));
  const [, rows, cols] = line.split(' ').map(Number) as [number, number, number];
  return { rows, cols };
}
