/**
 * `npm run sandbox` end to end: the script runs as its own process (free ports, a temporary
 * ONEHOP_HOME), the core adds it as a site and signs in through the browser stand-in, and plain
 * OpenSSH proves the result: the issued certificate logs in to hpc-login through the proxy's
 * host-certificate-only sshd, with host keys checked against the sandbox's host CA only.
 * SIGTERM then stops everything and removes the descriptor.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/core';
import { openVault } from '../../src/main/core/credentials/vault';
import { formatOpenSshPrivateKey } from '../../src/main/core/credentials/sshKeys';
import { SandboxDescriptorSchema, type SandboxDescriptor } from '../../src/shared/contract/sandbox';
import type { RpcResult } from '../../src/shared/contract';
import { visit } from '../support/browserStandIn';
import { requireSessionKeychain, requireTools } from '../support/tools';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const tools = requireTools(['sshd', 'ssh', 'ssh-keygen', 'openssl']);
const keychain = requireSessionKeychain();

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function dispatch<T>(core: Core, command: string, payload: unknown = {}): Promise<T> {
  const result: RpcResult = await core.dispatcher.dispatch(command, payload);
  if (!result.ok) throw new Error(`${command}: ${result.error.code}: ${result.error.message}`);
  return result.result as T;
}

describe.skipIf(tools.skip)(`npm run sandbox${tools.marker}`, () => {
  let home: string;
  let work: string;
  let child: ChildProcess;
  let output = '';
  let descriptor: SandboxDescriptor;
  let core: Core;

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-sandbox-home-'));
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-sandbox-ssh-'));
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/sandbox.ts', '--port-base', '0'], {
      cwd: root,
      env: { ...process.env, ONEHOP_HOME: home, ONEHOP_SANDBOX_PORT_BASE: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Closing stdin is no reason for the sandbox to stop.
    child.stdin?.end();
    const file = path.join(home, 'sandbox.json');
    const deadline = Date.now() + 45_000;
    while (!fs.existsSync(file) && child.exitCode === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (!fs.existsSync(file)) throw new Error(`The sandbox exited early:\n${output}`);
    descriptor = SandboxDescriptorSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
    core = createCore({
      dataDir: home,
      host: 'cli',
      version: '0.0.0-test',
      tshHome: false,
      openUrl: (url) => {
        // The "browser": follows the IdP's automatic login back to the loopback callback.
        void visit(url, { timeoutMs: 20_000 }).catch(() => undefined);
        return Promise.resolve();
      },
    });
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
    for (const dir of [home, work]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('describes itself in sandbox.json and prints how to use it', async () => {
    expect(descriptor.pid).toBe(child.pid);
    expect(descriptor.logins).toEqual([os.userInfo().username]);
    expect(descriptor.preset.site).toMatchObject({
      kind: 'teleport',
      name: 'sandbox',
      proxy: {
        host: '127.0.0.1',
        webPort: descriptor.proxy.webPort,
        sshPort: descriptor.proxy.sshPort,
      },
    });
    expect(descriptor.preset.hosts.map((h) => [h.name, h.hostName, h.route, h.site])).toEqual([
      ['hpc-login', '127.0.0.1', 'jump', 'sandbox'],
      ['ecs-login', '127.0.0.1', 'jump', 'sandbox'],
    ]);
    expect(descriptor.preset.tunnels.map((t) => t.name)).toEqual([
      'Sandbox SOCKS',
      'Sandbox logserver',
    ]);
    await expect.poll(() => output).toContain('npx onehop sites add-sandbox');
    expect(output).toContain('npx onehop login sandbox');
    expect(output).toContain('Try the sandbox');

    // The proxy's ping advertises the sshd as its SSH listener.
    const ping = (await (await fetch(`${descriptor.proxy.webUrl}/webapi/ping`)).json()) as {
      proxy: { ssh: { ssh_public_addr?: string } };
    };
    expect(ping.proxy.ssh.ssh_public_addr).toBe(`127.0.0.1:${descriptor.proxy.sshPort}`);
    // The log server answers for the tunnels.
    const page = await fetch(`http://127.0.0.1:${descriptor.logserver.port}/`);
    expect(await page.text()).toContain('Sandbox log server');
  });

  it('sandbox.info reports it running, and sites.addSandbox adds it (again: replaces it)', async () => {
    const info = await dispatch<{ running: boolean; problem: string | null }>(core, 'sandbox.info');
    expect(info).toMatchObject({ running: true, problem: null });
    const added = await dispatch<{ hosts: string[]; tunnels: string[]; replaced: boolean }>(
      core,
      'sites.addSandbox',
    );
    expect(added).toMatchObject({
      hosts: ['hpc-login', 'ecs-login'],
      tunnels: ['Sandbox SOCKS', 'Sandbox logserver'],
      replaced: false,
    });
    const again = await dispatch<{ replaced: boolean }>(core, 'sites.addSandbox');
    expect(again.replaced).toBe(true);
    const settings = core.settings.get();
    expect(settings.sites.map((s) => s.name)).toEqual(['sandbox']);
    expect(settings.hosts.map((h) => `${h.name}:${h.port}`)).toEqual(
      descriptor.targets.map((t) => `${t.name}:${t.port}`),
    );
  });

  it.skipIf(keychain.skip)(
    `signs in, and plain OpenSSH reaches hpc-login through the proxy with the issued certificate${keychain.marker}`,
    async () => {
      const started = await dispatch<{ status: { state: string; logins: string[] } }>(
        core,
        'signin.start',
        { site: 'sandbox' },
      );
      expect(started.status.state).toBe('valid');
      const login = descriptor.logins[0]!;
      expect(started.status.logins).toContain(login);

      const { vault } = await openVault({ dir: home });
      const credentials = await vault.get('sandbox');
      expect(credentials).toBeDefined();
      const key = path.join(work, 'id');
      fs.writeFileSync(key, formatOpenSshPrivateKey(createPrivateKey(credentials!.privateKeyPem)), {
        mode: 0o600,
      });
      fs.writeFileSync(`${key}-cert.pub`, `${credentials!.certificate}\n`);
      const knownHosts = path.join(work, 'known_hosts');
      fs.writeFileSync(knownHosts, `@cert-authority * ${descriptor.proxy.hostCaPublicKey}\n`);
      // -F reaches the ProxyJump ssh too (command-line -o options do not).
      const config = path.join(work, 'ssh_config');
      fs.writeFileSync(
        config,
        [
          'Host *',
          `  IdentityFile ${key}`,
          `  CertificateFile ${key}-cert.pub`,
          '  IdentitiesOnly yes',
          '  IdentityAgent none',
          `  UserKnownHostsFile ${knownHosts}`,
          '  GlobalKnownHostsFile /dev/null',
          '  StrictHostKeyChecking yes',
          '  BatchMode yes',
          '  ConnectTimeout 10',
          '',
        ].join('\n'),
      );
      const hpc = descriptor.targets.find((t) => t.name === 'hpc-login')!;
      const { stdout } = await run(
        'ssh',
        [
          '-F',
          config,
          '-J',
          `${login}@127.0.0.1:${descriptor.proxy.sshPort}`,
          '-p',
          String(hpc.port),
          `${login}@127.0.0.1`,
          'echo',
          'ok',
        ],
        { timeout: 30_000 },
      );
      expect(stdout.trim()).toBe('ok');
    },
    60_000,
  );

  it('stops every server and removes sandbox.json on SIGTERM', async () => {
    const ports = [
      descriptor.proxy.webPort,
      descriptor.proxy.sshPort,
      ...descriptor.targets.map((t) => t.port),
      descriptor.logserver.port,
    ];
    expect(child.exitCode).toBeNull(); // still up after stdin closed
    for (const port of ports) expect(await portOpen(port)).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const stoppedAt = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(fs.existsSync(path.join(home, 'sandbox.json'))).toBe(false);
    for (const port of ports) expect(await portOpen(port)).toBe(false);

    const info = await dispatch<{ running: boolean }>(core, 'sandbox.info');
    expect(info.running).toBe(false);
    const refused = await core.dispatcher.dispatch('sites.addSandbox', {});
    expect(refused).toMatchObject({
      ok: false,
      error: { message: 'No sandbox is running; start one with `npm run sandbox`.' },
    });
  }, 30_000);
});
