/**
 * Tunnels in the real renderer (Debian's Chromium, browser-mode host) with a real tunnel: sign in
 * through the Teleport emulator (the `BROWSER` stand-in does the IdP step), create a SOCKS
 * profile in the editor (the core's field errors, the network-bind confirmation), start it, fetch
 * from a loopback HTTP server with `curl --socks5-hostname` through it, see the counters move,
 * stop it and remove it. The via host is a real OpenSSH sshd whose host certificate comes from the
 * emulator's host CA; it is also the proxy's SSH address, so the route is jump → via.
 * Screenshots go to test-results/e2e/.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startSshd, type SshdServer } from '../support/sshd';
import { requireTools } from '../support/tools';
import { startApp, type AppUnderTest } from './support/app';
import { CHROMIUM } from './support/browser';
import { shootLightAndDark } from './support/screenshots';
import { startTeleportSite, type TeleportSite } from './support/teleportSite';
import { browserStandIn } from './support/webHost';

const tools = requireTools([CHROMIUM, 'sshd', 'ssh-keygen', 'openssl', 'curl']);
const run = promisify(execFile);
const BODY = 'x'.repeat(200 * 1024);
const NAME = 'Test SOCKS';

describe.skipIf(tools.skip)(`tunnels in Chromium${tools.marker}`, () => {
  let app: AppUnderTest | undefined;
  let teleport: TeleportSite | undefined;
  let sshd: SshdServer | undefined;
  let web: http.Server | undefined;
  let webPort = 0;

  beforeAll(async () => {
    app = await startApp({
      name: 'tunnels',
      chromium: tools.paths.chromium,
      env: { BROWSER: browserStandIn },
    });

    web = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(BODY);
    });
    await new Promise<void>((resolve) => web!.listen(0, '127.0.0.1', resolve));
    webPort = (web.address() as net.AddressInfo).port;

    teleport = await startTeleportSite({ logins: ['root'] });
    const emulator = teleport.proxy;
    sshd = await startSshd({
      trustedUserCaKeys: [emulator.userCaPublicKey],
      authorizedKeysFile: 'none',
      signHostKey: (key, principals) => emulator.signHostKey(key, principals),
    });
    // Learnt at sign-in: the proxy's SSH address is this sshd, the jump of every route.
    emulator.setSshPublicAddr(`127.0.0.1:${String(sshd.port)}`);

    await app.dispatch('sites.addTeleport', { address: teleport.address, name: 'emu' });
    await app.dispatch('signin.start', { site: 'emu' });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await sshd?.stop();
    await teleport?.close();
    await new Promise((resolve) => (web ? web.close(resolve) : resolve(undefined)));
  }, 30_000);

  /** Light and dark, each after 200 ms for the page to settle. */
  async function shoot(page: Page, name: string): Promise<void> {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForTimeout(200);
    await shootLightAndDark(page, name, 200);
  }

  const curl = (port: number) =>
    run('curl', [
      '--silent',
      '--show-error',
      '--max-time',
      '15',
      '--socks5-hostname',
      `127.0.0.1:${String(port)}`,
      `http://localhost:${String(webPort)}/`,
    ]);

  it('creates a SOCKS tunnel in the editor, fetches through it and sees the counters move', async () => {
    const socksPort = await freePort();
    const { page, context, errors } = await app!.openPage({
      viewport: { width: 1280, height: 860 },
    });

    await page.locator('.nav-item', { hasText: 'Tunnels' }).click();
    await page.getByRole('button', { name: 'Add a tunnel…' }).click();
    const editor = page.getByRole('dialog', { name: 'Add a tunnel' });
    await editor.getByLabel('Name', { exact: true }).fill(NAME);
    await editor.getByLabel('Via', { exact: true }).fill(`root@127.0.0.1:${String(sshd!.port)}`);
    const port = editor.getByLabel('Local port of forward 1');
    await port.fill('80');
    await editor.getByLabel('Start a program through this tunnel').check();
    await editor.getByLabel('Command').fill('ecflow_ui');
    await editor.getByLabel(/^Arguments/).fill('-cmd proxychains4');

    // The core's message for a privileged port, under the forward.
    await editor.getByRole('button', { name: 'Add tunnel' }).click();
    await editor.getByText(/Port 80 is a privileged port/).waitFor();
    expect(await port.getAttribute('aria-invalid')).toBe('true');
    await shoot(page, 'tunnel-editor');

    // A bind address reachable from the network needs a confirmation.
    await port.fill(String(socksPort));
    await editor.getByLabel('Bind address of forward 1').fill('0.0.0.0');
    await editor.getByRole('button', { name: 'Add tunnel' }).click();
    await editor.getByText('This tunnel would be reachable from the network').waitFor();
    await editor.getByText(/makes this tunnel reachable from the network/).waitFor();
    await shoot(page, 'tunnel-editor-network');
    await editor.getByRole('button', { name: 'Use 127.0.0.1 instead' }).click();
    expect(await editor.getByLabel('Bind address of forward 1').inputValue()).toBe('127.0.0.1');
    await editor.getByRole('button', { name: 'Add tunnel' }).click();
    await editor.waitFor({ state: 'detached' });

    const card = page.locator(`[data-tunnel="${NAME}"]`);
    await card.waitFor();
    await card.getByText(`-D 127.0.0.1:${String(socksPort)}`).waitFor();
    // The launcher stays off until the user confirms the program is installed.
    await card.getByText(/Off until you confirm that ecflow_ui is installed/).waitFor();

    await card.getByRole('button', { name: `Start ${NAME}` }).click();
    await page
      .locator(`[data-tunnel="${NAME}"][data-state="listening"]`)
      .waitFor({ timeout: 20_000 });

    for (let i = 0; i < 3; i++) {
      const { stdout } = await curl(socksPort);
      expect(stdout.length).toBe(BODY.length);
    }
    // Counters arrive at most once a second.
    await expect
      .poll(async () => Number(await card.getByTestId('forward-total').textContent()), {
        timeout: 10_000,
      })
      .toBeGreaterThanOrEqual(3);
    await expect
      .poll(async () => card.getByTestId('forward-in').textContent(), { timeout: 10_000 })
      .toMatch(/^\d+(\.\d)? KB$/);
    expect(await card.getByTestId('forward-out').textContent()).toMatch(/^\d+(\.\d)? (B|KB)$/);
    await card.getByText('Recent events').click();
    await card.getByText(`Listening on -D 127.0.0.1:${String(socksPort)}.`).waitFor();

    // A port already taken: the profile fails with the address and port in its reason.
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const takenPort = (taken.address() as net.AddressInfo).port;
    try {
      await app!.dispatch('tunnels.save', {
        profile: {
          name: 'ecFlow local',
          site: 'emu',
          via: `root@127.0.0.1:${String(sshd!.port)}`,
          forwards: [
            { kind: 'local', bindPort: takenPort, targetHost: 'machine1', targetPort: 4141 },
          ],
        },
      });
      const busy = page.locator('[data-tunnel="ecFlow local"]');
      await busy.getByRole('button', { name: 'Start ecFlow local' }).click();
      await page.locator('[data-tunnel="ecFlow local"][data-state="failed"]').waitFor();
      expect(await busy.getByTestId('tunnel-reason').textContent()).toBe(
        `Port ${String(takenPort)} on 127.0.0.1 is already in use (by another program); choose another port or stop that program.`,
      );
      await shoot(page, 'tunnels-view');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    await app!.dispatch('tunnels.remove', { name: 'ecFlow local' });

    await card.getByRole('button', { name: `Stop ${NAME}` }).click();
    await page.locator(`[data-tunnel="${NAME}"][data-state="stopped"]`).waitFor();
    await expect(curl(socksPort)).rejects.toThrow();

    // Signed out: the tunnel listens but waits; "Sign in" on the card resumes it.
    await app!.dispatch('signin.signOut', { site: 'emu' });
    await card.getByRole('button', { name: `Start ${NAME}` }).click();
    await page
      .locator(`[data-tunnel="${NAME}"][data-state="waiting-for-sign-in"]`)
      .waitFor({ timeout: 20_000 });
    await shoot(page, 'tunnels-sign-in');
    await card.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page
      .locator(`[data-tunnel="${NAME}"][data-state="listening"]`)
      .waitFor({ timeout: 30_000 });
    expect((await curl(socksPort)).stdout.length).toBe(BODY.length);
    await card.getByRole('button', { name: `Stop ${NAME}` }).click();
    await page.locator(`[data-tunnel="${NAME}"][data-state="stopped"]`).waitFor();

    // Remove, through the editor, with a confirmation.
    await card.getByRole('button', { name: `Edit ${NAME}` }).click();
    await page.getByRole('dialog', { name: `Edit ${NAME}` }).waitFor();
    await page.getByRole('button', { name: 'Remove tunnel…' }).click();
    await page.getByRole('dialog', { name: `Remove ${NAME}?` }).waitFor();
    await page.getByRole('button', { name: 'Remove tunnel', exact: true }).click();
    await card.waitFor({ state: 'detached' });
    expect(((await app!.dispatch('tunnels.status', {})) as { tunnels: unknown[] }).tunnels).toEqual(
      [],
    );
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
