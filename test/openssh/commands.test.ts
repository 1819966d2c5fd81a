/**
 * The hand-off commands through the dispatcher (real settings store, credentials from a stub
 * vault), `onehop ssh-config` in-process, and the import parser checked against `ssh -G`.
 */
import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/main/cli/main';
import type { SiteCredentials } from '../../src/main/core/credentials/vault';
import { EventBus } from '../../src/main/core/events/bus';
import { createOpenSshHandlers, OpenSshHandoff } from '../../src/main/core/openssh';
import { parseSshConfig, resolveHost } from '../../src/main/core/openssh/sshConfig/parse';
import { createDispatcher, type CommandHandlers } from '../../src/main/core/rpc/dispatcher';
import { SettingsStore } from '../../src/main/core/settings/store';
import { generateKey, signUserKey } from '../support/sshd';
import { requireTools } from '../support/tools';

const execFileAsync = promisify(execFile);
const tools = requireTools(['ssh', 'ssh-keygen']);

describe.skipIf(tools.skip)(`openssh commands${tools.marker}`, () => {
  let dir: string;
  let home: string;
  let credentials: SiteCredentials;
  let store: SettingsStore;
  let dispatch: (command: string, payload: unknown) => Promise<unknown>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-openssh-cmd-'));
    home = path.join(dir, 'home');
    mkdirSync(home);
    const ca = await generateKey(dir, 'ca');
    const user = await generateKey(dir, 'user', 'rsa');
    const cert = await signUserKey({
      ca,
      publicKeyPath: user.publicKeyPath,
      principals: ['alice'],
    });
    credentials = {
      issuer: 'teleport',
      username: 'alice@example.org',
      privateKeyPem: readFileSync(user.privateKeyPath, 'utf8'),
      certificate: cert.certificate,
      hostSigners: [{ clusterName: 'lab', checkingKeys: [ca.publicKey], tlsCerts: [] }],
      obtainedAt: new Date().toISOString(),
    };
    store = SettingsStore.open(path.join(dir, 'data'));
    store.update((draft) => {
      draft.sites.push({
        kind: 'teleport',
        name: 'legacy',
        proxy: { host: 'jump.example.org', webPort: 443, sshPort: 3023 },
        hostPatterns: ['hpc-*'],
        ssh: { keepaliveIntervalSeconds: 30, rsaSignatureAlgorithms: ['rsa-sha2-512', 'ssh-rsa'] },
        handoff: { enabled: true, mode: 'auto' },
      });
      draft.hosts.push({
        name: 'hpc-login',
        hostName: 'hpc-login',
        port: 22,
        site: 'legacy',
        route: 'jump',
        favourite: false,
      });
    });
    const handlers = createOpenSshHandlers({
      settings: store,
      bus: new EventBus(),
      handoff: new OpenSshHandoff({ homeDir: home, dataDir: path.join(dir, 'data'), env: {} }),
      homeDir: home,
      credentials: (site) => Promise.resolve(site === 'legacy' ? credentials : undefined),
    });
    const dispatcher = createDispatcher(handlers as unknown as CommandHandlers);
    dispatch = async (command, payload) => {
      const result = await dispatcher.dispatch(command, payload);
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      return result.result;
    };
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const sshG = async (config: string, host: string) => {
    const { stdout } = await execFileAsync(tools.paths.ssh!, ['-G', '-F', config, host], {
      env: { ...process.env, HOME: home },
    });
    return stdout;
  };

  it('openssh.config prints a config ssh -G accepts, with the legacy RSA options', async () => {
    const { text, sites } = (await dispatch('openssh.config', {})) as {
      text: string;
      sites: unknown;
    };
    expect(sites).toEqual([{ site: 'legacy', mode: 'agent' }]);
    const file = path.join(dir, 'printed.conf');
    writeFileSync(file, text);
    const resolved = await sshG(file, 'hpc-login');
    expect(resolved).toContain('proxyjump jump.example.org:3023\n');
    expect(resolved).toContain('user alice\n');
    expect(resolved).toContain('serveraliveinterval 30\n');
    expect(resolved).toMatch(/^pubkeyacceptedalgorithms .*rsa-sha2-512-cert-v01@openssh\.com/m);
    expect(resolved).toMatch(/^pubkeyacceptedalgorithms .*ssh-rsa-cert-v01@openssh\.com/m);
    expect(resolved).toMatch(/^casignaturealgorithms .*ssh-rsa/m);
    const proxy = await sshG(file, 'jump.example.org');
    expect(proxy).toContain('port 3023\n');
    expect(proxy).not.toMatch(/^proxyjump /m);
    await expect(dispatch('openssh.config', { site: 'nope' })).rejects.toThrow(
      /not-found: Unknown site/,
    );
  });

  it('openssh.apply writes files (no agent) and openssh.remove takes them away', async () => {
    const applied = (await dispatch('openssh.apply', { site: 'legacy' })) as {
      mode: string;
      notice: string;
    };
    expect(applied.mode).toBe('file');
    expect(applied.notice).toMatch(/No ssh-agent is running/);
    const config = path.join(home, '.ssh', 'onehop', 'config');
    expect(readFileSync(config, 'utf8')).toContain('# >>> onehop site legacy >>>');
    expect(statSync(path.join(home, '.ssh', 'onehop', 'legacy', 'id')).mode & 0o777).toBe(0o600);
    await expect(dispatch('openssh.apply', { site: 'legacy', mode: 'agent' })).rejects.toThrow(
      /not-found: No ssh-agent/,
    );
    await dispatch('openssh.remove', { site: 'legacy' });
    expect(readdirSync(path.join(home, '.ssh', 'onehop'))).toEqual(['config', 'known_hosts']);
  });

  it('openssh.importPreview and openssh.import read a config and never duplicate', async () => {
    const fixtures = path.resolve('test/fixtures/ssh_config/home/.ssh');
    cpSync(fixtures, path.join(home, '.ssh'), { recursive: true });
    const preview = (await dispatch('openssh.importPreview', {})) as {
      hosts: { host: { name: string } }[];
    };
    expect(preview.hosts.map((h) => h.host.name)).toContain('analysis');
    const first = (await dispatch('openssh.import', {})) as {
      hostsAdded: string[];
      tunnelsAdded: string[];
    };
    expect(first.hostsAdded).toContain('analysis');
    const count = store.get().hosts.length;
    const second = (await dispatch('openssh.import', { path: '~/.ssh/config' })) as {
      hostsAdded: string[];
      alreadyPresent: string[];
    };
    expect(second.hostsAdded).toEqual([]);
    expect(second.alreadyPresent).toContain('analysis');
    expect(store.get().hosts).toHaveLength(count);
  });
});

describe.skipIf(tools.skip)(`import parser agrees with ssh -G${tools.marker}`, () => {
  it('for user, host name, port and jump of the fixture hosts', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-parity-'));
    try {
      const ssh = path.join(dir, '.ssh');
      cpSync(path.resolve('test/fixtures/ssh_config/home/.ssh'), ssh, { recursive: true });
      // ssh resolves relative Includes against the real ~/.ssh: make the top file's absolute.
      const top = path.join(ssh, 'config');
      writeFileSync(
        top,
        readFileSync(top, 'utf8')
          .replace('Include conf.d/*.conf ~/.ssh/missing.conf', `Include ${ssh}/conf.d/*.conf`)
          .replace('Include loop.conf', ''),
      );
      const config = await parseSshConfig({ homeDir: dir });
      for (const alias of [
        'hpc-login',
        'ecs-login',
        'analysis',
        'via-bastion',
        'bastion',
        'lab-1',
        'lab-x',
        'legacy',
      ]) {
        const { stdout } = await execFileAsync(tools.paths.ssh!, ['-G', '-F', top, alias]);
        const ssh = new Map(
          stdout.split('\n').map((l) => [l.split(' ')[0]!, l.slice(l.indexOf(' ') + 1)]),
        );
        const ours = resolveHost(config, alias).values;
        const arg = (k: string) => ours.get(k)?.args[0];
        expect(arg('user') ?? 'root', alias).toBe(ssh.get('user'));
        expect((arg('hostname') ?? alias).replace('%h', alias), alias).toBe(ssh.get('hostname'));
        expect(arg('port') ?? '22', alias).toBe(ssh.get('port'));
        if (ours.get('proxy')?.keyword === 'proxyjump')
          expect(ssh.get('proxyjump'), alias).toBeDefined();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('onehop ssh-config (CLI, in-process)', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'onehop-cli-sshconfig-'));
  });
  afterEach(() => vi.unstubAllEnvs());
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  async function run(...argv: string[]) {
    vi.stubEnv('HOME', home);
    vi.stubEnv('ONEHOP_HOME', path.join(home, 'data'));
    let stdout = '';
    let stderr = '';
    const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr };
  }

  it('prints, installs and uninstalls the Include', async () => {
    const printed = await run('ssh-config');
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toMatch(/^# Generated by OneHop/);
    expect(printed.stdout).toContain('No site is signed in');

    const install = await run('ssh-config', '--install');
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toMatch(/^Added "Include" of OneHop's configuration at the top of /);
    const userConfig = path.join(home, '.ssh', 'config');
    expect(readFileSync(userConfig, 'utf8')).toContain('.ssh/onehop/config\n');
    expect((await run('ssh-config', '--install')).stdout).toMatch(/already includes/);
    const uninstall = await run('ssh-config', '--uninstall');
    expect(uninstall.stdout).toMatch(/^Removed OneHop's Include block/);
    expect(readFileSync(userConfig, 'utf8')).toBe('');

    expect((await run('ssh-config', '--install', '--uninstall')).code).toBe(2);
    expect((await run('ssh-config', '--site', 'nope')).stderr).toMatch(/Unknown site "nope"/);
  });
});
