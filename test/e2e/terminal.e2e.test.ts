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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type SshdServer } from '../support/sshd';
import { requireTools } from '../support/tools';
import { startApp, type AppUnderTest } from './support/app';
import { CHROMIUM } from './support/browser';
import { shootLightAndDark, shotPath } from './support/screenshots';
import { startTeleportSite, type TeleportSite } from './support/teleportSite';
import { sttySize, waitForLine } from './support/terminal';
import { browserStandIn } from './support/webHost';

const tools = requireTools([CHROMIUM, 'sshd', 'ssh-keygen', 'openssl']);
const TEST_MS = 90_000;

describe.skipIf(tools.skip)(`terminal tabs in Chromium${tools.marker}`, () => {
  let app: AppUnderTest | undefined;
  let teleport: TeleportSite | undefined;
  let sshd: SshdServer | undefined;

  beforeAll(async () => {
    app = await startApp({
      name: 'terminal',
      chromium: tools.paths.chromium,
      webgl: false,
      env: { BROWSER: browserStandIn },
    });
    teleport = await startTeleportSite({ logins: ['root'] });
    // A plain host key nobody vouches for: opening the host must ask.
    sshd = await startSshd({
      trustedUserCaKeys: [teleport.proxy.userCaPublicKey],
      authorizedKeysFile: 'none',
    });

    await app.dispatch('sites.addTeleport', { address: teleport.address, name: 'emu' });
    await app.dispatch('signin.start', { site: 'emu' });
    await app.dispatch('hosts.add', {
      name: 'box',
      hostName: '127.0.0.1',
      port: sshd.port,
      login: 'root',
      site: 'emu',
      route: 'direct',
    });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await sshd?.stop();
    await teleport?.close();
  }, 30_000);

  it(
    'opens a host, asks about its key, runs a command and follows a resize',
    async () => {
      const { page, context, errors } = await app!.openPage();
      await page.getByRole('tab', { name: /Hosts/ }).waitFor();
      await page.locator('tr[data-host-row]', { hasText: 'box' }).first().dblclick();

      const dialog = page.getByRole('dialog', { name: /Unknown host key for 127\.0\.0\.1/ });
      await dialog.waitFor();
      expect(await dialog.getByTestId('hostkey-fingerprint').textContent()).toMatch(
        /^SHA256:[A-Za-z0-9+/]{43}$/,
      );
      await dialog.getByText('ssh-ed25519').waitFor();
      await shootLightAndDark(page, 'terminal-hostkey', 300);
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
      await page.screenshot({ path: shotPath('terminal-light.png') });

      await page.setViewportSize({ width: 900, height: 560 });
      // The fit is debounced; the new size reaches the remote pty right after.
      await page.waitForTimeout(400);
      const after = await sttySize(page, 'size2');
      expect(after.cols).toBeLessThan(before.cols);
      expect(after.rows).toBeLessThan(before.rows);

      await page.emulateMedia({ colorScheme: 'dark' });
      await page.waitForTimeout(200);
      await page.screenshot({ path: shotPath('terminal-dark.png') });

      // The search bar (Ctrl+Shift+F) finds text in the scrollback.
      await page.locator('.panel:not([hidden]) .xterm').click();
      await page.keyboard.press('Control+Shift+F');
      const find = page.getByRole('textbox', { name: 'Find in terminal' });
      await find.fill('hello');
      await page.getByText(/^\d+ of \d+$/).waitFor();
      await page.screenshot({ path: shotPath('terminal-search-dark.png') });
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
      await page.screenshot({ path: shotPath('terminal-ended-dark.png') });
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
          const list = (await app!.dispatch('terminal.list', {})) as {
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
      const { page, context, errors } = await app!.openPage();
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
      await shootLightAndDark(page, 'host-editor', 300);

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
