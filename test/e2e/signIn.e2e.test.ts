/**
 * Certificate status in the real renderer (Debian's Chromium, browser-mode host): a signed-out
 * site, a failed sign-in shown in plain words, waiting for the browser with Cancel and "Copy
 * sign-in link", and a full sign-in through the Teleport emulator (the `BROWSER` stand-in does the
 * IdP step) that ends in a ticking countdown, the site view, the expiry setting and sign-out.
 * Screenshots go to test-results/e2e/.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src/main/web/server';
import { startIdp, webClient, type Idp } from '../support/idp';
import { startTeleportEmulator, type TeleportEmulator } from '../support/teleport/emulator';
import { requireTools } from '../support/tools';

const tools = requireTools([
  { name: 'chromium', path: '/usr/bin/chromium' },
  'ssh-keygen',
  'openssl',
]);
const rendererDir = path.resolve('out/renderer');
const shotsDir = path.resolve('test-results/e2e');
const standIn = `node ${path.resolve('test/support/browser-stand-in.mjs')}`;
const TEST_MS = 60_000;
/** The emulator caps certificates at 30 min, so the countdown shows seconds and ticks. */
const CERT_CAP_MS = 30 * 60_000;

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.skipIf(tools.skip)(`sign-in status in Chromium${tools.marker}`, () => {
  let dataDir = '';
  let previousHome: string | undefined;
  let previousBrowser: string | undefined;
  let host: WebHost | undefined;
  let browser: Browser | undefined;
  let idp: Idp | undefined;
  let proxy: TeleportEmulator | undefined;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
      throw new Error(
        `${rendererDir}/index.html is missing: build the renderer first with "npm run build" (npm test does this).`,
      );
    }
    fs.mkdirSync(shotsDir, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-e2e-signin-'));
    previousHome = process.env.ONEHOP_HOME;
    previousBrowser = process.env.BROWSER;
    process.env.ONEHOP_HOME = dataDir;

    idp = await startIdp({ clients: [] });
    const clientId = 'teleport-e2e';
    const clientSecret = 'secret-e2e-0123456789abcdef';
    proxy = await startTeleportEmulator({
      version: '17.2.0',
      suite: 'balanced-v1',
      logins: ['alice', 'hpcuser'],
      certTtlCapMs: CERT_CAP_MS,
      idp: { issuer: idp.issuer, clientId, clientSecret },
    });
    await idp.registerClient(webClient(clientId, clientSecret, [proxy.oidcRedirectUri]));

    host = await startWebHost({ dataDir, rendererDir, version: '0.0.0-e2e', log: () => {} });
    const add = async (address: string, name: string) => {
      const result = await host!.core.dispatcher.dispatch('sites.addTeleport', { address, name });
      if (!result.ok) throw new Error(result.error.message);
    };
    await add(`127.0.0.1:${await closedPort()}`, 'closed');
    await add(`127.0.0.1:${proxy.port}`, 'emu');

    browser = await chromium.launch({
      executablePath: tools.paths.chromium ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
      timeout: 20_000,
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await proxy?.close();
    await idp?.close();
    if (previousHome === undefined) delete process.env.ONEHOP_HOME;
    else process.env.ONEHOP_HOME = previousHome;
    if (previousBrowser === undefined) delete process.env.BROWSER;
    else process.env.BROWSER = previousBrowser;
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  async function openPage(
    colorScheme: 'light' | 'dark',
  ): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
    const context = await browser!.newContext({
      viewport: { width: 1280, height: 800 },
      colorScheme,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    await page.goto(host!.url);
    return { page, context, errors };
  }

  const siteItem = (page: Page, site: string): Locator => page.locator(`li[data-site="${site}"]`);
  const countdown = (item: Locator): Locator => item.locator('.cert-countdown');

  it(
    'shows a signed-out site and a failed sign-in in plain words',
    async () => {
      const { page, context, errors } = await openPage('light');
      const item = siteItem(page, 'closed');
      await countdown(item).getByText('Signed out').waitFor();
      expect(await item.locator('.cert-badge').getAttribute('data-state')).toBe('signed-out');
      await page.screenshot({ path: path.join(shotsDir, 'signin-signed-out-light.png') });

      await item.getByRole('button', { name: 'Sign in to closed' }).click();
      const alert = item.getByRole('alert');
      await alert.waitFor();
      const message = (await alert.textContent()) ?? '';
      expect(message.length).toBeGreaterThan(10);
      // The action is offered again at once.
      await item.getByRole('button', { name: 'Sign in to closed' }).waitFor();
      await page.screenshot({ path: path.join(shotsDir, 'signin-error-light.png') });
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
      const { page, context, errors } = await openPage('light');
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
      await page.screenshot({ path: path.join(shotsDir, 'signin-waiting-light.png') });

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
      process.env.BROWSER = standIn;
      const { page, context, errors } = await openPage('light');
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
      await page.screenshot({ path: path.join(shotsDir, 'signin-countdown-light.png') });

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
      await page.screenshot({ path: path.join(shotsDir, 'site-view-light.png') });

      // A 10 min warning makes the same certificate "valid" (green).
      await page.getByRole('button', { name: /^Settings/ }).click();
      const settings = page.getByRole('tabpanel', { name: /Settings/ });
      const minutes = settings.getByLabel('Warn before expiry (minutes)');
      await minutes.fill('10');
      await minutes.press('Enter');
      await item.locator('.cert-badge[data-state="valid"]').waitFor();
      await page.screenshot({ path: path.join(shotsDir, 'signin-settings-light.png') });

      await page.emulateMedia({ colorScheme: 'dark' });
      await page.getByRole('tab', { name: /emu/ }).click();
      await page.screenshot({ path: path.join(shotsDir, 'site-view-dark.png') });

      await item.getByRole('button', { name: 'Sign out of emu' }).click();
      await countdown(item).getByText('Signed out').waitFor();
      await page.screenshot({ path: path.join(shotsDir, 'signin-signed-out-dark.png') });
      expect(errors).toEqual([]);
      await context.close();
    },
    TEST_MS,
  );
});
