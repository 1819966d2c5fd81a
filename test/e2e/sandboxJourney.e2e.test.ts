/**
 * A new user's journey on the sandbox, all from the UI (Debian's Chromium, browser-mode host):
 * `scripts/sandbox.ts` runs as its own process (free ports, the host's data directory), first run
 * → "Try the sandbox" → add → sign in from the site view (the `BROWSER` stand-in follows the
 * sandbox IdP's form-less login) → open hpc-login, `echo hello`, resize and see `stty size` follow
 * → open ecs-login in a second tab over the same jump connection → start "Sandbox SOCKS", fetch the
 * log server through it with curl, see the counters move, stop it. Screenshots go to
 * test-results/e2e/sandbox-journey-*.png.
 *
 * Chromium runs with WebGL disabled so the DOM renderer holds the terminal text the test reads.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { promisify } from 'node:util';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxDescriptor } from '../../src/shared/contract/sandbox';
import { requireTools } from '../support/tools';
import { startApp, type AppUnderTest } from './support/app';
import { CHROMIUM } from './support/browser';
import { startSandbox, type SandboxProcess } from './support/sandbox';
import { shotPath } from './support/screenshots';
import { sttySize, waitForLine } from './support/terminal';
import { browserStandIn } from './support/webHost';

const tools = requireTools([CHROMIUM, 'sshd', 'ssh-keygen', 'openssl', 'curl']);
const run = promisify(execFile);
const SOCKS = 'Sandbox SOCKS';

/**
 * Established TCP connections from this machine to 127.0.0.1:port (the web host runs in this
 * process, so these are its connections to the sandbox's proxy sshd).
 */
function connectionsTo(port: number): number {
  const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return fs
    .readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[2] === hex && f[3] === '01').length;
}

/** A SOCKS5 CONNECT through the tunnel that stays open until closed: an "active" connection. */
async function holdSocks(socksPort: number, targetPort: number): Promise<net.Socket> {
  const socket = net.connect({ host: '127.0.0.1', port: socksPort });
  const replies: Buffer[] = [];
  let waiting: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    replies.push(chunk);
    waiting?.();
  });
  const read = async (bytes: number): Promise<Buffer> => {
    const deadline = Date.now() + 10_000;
    while (Buffer.concat(replies).length < bytes) {
      if (Date.now() > deadline) throw new Error('The SOCKS server did not answer in 10 s.');
      await new Promise<void>((resolve) => {
        waiting = resolve;
        setTimeout(resolve, 200);
      });
    }
    const all = Buffer.concat(replies);
    replies.length = 0;
    if (all.length > bytes) replies.push(all.subarray(bytes));
    return all.subarray(0, bytes);
  };
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(Buffer.from([5, 1, 0]));
  expect([...(await read(2))]).toEqual([5, 0]);
  const port = Buffer.alloc(2);
  port.writeUInt16BE(targetPort);
  socket.write(Buffer.concat([Buffer.from([5, 1, 0, 1, 127, 0, 0, 1]), port]));
  // VER REP RSV ATYP(1) ADDR(4) PORT(2)
  const reply = await read(10);
  expect(reply[1]).toBe(0);
  return socket;
}

describe.skipIf(tools.skip)(`the sandbox journey in Chromium${tools.marker}`, () => {
  let app: AppUnderTest | undefined;
  let sandbox: SandboxProcess | undefined;
  let descriptor: SandboxDescriptor;

  beforeAll(async () => {
    app = await startApp({
      name: 'journey',
      chromium: tools.paths.chromium,
      webgl: false,
      env: { BROWSER: browserStandIn },
    });
    sandbox = await startSandbox(app.dataDir, 60_000);
    descriptor = sandbox.descriptor();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await sandbox?.stop();
  }, 30_000);

  const shoot = (page: Page, name: string) =>
    page.screenshot({ path: shotPath(`sandbox-journey-${name}.png`) });

  /** Opens a saved host from the Hosts tab and waits for its terminal to connect. */
  async function openHost(page: Page, name: string): Promise<Locator> {
    await page.getByRole('tab', { name: /Hosts/ }).click();
    await page.locator('tr[data-host-row]', { hasText: name }).first().dblclick();
    // The tab is titled login@<saved host name>.
    const tab = page.getByRole('tab', { name: new RegExp(`@${name}\\b`) });
    await tab.waitFor();
    await tab
      .locator('[data-testid="terminal-tab-state"][data-state="connected"]')
      .waitFor({ timeout: 30_000 });
    await page.locator('.panel:not([hidden]) .xterm').click();
    // The shell's prompt (the sandbox hosts run bash), so nothing is typed ahead of it.
    await waitForLine(page, (l) => /[#$]$/.test(l));
    return tab;
  }

  const counter = async (row: Locator, id: string): Promise<string> =>
    ((await row.getByTestId(id).textContent()) ?? '').trim();

  it('adds the sandbox, signs in, opens terminals and runs its SOCKS tunnel', async () => {
    const { page, context, errors } = await app!.openPage({ timeout: 20_000 });
    try {
      await journey(page);
    } catch (error) {
      // What the page showed when a step failed, beside the step screenshots.
      await shoot(page, 'failed').catch(() => undefined);
      throw new Error(`${String(error)}\nSandbox output:\n${sandbox!.output()}`, { cause: error });
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  async function journey(page: Page): Promise<void> {
    // First run: the sandbox is already running, so the card offers to add it.
    await page.getByRole('heading', { name: 'Welcome to OneHop' }).waitFor();
    const card = page.getByRole('region', { name: 'Try the sandbox' });
    const add = card.getByRole('button', { name: 'Add the sandbox' });
    await add.waitFor();
    await shoot(page, '1-first-run');
    await add.click();
    await page.locator('tr[data-host-row]', { hasText: 'hpc-login' }).waitFor();
    await page.locator('tr[data-host-row]', { hasText: 'ecs-login' }).waitFor();
    await page.getByText(/Added the sandbox: hpc-login, ecs-login\./).waitFor();
    await shoot(page, '2-added');

    // Sign in from the site view.
    const item = page.locator('li[data-site="sandbox"]');
    await item.locator('.site-item-main').click();
    const siteView = page.getByRole('tabpanel', { name: /Sandbox|sandbox/ });
    await siteView.getByRole('heading', { name: /Sandbox|sandbox/ }).waitFor();
    await siteView.getByRole('button', { name: 'Sign in to sandbox' }).click();
    await siteView
      .getByRole('button', { name: 'Sign out of sandbox' })
      .waitFor({ timeout: 30_000 });
    await siteView.getByText(descriptor.logins[0]!, { exact: true }).first().waitFor();
    await shoot(page, '3-signed-in');

    // hpc-login: a command, then a resize the remote pty follows.
    const hpcTab = await openHost(page, 'hpc-login');
    await page.keyboard.type('echo hello\n');
    await waitForLine(page, (l) => l === 'hello');
    const before = await sttySize(page, 'size1');
    expect(before.cols).toBeGreaterThan(60);
    expect(before.rows).toBeGreaterThan(15);
    await shoot(page, '4-hpc-login');
    await page.setViewportSize({ width: 900, height: 560 });
    // The fit is debounced; poll until the remote pty has the new size.
    let after = before;
    for (let i = 0; i < 20 && after.cols >= before.cols; i++) {
      after = await sttySize(page, `size${String(i + 2)}`);
    }
    expect(after.cols).toBeLessThan(before.cols);
    expect(after.rows).toBeLessThan(before.rows);
    await shoot(page, '5-resized');

    // ecs-login in a second tab: the jump connection of the first tab is reused, so no new TCP
    // connection reaches the proxy's sshd. (The UI does not show connections; /proc does.)
    const jumps = connectionsTo(descriptor.proxy.sshPort);
    expect(jumps).toBe(1);
    const ecsTab = await openHost(page, 'ecs-login');
    await page.keyboard.type('echo ecs-$((6*7))\n');
    await waitForLine(page, (l) => l === 'ecs-42');
    expect(connectionsTo(descriptor.proxy.sshPort)).toBe(jumps);
    expect(await hpcTab.count()).toBe(1);
    expect(await ecsTab.count()).toBe(1);
    await shoot(page, '6-ecs-login');

    // Tunnels: start the sandbox's SOCKS profile and fetch the log server through it.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('.nav-item', { hasText: 'Tunnels' }).click();
    const tunnel = page.locator(`[data-tunnel="${SOCKS}"]`);
    await tunnel.waitFor();
    const profile = descriptor.preset.tunnels.find((t) => t.name === SOCKS)!;
    const socksPort = profile.forwards[0]!.bindPort;
    await tunnel.getByText(`-D 127.0.0.1:${String(socksPort)}`).waitFor();
    await tunnel.getByRole('button', { name: `Start ${SOCKS}` }).click();
    await page.locator(`[data-tunnel="${SOCKS}"][data-state="listening"]`).waitFor();
    const row = tunnel.locator('tr[data-forward]').first();
    expect(await counter(row, 'forward-total')).toBe('0');

    const { stdout } = await run(
      'curl',
      [
        '--silent',
        '--show-error',
        '--fail',
        '--max-time',
        '15',
        '--socks5-hostname',
        `127.0.0.1:${String(socksPort)}`,
        `http://127.0.0.1:${String(descriptor.logserver.port)}/`,
      ],
      { timeout: 20_000 },
    );
    expect(stdout).toContain('Sandbox log server');
    // Counters arrive at most once a second, possibly while the fetch is still closing.
    const counters = async () => ({
      active: await counter(row, 'forward-active'),
      total: await counter(row, 'forward-total'),
      in: /^[1-9][\d.]* (B|KB)$/.test(await counter(row, 'forward-in')),
      out: /^[1-9][\d.]* (B|KB)$/.test(await counter(row, 'forward-out')),
    });
    await expect
      .poll(counters, { timeout: 10_000 })
      .toEqual({ active: '0', total: '1', in: true, out: true });

    // A connection held open shows as active, and no longer once closed.
    const held = await holdSocks(socksPort, descriptor.logserver.port);
    try {
      await expect
        .poll(
          async () => [await counter(row, 'forward-active'), await counter(row, 'forward-total')],
          { timeout: 10_000 },
        )
        .toEqual(['1', '2']);
      await shoot(page, '7-tunnel-active');
    } finally {
      held.destroy();
    }
    await expect.poll(() => counter(row, 'forward-active'), { timeout: 10_000 }).toBe('0');
    // The tunnel rides the same jump connection as the terminals.
    expect(connectionsTo(descriptor.proxy.sshPort)).toBe(jumps);

    await tunnel.getByRole('button', { name: `Stop ${SOCKS}` }).click();
    await page.locator(`[data-tunnel="${SOCKS}"][data-state="stopped"]`).waitFor();
    await expect(
      run('curl', [
        '--silent',
        '--max-time',
        '5',
        '--socks5-hostname',
        `127.0.0.1:${String(socksPort)}`,
        `http://127.0.0.1:${String(descriptor.logserver.port)}/`,
      ]),
    ).rejects.toThrow();
    await shoot(page, '8-tunnel-stopped');
  }
});
