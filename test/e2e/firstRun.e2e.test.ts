/**
 * The real renderer in Debian's Chromium, through the browser-mode host and a fresh data
 * directory: first run → add the ECMWF preset by keyboard → hosts and tunnels, in light and dark.
 * Screenshots go to test-results/e2e/ so people can look at them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTools } from '../support/tools';
import { startApp, type AppUnderTest } from './support/app';
import { CHROMIUM, type WatchedPage } from './support/browser';
import { shotPath } from './support/screenshots';

const tools = requireTools([CHROMIUM]);
const TEST_MS = 30_000;

/**
 * What the page-side functions touch. The node tsconfig has no DOM types (on purpose: the core
 * must not use them), so page code reaches them through `globalThis` cast to this shape.
 */
interface PageWindow {
  document: {
    activeElement: { textContent: string | null } | null;
    body: object & { append(node: object): void };
    documentElement: { dataset: Record<string, string | undefined> };
    createElement(tag: 'script'): object & { textContent: string };
    addEventListener(
      type: 'securitypolicyviolation',
      listener: (event: { effectiveDirective: string; blockedURI: string }) => void,
    ): void;
  };
  getComputedStyle(element: object): { backgroundColor: string };
  __cspViolations?: string[];
  __inlineRan?: boolean;
}

describe.skipIf(tools.skip)(`first run in Chromium${tools.marker}`, () => {
  let app: AppUnderTest | undefined;

  beforeAll(async () => {
    app = await startApp({ name: 'first-run', chromium: tools.paths.chromium });
  }, TEST_MS);

  afterAll(() => app?.close(), TEST_MS);

  /** A fresh page that also records CSP violations. */
  async function openWatchedPage(
    colorScheme: 'light' | 'dark',
  ): Promise<WatchedPage & { cspViolations: () => Promise<string[]> }> {
    const watched = await app!.openPage({
      colorScheme,
      timeout: 10_000,
      initScript: () => {
        const seen: string[] = [];
        const w = globalThis as unknown as PageWindow;
        w.__cspViolations = seen;
        w.document.addEventListener('securitypolicyviolation', (event) => {
          seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'}`);
        });
      },
    });
    return {
      ...watched,
      cspViolations: () =>
        watched.page.evaluate(() => (globalThis as unknown as PageWindow).__cspViolations ?? []),
    };
  }

  /** Presses Tab until the focused element's text is `label`; proves it is keyboard-reachable. */
  async function tabTo(page: Page, label: string, maxPresses = 30): Promise<void> {
    for (let i = 0; i < maxPresses; i += 1) {
      await page.keyboard.press('Tab');
      const text = await page.evaluate(
        () =>
          (globalThis as unknown as PageWindow).document.activeElement?.textContent?.trim() ?? '',
      );
      if (text === label) return;
    }
    throw new Error(`"${label}" was not reached with ${maxPresses} presses of Tab.`);
  }

  it(
    'adds the ECMWF preset from the first-run chooser by keyboard and lists its hosts',
    async () => {
      const { page, context, errors, cspViolations } = await openWatchedPage('light');
      await page.getByRole('heading', { name: 'Welcome to OneHop' }).waitFor();
      await page.getByText('jump.ecmwf.int:443').waitFor();
      const csp = await page
        .locator('meta[http-equiv="Content-Security-Policy"]')
        .getAttribute('content');
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      await page.screenshot({ path: shotPath('first-run-light.png') });

      // No sandbox runs for this data directory: the card says how to start one.
      await page.getByText('in a terminal, then try again.').waitFor();
      expect(await page.getByRole('button', { name: 'Try again' }).isEnabled()).toBe(true);

      await tabTo(page, 'Add ECMWF');
      await page.keyboard.press('Enter');

      const rows = page.locator('[data-host-row]');
      await rows.first().waitFor();
      const names = await page.locator('[data-host-row] .host-name').allTextContents();
      expect(names).toEqual(expect.arrayContaining(['hpc-login', 'ecs-login']));
      expect(await page.getByRole('tab', { name: /Hosts/ }).getAttribute('aria-selected')).toBe(
        'true',
      );
      await page.getByText('Added ECMWF: 2 hosts and 2 tunnel profiles.').waitFor();
      await page.screenshot({ path: shotPath('hosts-light.png') });

      // "/" focuses the filter; typing narrows the list; Escape clears it.
      await page.locator('body').click({ position: { x: 700, y: 600 } });
      await page.keyboard.press('/');
      await page.keyboard.type('ecs');
      expect(await page.locator('[data-host-row] .host-name').allTextContents()).toEqual([
        'ecs-login',
      ]);
      await page.keyboard.press('Escape');
      expect(await rows.count()).toBe(2);

      // The core recorded the end of the first run.
      const settings = JSON.parse(
        fs.readFileSync(path.join(app!.dataDir, 'settings.json'), 'utf8'),
      ) as {
        ui: { firstRunDone: boolean };
      };
      expect(settings.ui.firstRunDone).toBe(true);

      expect(await cspViolations()).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    },
    TEST_MS,
  );

  it(
    'shows hosts, tunnels and settings in the dark theme',
    async () => {
      const { page, context, errors, cspViolations } = await openWatchedPage('dark');
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.locator('[data-host-row]').first().waitFor();
      const background = await page.evaluate(() => {
        const w = globalThis as unknown as PageWindow;
        return w.getComputedStyle(w.document.body).backgroundColor;
      });
      expect(background).not.toBe('rgb(255, 255, 255)');
      await page.screenshot({ path: shotPath('hosts-dark.png') });

      await page.getByRole('button', { name: /^Tunnels/ }).click();
      const tunnels = page.getByRole('tabpanel', { name: /Tunnels/ });
      await tunnels.getByRole('heading', { name: 'ecFlow SOCKS' }).waitFor();
      await tunnels.getByRole('heading', { name: 'ecFlow local' }).waitFor();
      expect(await tunnels.getByText('-D 127.0.0.1:9050').count()).toBe(1);
      expect(await tunnels.getByText('-L 127.0.0.1:4141 → machine1:4141').count()).toBe(1);
      expect(await tunnels.getByText('not set — choose your workstation').count()).toBe(2);
      await page.screenshot({ path: shotPath('tunnels-dark.png') });

      await page.getByRole('button', { name: /^Settings/ }).click();
      const settingsPanel = page.getByRole('tabpanel', { name: /Settings/ });
      await settingsPanel.getByText(app!.dataDir).waitFor();
      await page.screenshot({ path: shotPath('settings-dark.png') });

      // An explicit choice overrides the OS, and goes back to following it with "System".
      await page.getByRole('radio', { name: 'Light' }).click();
      await page.waitForFunction(
        () =>
          (globalThis as unknown as PageWindow).document.documentElement.dataset.theme === 'light',
      );
      await page.screenshot({ path: shotPath('settings-light.png') });
      await page.getByRole('radio', { name: 'System' }).click();
      await page.waitForFunction(
        () =>
          (globalThis as unknown as PageWindow).document.documentElement.dataset.theme ===
          undefined,
      );

      // Ctrl+1 goes back to the first tab (Hosts).
      await page.keyboard.press('Control+1');
      expect(await page.getByRole('tab', { name: /Hosts/ }).getAttribute('aria-selected')).toBe(
        'true',
      );

      expect(await cspViolations()).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    },
    TEST_MS,
  );

  it(
    'keeps inline scripts out (CSP holds)',
    async () => {
      const { page, context, cspViolations } = await openWatchedPage('light');
      await page.locator('[data-host-row]').first().waitFor();
      const ran = await page.evaluate(() => {
        const w = globalThis as unknown as PageWindow;
        const script = w.document.createElement('script');
        script.textContent = 'window.__inlineRan = true;';
        w.document.body.append(script);
        return w.__inlineRan === true;
      });
      expect(ran).toBe(false);
      await expect.poll(cspViolations).toContainEqual(expect.stringContaining('script-src'));
      await context.close();
    },
    TEST_MS,
  );
});
