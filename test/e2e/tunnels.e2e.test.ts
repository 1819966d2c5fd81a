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
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
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
  'curl',
]);
const rendererDir = path.resolve('out/renderer');
const shotsDir = path.resolve('test-results/e2e');
const standIn = `node ${path.resolve('test/support/browser-stand-in.mjs')}`;
const run = promisify(execFile);
const BODY = 'x'.repeat(200 * 1024);
const NAME = 'Test SOCKS';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(tools.skip)(`tunnels in Chromium${tools.marker}`, () => {
  let dataDir = '';
  let previousHome: string | undefined;
  let previousBrowser: string | undefined;
  let host: WebHost | undefined;
  let browser: Browser | undefined;
  let idp: Idp | undefined;
  let proxy: TeleportEmulator | undefined;
  let sshd: SshdServer | undefined;
  let web: http.Server | undefined;
  let webPort = 0;

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
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-e2e-tunnels-'));
    previousHome = process.env.ONEHOP_HOME;
    previousBrowser = process.env.BROWSER;
    process.env.ONEHOP_HOME = dataDir;
    process.env.BROWSER = standIn;

    web = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(BODY);
    });
    await new Promise<void>((resolve) => web!.listen(0, '127.0.0.1', resolve));
    webPort = (web.address() as net.AddressInfo).port;

    idp = await startIdp({ clients: [] });
    const clientId = 'teleport-e2e-tunnels';
    const clientSecret = 'secret-e2e-tunnels-0123456789';
    proxy = await startTeleportEmulator({
      version: '17.2.0',
      suite: 'balanced-v1',
      logins: ['root'],
      idp: { issuer: idp.issuer, clientId, clientSecret },
    });
    await idp.registerClient(webClient(clientId, clientSecret, [proxy.oidcRedirectUri]));
    const emulator = proxy;
    sshd = await startSshd({
      trustedUserCaKeys: [emulator.userCaPublicKey],
      authorizedKeysFile: 'none',
      signHostKey: (key, principals) => emulator.signHostKey(key, principals),
    });
    // Learnt at sign-in: the proxy's SSH address is this sshd, the jump of every route.
    emulator.setSshPublicAddr(`127.0.0.1:${String(sshd.port)}`);

    host = await startWebHost({ dataDir, rendererDir, version: '0.0.0-e2e', log: () => {} });
    await dispatch('sites.addTeleport', { address: `127.0.0.1:${proxy.port}`, name: 'emu' });
    await dispatch('signin.start', { site: 'emu' });

    browser = await chromium.launch({
      executablePath: tools.paths.chromium ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
      timeout: 20_000,
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await sshd?.stop();
    await proxy?.close();
    await idp?.close();
    await new Promise((resolve) => (web ? web.close(resolve) : resolve(undefined)));
    if (previousHome === undefined) delete process.env.ONEHOP_HOME;
    else process.env.ONEHOP_HOME = previousHome;
    if (previousBrowser === undefined) delete process.env.BROWSER;
    else process.env.BROWSER = previousBrowser;
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  async function shoot(page: Page, name: string): Promise<void> {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(shotsDir, `${name}-light.png`) });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(shotsDir, `${name}-dark.png`) });
    await page.emulateMedia({ colorScheme: 'light' });
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
    const context = await browser!.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    await page.goto(host!.url);

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
      await dispatch('tunnels.save', {
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
    await dispatch('tunnels.remove', { name: 'ecFlow local' });

    await card.getByRole('button', { name: `Stop ${NAME}` }).click();
    await page.locator(`[data-tunnel="${NAME}"][data-state="stopped"]`).waitFor();
    await expect(curl(socksPort)).rejects.toThrow();

    // Signed out: the tunnel listens but waits; "Sign in" on the card resumes it.
    await dispatch('signin.signOut', { site: 'emu' });
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
    expect(((await dispatch('tunnels.status', {})) as { tunnels: unknown[] }).tunnels).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
