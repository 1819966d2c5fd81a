/**
 * "Try the sandbox" in the real renderer (Debian's Chromium, browser-mode host): with no sandbox
 * running the card says how to start one; after `scripts/sandbox.ts` starts (as its own process,
 * on free ports, for the same data directory), "Try again" finds it and one click adds the
 * sandbox site with hpc-login and ecs-login. Screenshots go to test-results/e2e/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src/main/web/server';
import { requireTools } from '../support/tools';

const tools = requireTools([
  { name: 'chromium', path: '/usr/bin/chromium' },
  'sshd',
  'ssh-keygen',
  'openssl',
]);
const root = path.resolve(__dirname, '../..');
const rendererDir = path.resolve(root, 'out/renderer');
const shotsDir = path.resolve(root, 'test-results/e2e');
const TEST_MS = 90_000;

describe.skipIf(tools.skip)(`"Try the sandbox" in Chromium${tools.marker}`, () => {
  let dataDir = '';
  let host: WebHost | undefined;
  let browser: Browser | undefined;
  let sandbox: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
      throw new Error(
        `${rendererDir}/index.html is missing: build the renderer first with "npm run build" (npm test does this).`,
      );
    }
    fs.mkdirSync(shotsDir, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-e2e-sandbox-'));
    host = await startWebHost({ dataDir, rendererDir, version: '0.0.0-e2e', log: () => {} });
    browser = await chromium.launch({
      executablePath: tools.paths.chromium ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
      timeout: 20_000,
    });
  }, TEST_MS);

  afterAll(async () => {
    if (sandbox?.pid !== undefined && sandbox.exitCode === null && sandbox.signalCode === null) {
      const exited = new Promise((resolve) => sandbox!.once('exit', resolve));
      sandbox.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (sandbox.exitCode === null && sandbox.signalCode === null) sandbox.kill('SIGKILL');
    }
    await browser?.close();
    await host?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }, TEST_MS);

  async function startSandbox(): Promise<void> {
    sandbox = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/sandbox.ts', '--port-base', '0'],
      {
        cwd: root,
        env: { ...process.env, ONEHOP_HOME: dataDir, ONEHOP_SANDBOX_PORT_BASE: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    sandbox.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    sandbox.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const file = path.join(dataDir, 'sandbox.json');
    const deadline = Date.now() + 45_000;
    while (!fs.existsSync(file) && sandbox.exitCode === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (!fs.existsSync(file)) throw new Error(`The sandbox did not start:\n${output}`);
  }

  it(
    'says how to start the sandbox, then finds it on "Try again" and adds it in one click',
    async () => {
      const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
      await page.goto(host!.url);
      await page.getByRole('heading', { name: 'Welcome to OneHop' }).waitFor();
      const card = page.getByRole('region', { name: 'Try the sandbox' });
      await card.getByText('npm run sandbox').waitFor();
      expect(await card.textContent()).toContain(
        'Start it with npm run sandbox in a terminal, then try again.',
      );
      await page.screenshot({ path: path.join(shotsDir, 'sandbox-not-running.png') });

      await startSandbox();
      await card.getByRole('button', { name: 'Try again' }).click();
      const add = card.getByRole('button', { name: 'Add the sandbox' });
      await add.waitFor();
      await card.getByText('hpc-login').waitFor();
      await page.screenshot({ path: path.join(shotsDir, 'sandbox-running.png') });
      await add.click();

      await page.locator('[data-host-row]').first().waitFor();
      const names = await page.locator('[data-host-row] .host-name').allTextContents();
      expect(names).toEqual(expect.arrayContaining(['hpc-login', 'ecs-login']));
      await page.getByText(/Added the sandbox: hpc-login, ecs-login\./).waitFor();
      await page.screenshot({ path: path.join(shotsDir, 'sandbox-added.png') });

      const settings = host!.core.settings.get();
      expect(settings.sites.map((s) => s.name)).toEqual(['sandbox']);
      expect(settings.ui.firstRunDone).toBe(true);
      expect(errors).toEqual([]);
      await context.close();
    },
    TEST_MS,
  );
});
