import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey, signUserKey, startSshd, type KeyPair, type SshdServer } from './sshd';
import { requireTools } from './tools';

const execFileAsync = promisify(execFile);
const tools = requireTools(['sshd', 'ssh', 'ssh-keygen', 'ssh-keyscan']);

/** Runs `echo ok` over a real OpenSSH client that trusts only `knownHosts`. */
async function sshEcho(
  server: SshdServer,
  identity: string,
  knownHosts: string,
  extra: string[] = [],
): Promise<string> {
  const { stdout } = await execFileAsync(
    'ssh',
    [
      '-F',
      'none',
      '-p',
      String(server.port),
      '-i',
      identity,
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      `UserKnownHostsFile=${knownHosts}`,
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-o',
      'ConnectTimeout=10',
      ...extra,
      `root@${server.host}`,
      'echo ok',
    ],
    { timeout: 20_000 },
  );
  return stdout.trim();
}

describe.skipIf(tools.skip)(`sshd launcher (real OpenSSH)${tools.marker}`, () => {
  let dir: string;
  let userKey: KeyPair;
  let ca: KeyPair;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-sshd-test-'));
    [userKey, ca] = await Promise.all([generateKey(dir, 'user'), generateKey(dir, 'user_ca')]);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the generated host key (ssh-keyscan) and logs in with an authorized key', async () => {
    const server = await startSshd({ authorizedKeys: [userKey.publicKey] });
    try {
      const { stdout } = await execFileAsync(
        'ssh-keyscan',
        ['-p', String(server.port), '-t', 'ed25519', server.host],
        { timeout: 15_000 },
      );
      const scanned = stdout
        .split('\n')
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => line.split(/\s+/).slice(1, 3).join(' '));
      expect(scanned).toEqual([server.hostPublicKey]);

      const knownHosts = path.join(dir, 'known_hosts_plain');
      writeFileSync(knownHosts, `${server.knownHostsLine()}\n`);
      expect(await sshEcho(server, userKey.privateKeyPath, knownHosts)).toBe('ok');
      expect(server.logs()).toMatch(/Accepted publickey for root/);
    } finally {
      await server.stop();
    }
    expect(existsSync(server.dir)).toBe(false);
    expect(() => process.kill(server.pid, 0)).toThrow();
  });

  it('logs in with a CA-signed user certificate and refuses a wrong principal', async () => {
    const server = await startSshd({
      authorizedKeysFile: 'none',
      trustedUserCaKeys: [ca.publicKey],
    });
    try {
      const knownHosts = path.join(dir, 'known_hosts_cert');
      writeFileSync(knownHosts, `${server.knownHostsLine()}\n`);

      await signUserKey({ ca, publicKeyPath: userKey.publicKeyPath, principals: ['root'] });
      expect(await sshEcho(server, userKey.privateKeyPath, knownHosts)).toBe('ok');
      expect(server.logs()).toMatch(/Accepted publickey for root .*ED25519-CERT/);

      // Same key, certificate for someone else: sshd must refuse it.
      await signUserKey({ ca, publicKeyPath: userKey.publicKeyPath, principals: ['alice'] });
      await expect(sshEcho(server, userKey.privateKeyPath, knownHosts)).rejects.toThrow(
        /Permission denied/,
      );
    } finally {
      await server.stop();
    }
  });

  it('serves a host certificate trusted through @cert-authority', async () => {
    // A fresh key: `userKey` has a certificate beside it that ssh would offer first.
    const [hostCa, plain] = await Promise.all([
      generateKey(dir, 'host_ca'),
      generateKey(dir, 'plain_user'),
    ]);
    const server = await startSshd({ hostCa, authorizedKeys: [plain.publicKey] });
    try {
      expect(server.hostCertificatePath).toBeDefined();
      // Only the CA is trusted, not the host key itself.
      const knownHosts = path.join(dir, 'known_hosts_ca');
      writeFileSync(
        knownHosts,
        `@cert-authority [${server.host}]:${server.port} ${hostCa.publicKey}\n`,
      );
      expect(await sshEcho(server, plain.privateKeyPath, knownHosts)).toBe('ok');
    } finally {
      await server.stop();
    }
  });

  it('lets extra config override the defaults', async () => {
    const server = await startSshd({ extraConfig: ['AllowTcpForwarding no'] });
    try {
      const { stdout } = await execFileAsync('/usr/sbin/sshd', ['-T', '-f', server.configPath], {
        timeout: 15_000,
      });
      expect(stdout).toMatch(/^allowtcpforwarding no$/m);
      expect(stdout).toMatch(/^permitrootlogin yes$/m);
    } finally {
      await server.stop();
    }
  });

  it('reports sshd errors with its log', async () => {
    await expect(startSshd({ extraConfig: ['NoSuchOption yes'] })).rejects.toThrow(
      /sshd did not start: .*NoSuchOption/s,
    );
  });
});
