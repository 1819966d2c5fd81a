/**
 * The OpenSSH hand-off in the real renderer (Debian's Chromium, browser-mode host):
 *  - "Import from ~/.ssh/config" reads a fixture with an Include, a wildcard, a Match block and
 *    forwards (one on a network address), shows the preview with sources and notices, imports,
 *    and a second import shows everything as already present;
 *  - the site view's "Use with ssh, scp and rsync" panel after a sign-in through the Teleport
 *    emulator: the one-time question, key-file mode (the tests run without an ssh-agent), the
 *    generated configuration, and the Include added to and removed from ~/.ssh/config with the
 *    rest of the file byte-identical.
 *
 * The web host runs in this process, so the core's home is this process's HOME: it is pointed at
 * a fresh folder before the host starts (the file's own, not the run-wide test HOME).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../../src/shared/model/settings';
import { requireTools } from '../support/tools';
import { startApp, type AppUnderTest } from './support/app';
import { CHROMIUM } from './support/browser';
import { shootLightAndDark } from './support/screenshots';
import { startTeleportSite, type TeleportSite } from './support/teleportSite';
import { browserStandIn } from './support/webHost';

const tools = requireTools([CHROMIUM, 'openssl']);
const TEST_MS = 90_000;

// Line numbers matter: the preview names them.
const userConfig = [
  '# my own settings', // 1
  'Include conf.d/*.conf', // 2
  '', // 3
  'Host gw', // 4
  '  HostName gw.example.org', // 5
  '  Port 2222', // 6
  '  User alice', // 7
  '  LocalForward 4141 localhost:4141', // 8
  '  DynamicForward 9050', // 9
  '', // 10
  'Match host *.lab exec "true"', // 11
  '  User bob', // 12
  '', // 13
  'Host *.example.org', // 14
  '  ServerAliveInterval 30', // 15
  '', // 16
  'Host open-fwd', // 17
  '  HostName open.example.org', // 18
  '  LocalForward 0.0.0.0:8080 web:80', // 19
  '',
].join('\n');
const workConfig = 'Host work-box\n  HostName work.example.org\n  User carol\n';

describe.skipIf(tools.skip)(`OpenSSH hand-off in Chromium${tools.marker}`, () => {
  let home = '';
  let app: AppUnderTest | undefined;
  let teleport: TeleportSite | undefined;

  const sshConfigPath = () => path.join(home, '.ssh', 'config');

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-e2e-handoff-home-'));
    fs.mkdirSync(path.join(home, '.ssh', 'conf.d'), { recursive: true, mode: 0o700 });
    fs.writeFileSync(sshConfigPath(), userConfig, { mode: 0o600 });
    fs.writeFileSync(path.join(home, '.ssh', 'conf.d', 'work.conf'), workConfig, { mode: 0o600 });

    app = await startApp({
      name: 'handoff',
      chromium: tools.paths.chromium,
      // No agent: the hand-off falls back to key files, which this test checks.
      env: { BROWSER: browserStandIn, HOME: home, SSH_AUTH_SOCK: '' },
    });
    expect(os.homedir()).toBe(home);
    teleport = await startTeleportSite({ logins: ['root'] });
    await app.dispatch('sites.addTeleport', { address: teleport.address, name: 'emu' });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await teleport?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  }, 30_000);

  /** A page allowed to use the clipboard, so the test can read back what "Copy" put there. */
  const openHandoffPage = () =>
    app!.openPage({
      viewport: { width: 1280, height: 860 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });

  it(
    'imports hosts and tunnel profiles from ~/.ssh/config, once',
    async () => {
      const { page, context, errors } = await openHandoffPage();
      await page.getByRole('tab', { name: /Hosts/ }).waitFor();
      await page.getByRole('button', { name: /^Import from ~\/\.ssh\/config/ }).click();
      const dialog = page.getByRole('dialog', { name: 'Import from ~/.ssh/config' });
      const row = (name: string) => dialog.locator(`tr[data-import-row="${name}"]`);
      await row('gw').waitFor();

      expect(await row('gw').getAttribute('data-status')).toBe('new');
      expect(await row('gw').textContent()).toContain('alice@gw.example.org:2222');
      expect(await row('gw').locator('.import-source').textContent()).toBe('config:4');
      expect(await row('work-box').locator('.import-source').textContent()).toBe(
        'conf.d/work.conf:1',
      );
      expect(await row('gw forwards').textContent()).toContain('-L 4141:localhost:4141 -D 9050');
      // The parser's notice about the Match block, with its line.
      await dialog.getByText(/^config:11: .*Match host \*\.lab.*skipped/).waitFor();
      // Wildcard sections are not hosts.
      expect(await dialog.getByText('*.example.org').count()).toBe(0);

      // A forward on a network address is not ticked, and needs an explicit yes.
      const openBox = dialog.getByRole('checkbox', {
        name: 'Import tunnel profile open-fwd forwards',
      });
      expect(await openBox.isChecked()).toBe(false);
      await openBox.check();
      const importButton = dialog.getByRole('button', { name: /^Import \d+$/ });
      await dialog
        .getByRole('alert')
        .getByText(/listen on a network address/)
        .waitFor();
      expect(await importButton.isDisabled()).toBe(true);
      await dialog
        .getByRole('checkbox', { name: 'Import these forwards with their network addresses' })
        .check();
      expect(await importButton.textContent()).toBe('Import 5');
      await shootLightAndDark(page, 'import-preview', 250);

      await importButton.click();
      await dialog.getByText('Imported 3 hosts and 2 tunnel profiles.').first().waitFor();
      await shootLightAndDark(page, 'import-summary', 250);
      await dialog.getByRole('button', { name: 'Done' }).click();
      await dialog.waitFor({ state: 'detached' });
      for (const name of ['gw', 'work-box', 'open-fwd']) {
        await page.locator('tr[data-host-row]', { hasText: name }).first().waitFor();
      }
      const { settings } = (await app!.dispatch('settings.get', {})) as { settings: Settings };
      expect(settings.hosts.find((h) => h.name === 'work-box')).toMatchObject({
        hostName: 'work.example.org',
        login: 'carol',
      });
      expect(settings.tunnels.find((t) => t.name === 'open-fwd forwards')?.forwards).toEqual([
        expect.objectContaining({ bindAddress: '0.0.0.0', bindPort: 8080 }),
      ]);

      // A second import finds everything already present and offers nothing.
      await page.getByRole('button', { name: 'Import from ~/.ssh/config' }).click();
      await row('gw').waitFor();
      await dialog.getByText('Everything here is already in OneHop.').waitFor();
      for (const name of ['gw', 'work-box', 'open-fwd', 'gw forwards', 'open-fwd forwards']) {
        expect(await row(name).getAttribute('data-status')).toBe('already-present');
      }
      expect(await dialog.getByText('Already present').count()).toBe(5);
      expect(await dialog.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(
        true,
      );
      await shootLightAndDark(page, 'import-again', 250);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(errors).toEqual([]);
      await context.close();
    },
    TEST_MS,
  );

  it(
    'hands the certificate to OpenSSH in file mode and adds and removes the Include',
    async () => {
      const original = fs.readFileSync(sshConfigPath());
      const { page, context, errors } = await openHandoffPage();
      await page.locator('li[data-site="emu"] .site-item-main').click();
      const panel = page.getByRole('region', { name: /Use with ssh, scp and rsync/ });
      await panel.getByText('Sign in to hand the certificate to OpenSSH.').waitFor();
      // Signed in while the window is open, so the core's hand-off notice reaches it.
      await app!.dispatch('signin.start', { site: 'emu' });
      // Without an agent the core wrote key files (and says so in a notice).
      const mode = panel.getByTestId('handoff-mode');
      await panel.locator('[data-testid="handoff-mode"][data-mode="file"]').waitFor();
      expect(await mode.textContent()).toContain(path.join(home, '.ssh', 'onehop', 'emu', 'id'));
      await page
        .getByText(/wrote the key and certificate to files in ~\/\.ssh\/onehop instead/)
        .first()
        .waitFor();
      const key = path.join(home, '.ssh', 'onehop', 'emu', 'id');
      expect(fs.statSync(key).mode & 0o777).toBe(0o600);

      // Asked once: "Yes" keeps the hand-off and offers the Include with what it changes.
      const ask = panel.getByRole('group', { name: 'Hand the certificate to OpenSSH?' });
      await ask.getByText('Let plain ssh use this certificate?').waitFor();
      await panel.scrollIntoViewIfNeeded();
      await shootLightAndDark(page, 'handoff-ask', 250);
      await ask.getByRole('button', { name: 'Yes' }).click();
      const confirm = page.getByRole('dialog', { name: 'Add the Include to ~/.ssh/config?' });
      await confirm.waitFor();
      expect(await confirm.locator('pre').textContent()).toContain(
        `Include ${path.join(home, '.ssh', 'onehop', 'config')}`,
      );
      await confirm.getByText(/backup copy/).waitFor();
      await ask.waitFor({ state: 'detached' });
      await shootLightAndDark(page, 'handoff-include-confirm', 250);
      await confirm.getByRole('button', { name: 'Add the Include' }).click();
      await confirm.waitFor({ state: 'detached' });
      await panel.getByRole('button', { name: 'Remove the Include' }).waitFor();

      const installed = fs.readFileSync(sshConfigPath(), 'utf8');
      expect(installed.startsWith('# >>> onehop >>>')).toBe(true);
      const afterBlock = installed.slice(installed.indexOf('# <<< onehop <<<\n') + 17);
      expect(Buffer.from(afterBlock).equals(original)).toBe(true);
      const backups = fs
        .readdirSync(path.join(home, '.ssh'))
        .filter((f) => f.startsWith('config.onehop-backup-'));
      expect(backups).toHaveLength(1);
      expect(fs.readFileSync(path.join(home, '.ssh', backups[0]!)).equals(original)).toBe(true);

      // The generated configuration, folded, with Copy.
      await panel.getByText('Show the generated configuration').click();
      const text = panel.locator('.handoff-config-text');
      await text.waitFor();
      expect(await text.textContent()).toContain(`CertificateFile ${key}-cert.pub`);
      await panel.getByRole('button', { name: 'Copy' }).click();
      await panel.getByRole('button', { name: 'Copied' }).waitFor();
      expect(await page.evaluate<string>('navigator.clipboard.readText()')).toContain(
        'IdentityFile',
      );
      await shootLightAndDark(page, 'handoff-panel', 250);

      await panel.getByRole('button', { name: 'Remove the Include' }).click();
      await panel.getByRole('button', { name: 'Add Include to ~/.ssh/config' }).waitFor();
      expect(fs.readFileSync(sshConfigPath()).equals(original)).toBe(true);

      // Off takes the files away; on writes them again.
      const toggle = panel.getByRole('switch', { name: 'Hand the certificate to OpenSSH' });
      await toggle.click();
      await panel.getByText(/^Off: OneHop writes no OpenSSH configuration/).waitFor();
      await expect.poll(() => fs.existsSync(key)).toBe(false);
      // The core's notice about key files no longer applies.
      await page
        .getByText(/wrote the key and certificate to files in ~\/\.ssh\/onehop instead/)
        .first()
        .waitFor({ state: 'detached' });
      await shootLightAndDark(page, 'handoff-off', 250);
      await toggle.click();
      await panel.locator('[data-testid="handoff-mode"][data-mode="file"]').waitFor();
      expect(fs.existsSync(key)).toBe(true);
      expect(errors).toEqual([]);
      await context.close();
    },
    TEST_MS,
  );
});
