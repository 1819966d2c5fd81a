import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract';
import type { SandboxDescriptor } from '../../../shared/contract/sandbox';
import { EventBus } from '../events/bus';
import { SettingsStore } from '../settings/store';
import { findPreset } from '../settings/presets';
import { addPresetTo } from '../settings/commands';
import { fingerprintSha256 } from '../credentials/sshKeys';
import { createSandboxHandlers, NO_SANDBOX_MESSAGE, type SandboxSignIn } from './commands';
import {
  removeSandboxDescriptor,
  sandboxDescriptorPath,
  writeSandboxDescriptor,
} from './descriptor';

const USER_CA = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIP8bFCLwBoKqzTbjYvblh1tA3A8GL9fQmx3ichZdVXd';
const USER_CA_FINGERPRINT = fingerprintSha256(Buffer.from(USER_CA.split(' ')[1]!, 'base64'));

function descriptor(pid: number, webPort: number): SandboxDescriptor {
  const site = 'sandbox';
  return {
    version: 1,
    pid,
    startedAt: new Date().toISOString(),
    idp: { issuer: 'http://127.0.0.1:1', user: 'alice@example.org' },
    proxy: {
      webUrl: `http://127.0.0.1:${webPort}`,
      webPort,
      sshPort: 3023,
      hostCaPublicKey: USER_CA,
      userCaPublicKey: USER_CA,
    },
    logins: ['root'],
    targets: [
      { name: 'hpc-login', port: 2201 },
      { name: 'ecs-login', port: 2202 },
    ],
    logserver: { port: 9316 },
    preset: {
      id: site,
      title: 'Sandbox',
      description: 'test',
      site: {
        kind: 'teleport',
        name: site,
        proxy: { host: '127.0.0.1', webPort, sshPort: 3023 },
        hostPatterns: [],
        ssh: { keepaliveIntervalSeconds: 60, rsaSignatureAlgorithms: ['rsa-sha2-512'] },
        handoff: { enabled: true, mode: 'auto' },
      },
      hosts: [
        {
          name: 'hpc-login',
          hostName: '127.0.0.1',
          port: 2201,
          site,
          route: 'jump',
          favourite: false,
        },
        {
          name: 'ecs-login',
          hostName: '127.0.0.1',
          port: 2202,
          site,
          route: 'jump',
          favourite: false,
        },
      ],
      tunnels: [
        {
          name: 'Sandbox SOCKS',
          site,
          via: 'hpc-login',
          forwards: [{ kind: 'dynamic', bindAddress: '127.0.0.1', bindPort: 19050 }],
          autostart: false,
        },
      ],
    },
  };
}

/** A PID that certainly belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

let dir: string;
let store: SettingsStore;
let server: net.Server;
let webPort: number;
let signedOut: string[];
let caFingerprint: string | null;
let handlers: ReturnType<typeof createSandboxHandlers>;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-sandbox-unit-'));
  store = SettingsStore.open(dir);
  server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  webPort = (server.address() as net.AddressInfo).port;
  signedOut = [];
  caFingerprint = null;
  const signIn: SandboxSignIn = {
    statuses: () => Promise.resolve([{ site: 'sandbox', caFingerprint }]),
    signOut: (site) => {
      signedOut.push(site);
      return Promise.resolve();
    },
  };
  handlers = createSandboxHandlers(store, new EventBus(), dir, signIn);
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('sandbox.info', () => {
  it('says not running, without a problem, when there is no descriptor', async () => {
    await expect(handlers['sandbox.info']({})).resolves.toEqual({
      running: false,
      descriptor: null,
      problem: null,
    });
  });

  it('treats a descriptor whose process is gone as not running, and says so', async () => {
    const pid = deadPid();
    writeSandboxDescriptor(dir, descriptor(pid, webPort));
    const info = await handlers['sandbox.info']({});
    expect(info.running).toBe(false);
    expect(info.descriptor?.pid).toBe(pid);
    expect(info.problem).toContain(`(PID ${pid}) is no longer running`);
  });

  it('reports an unreadable descriptor in plain words', async () => {
    fs.writeFileSync(sandboxDescriptorPath(dir), '{"version":1');
    const info = await handlers['sandbox.info']({});
    expect(info).toMatchObject({ running: false, descriptor: null });
    expect(info.problem).toMatch(/is not valid; restart the sandbox/);
  });

  it('is running when the process lives and the proxy answers', async () => {
    writeSandboxDescriptor(dir, descriptor(process.pid, webPort));
    await expect(handlers['sandbox.info']({})).resolves.toMatchObject({
      running: true,
      problem: null,
    });
  });
});

describe('sites.addSandbox', () => {
  it('refuses clearly when no sandbox runs', async () => {
    const error = await Promise.resolve(handlers['sites.addSandbox']({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).message).toBe(NO_SANDBOX_MESSAGE);
  });

  it('adds the site, renames hosts another site already uses, and replaces itself', async () => {
    store.update((draft) => void addPresetTo(draft, findPreset('ecmwf')!));
    writeSandboxDescriptor(dir, descriptor(process.pid, webPort));
    const first = await handlers['sites.addSandbox']({});
    expect(first).toMatchObject({
      hosts: ['hpc-login-sandbox', 'ecs-login-sandbox'],
      tunnels: ['Sandbox SOCKS'],
      replaced: false,
      signedOut: false,
    });
    expect(store.get().tunnels.find((t) => t.name === 'Sandbox SOCKS')?.via).toBe(
      'hpc-login-sandbox',
    );
    const again = await handlers['sites.addSandbox']({});
    expect(again).toMatchObject({
      hosts: ['hpc-login-sandbox', 'ecs-login-sandbox'],
      replaced: true,
    });
    expect(store.get().sites.map((s) => s.name)).toEqual(['ecmwf', 'sandbox']);
    expect(store.get().hosts.map((h) => h.name)).toEqual([
      'hpc-login',
      'ecs-login',
      'hpc-login-sandbox',
      'ecs-login-sandbox',
    ]);
  });

  it('forgets a certificate from an earlier sandbox (another CA), keeps one from this one', async () => {
    writeSandboxDescriptor(dir, descriptor(process.pid, webPort));
    caFingerprint = USER_CA_FINGERPRINT;
    expect((await handlers['sites.addSandbox']({})).signedOut).toBe(false);
    caFingerprint = 'SHA256:someOtherCa';
    expect((await handlers['sites.addSandbox']({})).signedOut).toBe(true);
    expect(signedOut).toEqual(['sandbox']);
  });

  it('removes only its own descriptor', () => {
    writeSandboxDescriptor(dir, descriptor(process.pid, webPort));
    removeSandboxDescriptor(dir, process.pid + 1);
    expect(fs.existsSync(sandboxDescriptorPath(dir))).toBe(true);
    removeSandboxDescriptor(dir, process.pid);
    expect(fs.existsSync(sandboxDescriptorPath(dir))).toBe(false);
  });
});
