/**
 * Certificate status in the real renderer (Debian's Chromium, browser-mode host): a signed-out
 * site, a failed sign-in shown in plain words, waiting for the browser with Cancel and "Copy
 * sign-in link", and a full sign-in through the Teleport emulator (the `BROWSER` stand-in does the
 * IdP step) that ends in a ticking countdown, the site view, the expiry setting and sign-out.
 * Screenshots go to test-results/e2e/.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/sshd';
import { requireTools } from '../support/tools';
import { startApp, type AppUnderTest } from './support/app';
import { CHROMIUM } from './support/browser';
import { shotPath } from './support/screenshots';
import { startTeleportSite, type TeleportSite } from './support/teleportSite';
import { browserStandIn } from './support/webHost';

const tools = requireTools([CHROMIUM, 'ssh-keygen', 'openssl']);
const TEST_MS = 60_000;
/** The emulator caps certificates at 30 min, so the countdown shows seconds and ticks. */
const CERT_CAP_MS = 30 * 60_000;

describe.skipIf(tools.skip)(`sign-in status in Chromium${tools.marker}`, () => {
  let app: AppUnderTest | undefined;
  let teleport: TeleportSite | undefined;

  beforeAll(async () => {
    app = await startApp({
      name: 'signin',
      chromium: tools.paths.chromium,
      // The stand-in until a test sets another BROWSER; close() puts the variable back.
      env: { BROWSER: browserStandIn },
    });
    teleport = await startTeleportSite({ logins: ['alice', 'hpcuser'], certTtlCapMs: CERT_CAP_MS });
    // Nothing listens on the first site's port, so signing in to it fails.
    await app.dispatch('sites.addTeleport', {
      address: `127.0.0.1:${await freePort()}`,
      name: 'closed',
    });
    await app.dispatch('sites.addTeleport', { address: teleport.address, name: 'emu' });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await teleport?.close();
  }, 30_000);

  const siteItem = (page: Page, site: string): Locator => page.locator(`li[data-site="${site}"]`);
  const countdown = (item: Locator): Locator => item.locator('.cert-countdown');

  it(
    'shows a signed-out site and a failed sign-in in plain words',
    async () => {
      const { page, context, errors } = await app!.openPage();
      const item = siteItem(page, 'closed');
      await countdown(item).getByText('Signed out').waitFor();
      expect(await item.locator('.cert-badge').getAttribute('data-state')).toBe('signed-out');
      await page.screenshot({ path: shotPath('signin-signed-out-light.png') });

      await item.getByRole('button', { name: 'Sign in to closed' }).click();
      const alert = item.getByRole('alert');
      await alert.waitFor();
      const message = (await alert.textContent()) ?? '';
      expect(message.length).toBeGreaterThan(10);
      // The action is offered again at once.
      await item.getByRole('button', { name: 'Sign in to closed' }).waitFor();
      await page.screenshot({ path: shotPath('signin-error-light.png') });
      expect(errors).toEqual([]);
      await context.close();
    },
    TEST_MS,
  );

  it(
    'waits for the browser with a spinner, offers the sign-in link and cancels',
    async () => {
      // A browser that opens nothing: the sign-in waits for a callback that never comes.
      process.env.BROWSER = '/bin/true';
      const { page, context, errors } = await app!.openPage();
      const item = siteItem(page, 'emu');
      await countdown(item).getByText('Signed out').waitFor();
      await item.getByRole('button', { name: 'Sign in to emu' }).click();
      await item.getByText('Waiting for the browser…').waitFor();
      expect(await item.getByTestId('spinner').count()).toBe(1);
      await item.getByRole('button', { name: 'Copy sign-in link' }).click();
      // Headless Chromium may refuse the clipboard; then the link is shown selected to copy.
      const field = item.getByRole('textbox', { name: /Sign-in link/ });
      await Promise.race([
        item.getByRole('button', { name: 'Link copied' }).waitFor(),
        field.waitFor(),
      ]);
      if (await field.count()) {
        expect(await field.inputValue()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      }
      await page.screenshot({ path: shotPath('signin-waiting-light.png') });

      await item.getByRole('button', { name: 'Cancel' }).click();
      await item.getByRole('button', { name: 'Sign in to emu' }).waitFor();
      // Cancelling is not a failure.
      expect(await item.getByRole('alert').count()).toBe(0);
      expect(await countdown(item).textContent()).toBe('Signed out');
      expect(errors).toEqual([]);
      await context.close();
    },
    TEST_MS,
  );

  it(
    'signs in through the emulator and shows a ticking countdown, the site view and sign-out',
    async () => {
      process.env.BROWSER = browserStandIn;
      const { page, context, errors } = await app!.openPage();
      const item = siteItem(page, 'emu');
      await item.getByRole('button', { name: 'Sign in to emu' }).click();
      // Below the 60 min warning: mm:ss in amber, ticking every second.
      await countdown(item)
        .getByText(/^[23]\d:\d\d$/)
        .waitFor({ timeout: 30_000 });
      expect(await item.locator('.cert-badge').getAttribute('data-state')).toBe('expiring');
      const first = await countdown(item).textContent();
      await page.waitForTimeout(2100);
      expect(await countdown(item).textContent()).not.toBe(first);
      expect(await item.locator('.badge').getAttribute('title')).toMatch(/^Expires /);
      await item.getByRole('button', { name: 'Renew emu' }).waitFor();
      await page.screenshot({ path: shotPath('signin-countdown-light.png') });

      // The site view: user, logins, permissions, vault mode.
      await item.locator('.site-item-main').click();
      const panel = page.getByRole('tabpanel', { name: /emu/ });
      await panel.getByRole('heading', { name: 'emu' }).waitFor();
      await panel.getByText('hpcuser', { exact: true }).waitFor();
      await panel.getByText('Interactive terminal (PTY)').waitFor();
      expect(await panel.getByText(/^SHA256:/).count()).toBe(1);
      expect(
        await panel.getByText(/system keychain|session only|vault is not open/i).count(),
      ).toBeGreaterThan(0);
      await page.screenshot({ path: shotPath('site-view-light.png') });

      // A 10 min warning makes the same certificate "valid" (green).
      await page.getByRole('button', { name: /^Settings/ }).click();
      const settings = page.getByRole('tabpanel', { name: /Settings/ });
      const minutes = settings.getByLabel('Warn before expiry (minutes)');
      await minutes.fill('10');
      await minutes.press('Enter');
      await item.locator('.cert-badge[data-state="valid"]').waitFor();
      await page.screenshot({ path: shotPath('signin-settings-light.png') });

      await page.emulateMedia({ colorScheme: 'dark' });
      await page.getByRole('tab', { name: /emu/ }).click();
      await page.screenshot({ path: shotPath('site-view-dark.png') });

      await item.getByRole('button', { name: 'Sign out of emu' }).click();
      await countdown(item).getByText('Signed out').waitFor();
      await page.screenshot({ path: shotPath('signin-signed-out-dark.png') });
      expect(errors).toEqual([]);
      await context.close();
    },
    TEST_MS,
  );
});
