/**
 * "Try the sandbox" in the real renderer (Debian's Chromium, browser-mode host): with no sandbox
 * running the card says how to start one; after `scripts/sandbox.ts` starts (as its own process,
 * on free ports, for the same data directory), "Try again" finds it and one click adds the
 * sandbox site with hpc-login and ecs-login. Screenshots go to test-results/e2e/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTools } from '../support/tools';
import { startApp, type AppUnderTest } from './support/app';
import { CHROMIUM } from './support/browser';
import { startSandbox, type SandboxProcess } from './support/sandbox';
import { shotPath } from './support/screenshots';

const tools = requireTools([CHROMIUM, 'sshd', 'ssh-keygen', 'openssl']);
const TEST_MS = 90_000;

describe.skipIf(tools.skip)(`"Try the sandbox" in Chromium${tools.marker}`, () => {
  let app: AppUnderTest | undefined;
  let sandbox: SandboxProcess | undefined;

  beforeAll(async () => {
    app = await startApp({ name: 'sandbox', chromium: tools.paths.chromium });
  }, TEST_MS);

  afterAll(async () => {
    await sandbox?.stop();
    await app?.close();
  }, TEST_MS);

  it(
    'says how to start the sandbox, then finds it on "Try again" and adds it in one click',
    async () => {
      const { page, context, errors } = await app!.openPage();
      await page.getByRole('heading', { name: 'Welcome to OneHop' }).waitFor();
      const card = page.getByRole('region', { name: 'Try the sandbox' });
      await card.getByText('npm run sandbox').waitFor();
      expect(await card.textContent()).toContain(
        'Start it with npm run sandbox in a terminal, then try again.',
      );
      await page.screenshot({ path: shotPath('sandbox-not-running.png') });

      sandbox = await startSandbox(app!.dataDir, 45_000);
      await card.getByRole('button', { name: 'Try again' }).click();
      const add = card.getByRole('button', { name: 'Add the sandbox' });
      await add.waitFor();
      await card.getByText('hpc-login').waitFor();
      await page.screenshot({ path: shotPath('sandbox-running.png') });
      await add.click();

      await page.locator('[data-host-row]').first().waitFor();
      const names = await page.locator('[data-host-row] .host-name').allTextContents();
      expect(names).toEqual(expect.arrayContaining(['hpc-login', 'ecs-login']));
      await page.getByText(/Added the sandbox: hpc-login, ecs-login\./).waitFor();
      await page.screenshot({ path: shotPath('sandbox-added.png') });

      const settings = app!.core.settings.get();
      expect(settings.sites.map((s) => s.name)).toEqual(['sandbox']);
      expect(settings.ui.firstRunDone).toBe(true);
      // Uncaught exceptions only: this test has never counted console errors.
      expect(errors.filter((error) => error.startsWith('page error:'))).toEqual([]);
      await context.close();
    },
    TEST_MS,
  );
});
