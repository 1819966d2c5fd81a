/**
 * The OpenSSH hand-off end to end with real OpenSSH: a jump sshd and a target sshd that present
 * only host certificates (signed by a host CA the site advertised), a user certificate from a
 * user CA both trust, and plain `ssh -F <generated config>` / `scp -F …` through the jump —
 * once with the key only in a real ssh-agent, once with key files. HOME is a temp directory.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificateLine } from '../../src/main/core/credentials/sshKeys';
import type { SiteCredentials } from '../../src/main/core/credentials/vault';
import { OpenSshHandoff } from '../../src/main/core/openssh/handoff';
import {
  HostSchema,
  TeleportSiteSchema,
  type Host,
  type Site,
} from '../../src/shared/model/settings';
import {
  generateKey,
  signUserKey,
  startSshd,
  type KeyPair,
  type SshdServer,
} from '../support/sshd';
import { requireTools } from '../support/tools';

const execFileAsync = promisify(execFile);
const tools = requireTools(['ssh', 'scp', 'sshd', 'ssh-keygen', 'ssh-agent', 'ssh-add']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(tools.skip)(
  `OpenSSH hand-off with real ssh, scp and ssh-agent${tools.marker}`,
  () => {
    let dir: string;
    let home: string;
    let dataDir: string;
    let userCa: KeyPair;
    let hostCa: KeyPair;
    let jump: SshdServer;
    let target: SshdServer;
    let site: Site;
    let hosts: Host[];
    let credentials: SiteCredentials;
    let agent: ChildProcess;
    let agentSocket: string;

    const run = async (tool: 'ssh' | 'scp' | 'ssh-add', args: string[], env: NodeJS.ProcessEnv) => {
      const clean: NodeJS.ProcessEnv = { ...process.env, HOME: home };
      delete clean.SSH_AUTH_SOCK;
      return execFileAsync(tools.paths[tool]!, args, {
        env: { ...clean, ...env },
        timeout: 30_000,
      });
    };
    const sshAddList = async (): Promise<string> => {
      try {
        return (await run('ssh-add', ['-l'], { SSH_AUTH_SOCK: agentSocket })).stdout;
      } catch (error) {
        const stdout = (error as { stdout?: string }).stdout ?? '';
        if (stdout.includes('no identities')) return '';
        throw error;
      }
    };
    const handoff = (env: NodeJS.ProcessEnv, now?: () => Date) =>
      new OpenSshHandoff({ homeDir: home, dataDir, env, ...(now ? { now } : {}) });
    /**
     * OpenSSH passes `-F <file>` unquoted to the ProxyJump command line, so a config path with a
     * space breaks the jump: -F gets a link without one (the paths inside the config keep theirs).
     */
    const noSpace = (config: string) => {
      const link = path.join(
        dir,
        `link-${path.basename(path.dirname(config))}-${path.basename(config)}`,
      );
      rmSync(link, { force: true });
      symlinkSync(config, link);
      return link;
    };
    const sshTrue = (config: string, env: NodeJS.ProcessEnv) =>
      run('ssh', ['-F', noSpace(config), '-o', 'BatchMode=yes', 'hpc-login', 'echo', 'hello'], env);
    const scpFile = async (config: string, env: NodeJS.ProcessEnv, name: string) => {
      const source = path.join(dir, `${name}.txt`);
      const destination = path.join(dir, `${name}.copied`);
      writeFileSync(source, `payload ${name}\n`);
      await run(
        'scp',
        ['-F', noSpace(config), '-o', 'BatchMode=yes', source, `hpc-login:${destination}`],
        env,
      );
      return readFileSync(destination, 'utf8');
    };

    beforeAll(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-handoff-'));
      home = path.join(dir, 'home dir');
      dataDir = path.join(dir, 'data');
      mkdirSync(home);
      mkdirSync(dataDir);
      userCa = await generateKey(dir, 'user_ca');
      hostCa = await generateKey(dir, 'host_ca');
      const certOnly = {
        authorizedKeysFile: 'none',
        trustedUserCaKeys: [userCa.publicKey],
        hostCa,
        // Only the certificate is offered: the client must verify it with @cert-authority.
        extraConfig: ['HostKeyAlgorithms ssh-ed25519-cert-v01@openssh.com'],
      };
      jump = await startSshd(certOnly);
      target = await startSshd(certOnly);

      const user = await generateKey(dir, 'id_user');
      const cert = await signUserKey({
        ca: userCa,
        publicKeyPath: user.publicKeyPath,
        principals: ['root', '-teleport-internal-join'],
        identity: 'alice',
      });
      credentials = {
        issuer: 'teleport',
        username: 'alice',
        privateKeyPem: readFileSync(user.privateKeyPath, 'utf8'),
        certificate: cert.certificate,
        hostSigners: [
          { clusterName: 'lab-cluster', checkingKeys: [hostCa.publicKey], tlsCerts: [] },
        ],
        obtainedAt: new Date().toISOString(),
      };
      // The key exists only in the vault record from here on.
      rmSync(user.privateKeyPath);
      site = TeleportSiteSchema.parse({
        kind: 'teleport',
        name: 'lab',
        proxy: { host: '127.0.0.1', webPort: 3080, sshPort: jump.port },
        hostPatterns: ['hpc-*'],
      });
      hosts = [
        HostSchema.parse({
          name: 'hpc-login',
          hostName: '127.0.0.1',
          port: target.port,
          site: 'lab',
        }),
      ];

      agentSocket = path.join(dir, 'agent.sock');
      agent = spawn(tools.paths['ssh-agent']!, ['-D', '-a', agentSocket], { stdio: 'ignore' });
      for (let i = 0; i < 100 && !existsSync(agentSocket); i++) await sleep(50);
      if (!existsSync(agentSocket)) throw new Error('ssh-agent did not create its socket');
    }, 60_000);

    afterAll(async () => {
      await jump?.stop();
      await target?.stop();
      if (agent?.pid !== undefined && agent.exitCode === null) {
        const exited = new Promise((resolve) => agent.once('exit', resolve));
        process.kill(agent.pid, 'SIGTERM');
        await Promise.race([exited, sleep(5_000)]);
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const input = () => ({
      site,
      credentials,
      proxySshAddress: { host: '127.0.0.1', port: jump.port },
      hosts,
    });

    it('agent mode: ssh and scp through the certificate-only jump with no key file on disk', async () => {
      const env = { SSH_AUTH_SOCK: agentSocket };
      const result = await handoff(env).apply({ ...input(), mode: 'auto' });
      expect(result.mode).toBe('agent');
      expect(result.lifetimeSeconds).toBeGreaterThan(3500);
      expect(existsSync(path.join(home, '.ssh', 'onehop', 'lab', 'id'))).toBe(false);
      expect(await sshAddList()).toContain('onehop:lab:alice (ED25519-CERT)');

      const { stdout } = await sshTrue(result.configPath, env);
      expect(stdout.trim()).toBe('hello');
      expect(await scpFile(result.configPath, env, 'agent')).toBe('payload agent\n');
      // The jump was really used: the target saw a connection from the jump's forwarding.
      expect(jump.logs()).toMatch(/Accepted certificate ID "alice"/);
      expect(target.logs()).toMatch(/Accepted certificate ID "alice"/);
    }, 60_000);

    it('the generated config passes ssh -G with the expected values', async () => {
      const config = path.join(home, '.ssh', 'onehop', 'config');
      const { stdout } = await run('ssh', ['-G', '-F', config, 'hpc-login'], {});
      const values = new Map(
        stdout.split('\n').map((line) => [line.split(' ')[0]!, line.slice(line.indexOf(' ') + 1)]),
      );
      expect(values.get('hostname')).toBe('127.0.0.1');
      expect(values.get('port')).toBe(String(target.port));
      expect(values.get('user')).toBe('root');
      expect(values.get('proxyjump')).toBe(`[127.0.0.1]:${jump.port}`);
      expect(values.get('identitiesonly')).toBe('yes');
      expect(values.get('userknownhostsfile')).toBe(
        path.join(home, '.ssh', 'onehop', 'known_hosts'),
      );
      expect(values.get('serveraliveinterval')).toBe('60');
      // A host pattern of the site gets the jump too.
      const pattern = await run('ssh', ['-G', '-F', config, 'hpc-other'], {});
      expect(pattern.stdout).toContain(`proxyjump [127.0.0.1]:${jump.port}\n`);
    });

    it('removes the agent entry and the site on sign-out', async () => {
      const env = { SSH_AUTH_SOCK: agentSocket };
      const removed = await handoff(env).remove('lab');
      expect(removed.agentEntriesRemoved).toBe(1);
      expect(await sshAddList()).not.toContain('onehop:lab:');
      expect(readFileSync(path.join(home, '.ssh', 'onehop', 'config'), 'utf8')).not.toContain(
        'lab',
      );
      expect(readFileSync(path.join(home, '.ssh', 'onehop', 'known_hosts'), 'utf8')).not.toContain(
        '@cert-authority',
      );
      expect(existsSync(path.join(home, '.ssh', 'onehop', 'lab'))).toBe(false);
    });

    it('the agent forgets the key when the certificate lifetime runs out', async () => {
      const validBefore = parseCertificateLine(credentials.certificate).validBefore!.getTime();
      const env = { SSH_AUTH_SOCK: agentSocket };
      const result = await handoff(env, () => new Date(validBefore - 2_500)).apply({
        ...input(),
        mode: 'agent',
      });
      expect(result.lifetimeSeconds).toBe(2);
      expect(await sshAddList()).toContain('onehop:lab:alice');
      const deadline = Date.now() + 5_000;
      let listed = await sshAddList();
      while (listed.includes('onehop:lab:') && Date.now() < deadline) {
        await sleep(200);
        listed = await sshAddList();
      }
      expect(listed).not.toContain('onehop:lab:');
    }, 15_000);

    it('file mode: ssh and scp with the key and certificate files', async () => {
      const result = await handoff({}).apply({ ...input(), mode: 'auto' });
      expect(result.mode).toBe('file');
      expect(result.notice).toMatch(/No ssh-agent is running/);
      const idDir = path.join(home, '.ssh', 'onehop', 'lab');
      expect(statSync(idDir).mode & 0o777).toBe(0o700);
      expect(statSync(path.join(idDir, 'id')).mode & 0o777).toBe(0o600);
      expect(statSync(path.join(idDir, 'id-cert.pub')).mode & 0o777).toBe(0o600);
      expect(statSync(result.knownHostsPath).mode & 0o777).toBe(0o600);
      expect(readFileSync(path.join(idDir, 'id'), 'utf8')).toContain('BEGIN OPENSSH PRIVATE KEY');

      const { stdout } = await sshTrue(result.configPath, {});
      expect(stdout.trim()).toBe('hello');
      expect(await scpFile(result.configPath, {}, 'file')).toBe('payload file\n');
    }, 60_000);

    it('reaches the host through an installed Include in the user config', async () => {
      const userConfig = path.join(home, '.ssh', 'config');
      const original = 'Host elsewhere\n  HostName 192.0.2.1\n  User bob\n';
      writeFileSync(userConfig, original, { mode: 0o644 });
      const h = handoff({});
      const installed = await h.installInclude();
      expect(installed.changed).toBe(true);
      expect(readFileSync(installed.backupPath!, 'utf8')).toBe(original);
      expect(statSync(userConfig).mode & 0o777).toBe(0o644);
      const { stdout } = await sshTrue(userConfig, {});
      expect(stdout.trim()).toBe('hello');
      const elsewhere = await run('ssh', ['-G', '-F', userConfig, 'elsewhere'], {});
      expect(elsewhere.stdout).toContain('user bob\n');
      expect((await h.removeInclude()).changed).toBe(true);
      expect(readFileSync(userConfig, 'utf8')).toBe(original);
    }, 30_000);
  },
);
