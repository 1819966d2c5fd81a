/**
 * Vitest setup file: every test file gets its own throw-away HOME (and no ssh-agent), so tests
 * running in parallel never share ~/.ssh/onehop, and none touches the developer's ~/.ssh or
 * agent. `onehop` processes the tests start inherit it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-test-home-'));
process.env.HOME = home;
process.env.SSH_AUTH_SOCK = '';

afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true });
});
