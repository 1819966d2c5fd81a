/**
 * Terminal tabs in the real renderer (Debian's Chromium, browser-mode host) against a real
 * OpenSSH sshd: sign in through the Teleport emulator (the `BROWSER` stand-in does the IdP step),
 * open a saved `direct` host whose sshd trusts the emulator's user CA, answer the host key dialog,
 * type `echo hello`, see `hello`, shrink the page and see `stty size` change. Also the host editor
 * with the core's field errors. Screenshots go to test-results/e2e/.
 *
 * Chromium runs with WebGL disabled so the DOM renderer holds the text the test reads; that also
 * exercises the renderer fallback.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src/main/web/server';
import { startIdp, webClient, type Idp } from '../support/idp';
import { startSshd, type SshdServer } from '../support/sshd';
import { startTeleportEmulator, type TeleportEmulator } from '../support/teleport/emulator';
import { requireTools } from '../support/tools';

const tools = requireTools([
  { name: 'chromium', path: '/usr/bin/chromium' },
  'sshd',
  'ssh-keygen',
  'openssl',
]);
const rendererDir = path.resolve('out/renderer');
const shotsDir = path.resolve('test-results/e2e');
const standIn = `node ${path.resolve('test/support/browser-stand-in.mjs')}`;
const TEST_MS = 90_000;

describe.skipIf(tools.skip)(`terminal tabs in Chromium${tools.marker}`, () => {
  let dataDir = '';
  let previousHome: string | undefined;
  let previousBrowser: string | undefined;
  let host: WebHost | undefined;
  let browser: Browser | undefined;
  let idp: Idp | undefined;
  let proxy: TeleportEmulator | undefined;
  let sshd: SshdServer | undefined;

  const dispatch = async (command: string, payload: unknown): Promise<unknown> => {
    const result = await host!.core.dispatcher.dispatch(command, payload);
    if (!result.ok) throw new Error(`${command}: ${result.error.message}`);
    return result.result;
  };

  beforeAll(async () => {
    if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
      throw new Error(
        `${rendererDir}/index.html is missing: build the renderer first with "npm run build" (npm test does this).`,
      );
    }
    fs.mkdirSync(shotsDir, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-e2e-terminal-'));
    previousHome = process.env.ONEHOP_HOME;
    previousBrowser = process.env.BROWSER;
    process.env.ONEHOP_HOME = dataDir;
    process.env.BROWSER = standIn;

    idp = await startIdp({ clients: [] });
    const clientId = 'teleport-e2e-terminal';
    const clientSecret = 'secret-e2e-terminal-0123456789';
    proxy = await startTeleportEmulator({
      version: '17.2.0',
      suite: 'balanced-v1',
      logins: ['root'],
      idp: { issuer: idp.issuer, clientId, clientSecret },
    });
    await idp.registerClient(webClient(clientId, clientSecret, [proxy.oidcRedirectUri]));
    // A plain host key nobody vouches for: opening the host must ask.
    sshd = await startSshd({
      trustedUserCaKeys: [proxy.userCaPublicKey],
      authorizedKeysFile: 'none',
    });

    host = await startWebHost({ dataDir, rendererDir, version: '0.0.0-e2e', log: () => {} });
    await dispatch('sites.addTeleport', { address: `127.0.0.1:${proxy.port}`, name: 'emu' });
    await dispatch('signin.start', { site: 'emu' });
    await dispatch('hosts.add', {
      name: 'box',
      hostName: '127.0.0.1',
      port: sshd.port,
      login: 'root',
      site: 'emu',
      route: 'direct',
    });

    browser = await chromium.launch({
      executablePath: tools.paths.chromium ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-webgl',
        '--disable-background-networking',
        '--no-first-run',
      ],
      timeout: 20_000,
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await sshd?.stop();
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

  /** The visible terminal's lines as the DOM renderer draws them. */
  const terminalLines = async (page: Page): Promise<string[]> =>
    (await page.locator('.panel:not([hidden]) .xterm-rows > div').allTextContents()).map((l) =>
      l.replace(/\u00a0/g, ' ').trimEnd(),
    );

  async function waitForLine(page: Page, match: (line: string) => boolean): Promise<string> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const line = (await terminalLines(page)).find(match);
      if (line !== undefined) return line;
      await page.waitForTimeout(100);
    }
    throw new Error(`No such line in the terminal:\n${(await terminalLines(page)).join('\n')}`);
  }

  async function sttySize(page: Page, marker: string): Promise<{ rows: number; cols: number }> {
    // The marker keeps an earlier answer from matching.
    await page.keyboard.type(`echo ${marker} $(stty size)\n`);
    const line = await waitForLine(page, (l) => new RegExp(`^${marker} \\d+ \\d+$`).test(l));
    const [, rows, cols] = line.split(' ').map(Number) as [number, number, number];
    return { rows, cols };
  }

  it(
    'opens a host, asks about its key, runs a command and follows a resize',
    async () => {
      const { page, context, errors } = await openPage('light');
      await page.getByRole('tab', { name: /Hosts/ }).waitFor();
      await page.locator('tr[data-host-row]', { hasText: 'box' }).first().dblclick();

      const dialog = page.getByRole('dialog', { name: /Unknown host key for 127\.0\.0\.1/ });
      await dialog.waitFor();
      expect(await dialog.getByTestId('hostkey-fingerprint').textContent()).toMatch(
        /^SHA256:[A-Za-z0-9+/]{43}$/,
      );
      await dialog.getByText('ssh-ed25519').waitFor();
      await page.screenshot({ path: path.join(shotsDir, 'terminal-hostkey-light.png') });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(shotsDir, 'terminal-hostkey-dark.png') });
      await page.emulateMedia({ colorScheme: 'light' });
      await dialog.getByRole('button', { name: 'Trust and remember' }).click();
      await dialog.waitFor({ state: 'detached' });

      const tab = page.getByRole('tab', { name: /root@box/ });
      await tab.waitFor();
      await page
        .locator('[data-testid="terminal-tab-state"][data-state="connected"]')
        .waitFor({ timeout: 20_000 });
      expect(await page.locator('.terminal-view').getAttribute('data-renderer')).toBe('dom');

      await page.locator('.panel:not([hidden]) .xterm').click();
      await page.keyboard.type('echo hello\n');
      await waitForLine(page, (l) => l === 'hello');
      const before = await sttySize(page, 'size1');
      expect(before.cols).toBeGreaterThan(60);
      expect(before.rows).toBeGreaterThan(15);
      await page.screenshot({ path: path.join(shotsDir, 'terminal-light.png') });

      await page.setViewportSize({ width: 900, height: 560 });
      // The fit is debounced; the new size reaches the remote pty right after.
      await page.waitForTimeout(400);
      const after = await sttySize(page, 'size2');
      expect(after.cols).toBeLessThan(before.cols);
      expect(after.rows).toBeLessThan(before.rows);

      await page.emulateMedia({ colorScheme: 'dark' });
      await page.waitForTimeout(200);
      await page.screenshot({ path: path.join(shotsDir, 'terminal-dark.png') });

      // The search bar (Ctrl+Shift+F) finds text in the scrollback.
      await page.locator('.panel:not([hidden]) .xterm').click();
      await page.keyboard.press('Control+Shift+F');
      const find = page.getByRole('textbox', { name: 'Find in terminal' });
      await find.fill('hello');
      await page.getByText(/^\d+ of \d+$/).waitFor();
      await page.screenshot({ path: path.join(shotsDir, 'terminal-search-dark.png') });
      await find.press('Escape');
      await find.waitFor({ state: 'detached' });

      // Another tab hides the terminal (it stays alive); the host is listed as recent.
      await page.getByRole('tab', { name: /Hosts/ }).click();
      await page.locator('.terminal-view').waitFor({ state: 'hidden' });
      await page.getByRole('heading', { name: 'Recent' }).waitFor();
      await tab.click();
      await page.locator('.terminal-view').waitFor({ state: 'visible' });

      // The shell's exit ends the session; the overlay offers a reconnect.
      await page.keyboard.type('exit 3\n');
      await page.getByText('Session ended (exit 3)').waitFor();
      await page.locator('[data-testid="terminal-tab-state"][data-state="closed"]').waitFor();
      await page.screenshot({ path: path.join(shotsDir, 'terminal-ended-dark.png') });
      await page.getByRole('button', { name: 'Reconnect' }).click();
      await page
        .locator('[data-testid="terminal-tab-state"][data-state="connected"]')
        .waitFor({ timeout: 20_000 });

      // Closing the tab closes the session in the core.
      await tab.click();
      await page.keyboard.press('Delete');
      await tab.waitFor({ state: 'detached' });
      await expect
        .poll(async () => {
          const list = (await dispatch('terminal.list', {})) as {
            terminals: { state: string }[];
          };
          return list.terminals.filter((t) => t.state !== 'closed').length;
        })
        .toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    },
    TEST_MS,
  );

  it(
    "adds, edits and removes a host, showing the core's field errors",
    async () => {
      const { page, context, errors } = await openPage('light');
      await page.getByRole('button', { name: 'Add host' }).click();
      const editor = page.getByRole('dialog', { name: 'Add a host' });
      await editor.getByLabel('Name', { exact: true }).fill('node 1');
      await editor.getByLabel('Host name').fill('node1.example.org');
      await editor.getByLabel(/^Port/).fill('70000');
      await editor.getByRole('button', { name: 'Add host' }).click();
      await editor.getByText('Must be a whole number between 1 and 65535.').waitFor();
      await editor.getByLabel(/^Port/).fill('');
      await editor.getByRole('button', { name: 'Add host' }).click();
      // The core's message for the name, under the field.
      await editor.getByText(/May contain only letters, digits/).waitFor();
      expect(await editor.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe(
        'true',
      );
      await page.screenshot({ path: path.join(shotsDir, 'host-editor-light.png') });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(shotsDir, 'host-editor-dark.png') });
      await page.emulateMedia({ colorScheme: 'light' });

      await editor.getByLabel('Name', { exact: true }).fill('node1');
      await editor.getByRole('radio', { name: /Direct/ }).check();
      await editor.getByRole('button', { name: 'Add host' }).click();
      await editor.waitFor({ state: 'detached' });
      const row = page.locator('tr[data-host-row]', { hasText: 'node1' });
      await row.waitFor();

      await row.hover();
      await row.getByRole('button', { name: 'Edit node1' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit node1' });
      await edit.getByLabel('Name', { exact: true }).fill('node2');
      await edit.getByRole('button', { name: 'Save' }).click();
      await edit.waitFor({ state: 'detached' });
      const renamed = page.locator('tr[data-host-row]', { hasText: 'node2' });
      await renamed.waitFor();

      await renamed.hover();
      await renamed.getByRole('button', { name: 'Remove node2' }).click();
      await page.getByRole('dialog', { name: 'Remove node2?' }).waitFor();
      await page.getByRole('button', { name: 'Remove host' }).click();
      await renamed.waitFor({ state: 'detached' });
      expect(errors).toEqual([]);
      await context.close();
    },
    TEST_MS,
  );
});
