/**
 * The sign-in as a user runs it from a terminal: `onehop login 127.0.0.1:<port>` against the
 * Teleport emulator served over https (trusted through NODE_EXTRA_CA_CERTS), with BROWSER set to
 * the non-interactive browser stand-in, the credentials in the real gnome-keyring-backed vault,
 * then `onehop status --json` and `onehop logout`. Each step is a real `onehop` process.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificateLine } from '../../src/main/core/credentials/sshKeys';
import { startIdp, webClient, type Idp } from '../support/idp';
import { startTeleportEmulator, type TeleportEmulator } from '../support/teleport/emulator';
import { requireSessionKeychain, requireTools } from '../support/tools';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const tools = requireTools(['ssh-keygen', 'openssl']);
const keychain = requireSessionKeychain();
const skip = tools.skip || keychain.skip;

interface StatusJson {
  sites: {
    name: string;
    kind: string;
    proxy: string;
    user: string | null;
    logins: string[];
    validAfter: string | null;
    validBefore: string | null;
    remainingSeconds: number | null;
    state: string;
    keyType: string | null;
  }[];
}

describe.skipIf(skip)(`onehop login from the CLI${tools.marker}${keychain.marker}`, () => {
  let idp: Idp;
  const proxies: TeleportEmulator[] = [];
  let home: string;

  beforeAll(async () => {
    idp = await startIdp({ clients: [] });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-cli-login-'));
  });
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    await idp?.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  async function proxy(version: string, n: number): Promise<TeleportEmulator> {
    const emulator = await startTeleportEmulator({
      version,
      https: true,
      idp: { issuer: idp.issuer, clientId: `cli-${n}`, clientSecret: `cli-secret-${n}-0123456789` },
    });
    proxies.push(emulator);
    await idp.registerClient(
      webClient(`cli-${n}`, `cli-secret-${n}-0123456789`, [emulator.oidcRedirectUri]),
    );
    return emulator;
  }

  function onehop(args: string[], env: Record<string, string> = {}) {
    return run(process.execPath, [path.join(root, 'bin/onehop.js'), ...args], {
      cwd: root,
      timeout: 60_000,
      env: {
        ...process.env,
        CI: '',
        ONEHOP_HOME: home,
        BROWSER: `${process.execPath} ${path.join(root, 'test/support/browser-stand-in.mjs')}`,
        ...env,
      },
    });
  }

  for (const [version, keyType] of [
    ['16.4.7', 'ssh-rsa'],
    ['17.2.0', 'ssh-ed25519'],
  ] as const) {
    it(`signs in to a Teleport ${version} proxy over https and reports it in status`, async () => {
      const emulator = await proxy(version, Number(version.split('.')[0]));
      const address = `127.0.0.1:${emulator.port}`;
      const env = { NODE_EXTRA_CA_CERTS: emulator.webTlsCertPath! };

      const login = await onehop(['login', address, '--name', `lab${version.split('.')[0]}`], env);
      expect(login.stdout).toMatch(
        /^Signed in to lab\d+ as alice@example\.org \(logins: alice\)\./,
      );
      expect(login.stderr).toContain('If it does not open, visit:');

      const status = JSON.parse((await onehop(['status', '--json'], env)).stdout) as StatusJson;
      const site = status.sites.find((s) => s.proxy === address)!;
      const issued = parseCertificateLine(emulator.issued.at(-1)!.sshCertificate);
      expect(site).toMatchObject({
        kind: 'teleport',
        state: 'valid',
        user: 'alice@example.org',
        logins: ['alice'],
        keyType,
        validBefore: issued.validBefore!.toISOString(),
        validAfter: issued.validAfter!.toISOString(),
      });
      expect(site.remainingSeconds).toBeGreaterThan(11 * 3600);
      // Nothing in the data directory is readable without the keychain key.
      const vault = fs.readFileSync(path.join(home, 'vault.bin'));
      expect(vault.includes(Buffer.from('PRIVATE KEY'))).toBe(false);
      expect(fs.statSync(path.join(home, 'vault.bin')).mode & 0o777).toBe(0o600);
    });
  }

  it('stores nothing when the proxy answers with a tampered response, and logs out', async () => {
    const emulator = await proxy('17.2.0', 99);
    emulator.nextResponse = 'tampered';
    const env = { NODE_EXTRA_CA_CERTS: emulator.webTlsCertPath! };
    const failed = await onehop(
      ['login', `127.0.0.1:${emulator.port}`, '--name', 'bad'],
      env,
    ).catch((error: { code: number; stderr: string }) => error);
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr).toMatch(/onehop: .*(decrypt|tamper|sealed)/i);
    const status = JSON.parse((await onehop(['status', '--json'], env)).stdout) as StatusJson;
    expect(status.sites.find((s) => s.name === 'bad')).toMatchObject({ state: 'signed-out' });

    const out = await onehop(['logout']);
    expect(out.stdout).toMatch(/Signed out of lab16\.\nSigned out of lab17\.\n/);
    const after = JSON.parse((await onehop(['status', '--json'])).stdout) as StatusJson;
    expect(after.sites.every((s) => s.state === 'signed-out')).toBe(true);
  });

  it('stops at once on Ctrl-C while waiting for the browser, and stores nothing', async () => {
    const emulator = await proxy('17.2.0', 97);
    const child = spawn(
      process.execPath,
      [path.join(root, 'bin/onehop.js'), 'login', `127.0.0.1:${emulator.port}`, '--name', 'ctrlc'],
      {
        cwd: root,
        // A "browser" that opens nothing: the sign-in waits for the callback.
        env: {
          ...process.env,
          CI: '',
          ONEHOP_HOME: home,
          BROWSER: '/bin/true',
          NODE_EXTRA_CA_CERTS: emulator.webTlsCertPath!,
        },
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await expect.poll(() => stderr, { timeout: 20_000 }).toContain('If it does not open, visit:');
    const interruptedAt = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(Date.now() - interruptedAt).toBeLessThan(5_000);
    expect(code).toBe(1);
    expect(stderr).toContain('onehop: Sign-in cancelled.');
    const status = JSON.parse((await onehop(['status', '--json'])).stdout) as StatusJson;
    expect(status.sites.find((s) => s.name === 'ctrlc')).toMatchObject({ state: 'signed-out' });
  });

  it('without NODE_EXTRA_CA_CERTS, refuses the untrusted proxy certificate in plain words', async () => {
    const emulator = await proxy('17.2.0', 98);
    const failed = (await onehop([
      'login',
      `127.0.0.1:${emulator.port}`,
      '--name',
      'untrusted',
    ]).catch((error: unknown) => error)) as { code: number; stderr: string };
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/not trusted.*NODE_EXTRA_CA_CERTS/);
  });
});
