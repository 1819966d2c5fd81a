/**
 * The sign-in commands' command-line side (in-process, no keychain needed): status shapes,
 * logout, add-oidc, and the usage errors. Full logins run against the emulators in test/signin.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from './main';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-cli-signin-'));
  vi.stubEnv('ONEHOP_HOME', home);
});
afterEach(() => {
  vi.unstubAllEnvs();
  fs.rmSync(home, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

describe('onehop status / logout / sites add-oidc', () => {
  it('status --json lists every site with the documented fields, signed out', async () => {
    expect(JSON.parse((await run('status', '--json')).stdout)).toEqual({ sites: [] });
    await run('sites', 'add-preset', 'ecmwf');
    const { sites } = JSON.parse((await run('status', '--json')).stdout) as {
      sites: Record<string, unknown>[];
    };
    expect(sites).toEqual([
      {
        name: 'ecmwf',
        kind: 'teleport',
        proxy: 'jump.ecmwf.int:443',
        user: null,
        logins: [],
        validAfter: null,
        validBefore: null,
        remainingSeconds: null,
        state: 'signed-out',
        keyType: null,
      },
    ]);
  });

  it('logout without a site signs out of nothing when nobody is signed in', async () => {
    await run('sites', 'add-preset', 'ecmwf');
    expect((await run('logout')).stdout).toBe('No site is signed in.\n');
    expect((await run('logout', 'ecmwf')).stdout).toBe('Signed out of ecmwf.\n');
    const unknown = await run('logout', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('onehop: Unknown site "nope".\n');
  });

  it('sites add-oidc adds an OIDC + SSH CA site with its bastion', async () => {
    const added = await run(
      'sites',
      'add-oidc',
      'lab',
      '--issuer',
      'http://127.0.0.1:9000/realms/lab',
      '--client-id',
      'onehop',
      '--ca-url',
      'http://127.0.0.1:9001',
      '--bastion',
      'bastion.lab:2222',
      '--offline-access',
    );
    expect(added.code, added.stderr).toBe(0);
    const listing = JSON.parse((await run('sites', '--json')).stdout) as { sites: unknown[] };
    expect(listing.sites).toEqual([
      { name: 'lab', kind: 'oidc-ca', proxy: 'bastion.lab:2222', hostPatterns: [], hosts: 0 },
    ]);
  });

  it('refuses bad input with a usage error (exit 2) and one line', async () => {
    for (const argv of [
      ['login'],
      ['login', 'ecmwf', '--ttl', '5x'],
      ['sites', 'add-oidc', 'lab', '--issuer', 'http://127.0.0.1:1'],
      ['login', 'not a proxy!'],
    ]) {
      const result = await run(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^onehop: [^\n]+\n$/);
    }
  });
});
