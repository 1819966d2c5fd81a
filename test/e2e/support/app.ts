/**
 * OneHop as an e2e test meets it: the browser-mode host on a fresh data directory and Chromium to
 * open it in. One start and one close, so each test file's set-up shows only what is its own.
 */
import {
  launchChromium,
  openPage,
  type LaunchOptions,
  type PageOptions,
  type WatchedPage,
} from './browser';
import { startE2eHost, type E2eHost, type E2eHostOptions } from './webHost';

export interface AppUnderTest extends E2eHost {
  /** A fresh page on the app (see `openPage` in browser.ts). */
  openPage(options?: PageOptions): Promise<WatchedPage>;
  /** Closes Chromium, then the host (which restores the environment). */
  close(): Promise<void>;
}

export interface AppOptions extends E2eHostOptions, LaunchOptions {
  /** The Chromium `requireTools` found. */
  chromium?: string | undefined;
}

export async function startApp(options: AppOptions): Promise<AppUnderTest> {
  const host = await startE2eHost(options);
  const browser = await launchChromium(options.chromium, options).catch(async (error: unknown) => {
    await host.close();
    throw error;
  });
  return {
    ...host,
    openPage: (pageOptions) => openPage(browser, host.url, pageOptions),
    async close() {
      try {
        await browser.close();
      } finally {
        await host.close();
      }
    },
  };
}
