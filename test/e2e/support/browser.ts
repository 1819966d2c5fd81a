/**
 * Debian's Chromium through playwright-core, and pages that record what went wrong in them.
 * Every e2e test ends with `expect(errors).toEqual([])`: a console error or an uncaught exception
 * in the renderer is a failure even when every step worked.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** For `requireTools`: Debian's Chromium, at the path the tests launch. */
export const CHROMIUM = { name: 'chromium', path: '/usr/bin/chromium' };

export interface LaunchOptions {
  /**
   * false: no WebGL, so xterm falls back to its DOM renderer and the terminal's text can be read
   * from the page (this also exercises that fallback).
   */
  webgl?: boolean;
}

/** Headless Chromium with nothing of its own going on in the background. */
export function launchChromium(
  executablePath = CHROMIUM.path,
  options: LaunchOptions = {},
): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      ...(options.webgl === false ? ['--disable-webgl'] : []),
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    timeout: 20_000,
  });
}

export interface PageOptions {
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** Playwright's wait for each step; default 15 s. */
  timeout?: number;
  /** e.g. `clipboard-read`, for a test that reads back what the page copied. */
  permissions?: string[];
  /** Runs in every page before the app; injected by the browser, so the page's CSP allows it. */
  initScript?: () => void;
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors (`console: …`) and uncaught exceptions (`page error: …`), in order. */
  errors: string[];
}

/** A fresh context and page on `url`, recording console errors and uncaught exceptions. */
export async function openPage(
  browser: Browser,
  url: string,
  options: PageOptions = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    permissions: options.permissions ?? [],
  });
  if (options.initScript) await context.addInitScript(options.initScript);
  const page = await context.newPage();
  page.setDefaultTimeout(options.timeout ?? 15_000);
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  await page.goto(url);
  return { page, context, errors };
}
