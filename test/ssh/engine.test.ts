/**
 * The SSH engine against real OpenSSH servers: certificate logins, the host key policy (host
 * certificates, known_hosts, prompts), local certificate checks, jump hosts and plain errors.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parsePublicKeyLine, type SshPublicKey } from '../../src/main/core/credentials/sshKeys';
import {
  connectSsh,
  connectThroughJump,
  parseKnownHosts,
  SshError,
  type ConnectOptions,
  type HostKeyPolicy,
  type SshCredentials,
} from '../../src/main/core/ssh';
import { freePort, generateKey, startSshd, type KeyPair, type SshdServer } from '../support/sshd';
import { certificateCredentials } from '../support/sshSite';
import { requireTools } from '../support/tools';

const execFileAsync = promisify(execFile);
const tools = requireTools(['sshd', 'ssh-keygen']);
const CERT_ONLY = 'HostKeyAlgorithms ssh-ed25519-cert-v01@openssh.com';

/** The vault stores PKCS#8: hand the engine that, not ssh-keygen's OpenSSH file. */
function credentialsFor(
  key: KeyPair,
  validity?: string,
  ca: KeyPair = userCa,
): Promise<SshCredentials> {
  return certificateCredentials({ ca, key, ...(validity ? { validity } : {}) });
}

let userCa: KeyPair;

async function expectSshError(promise: Promise<unknown>, code: string): Promise<SshError> {
  const error: unknown = await promise.then(
    () => new Error('expected the connection to fail'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SshError);
  expect((error as SshError).code, (error as Error).message).toBe(code);
  return error as SshError;
}

describe.skipIf(tools.skip)(`SSH engine against OpenSSH${tools.marker}`, () => {
  let dir = '';
  let hostCaKey: SshPublicKey;
  let otherCaKey: SshPublicKey;
  let credentials: SshCredentials;
  let expired: SshCredentials;
  let foreign: SshCredentials;
  let certJump: SshdServer;
  let plainHost: SshdServer;
  let closedJump: SshdServer;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-ssh-engine-'));
    const [ca, hostCa, otherCa, userKey, expiredKey, foreignKey] = await Promise.all([
      generateKey(dir, 'user_ca'),
      generateKey(dir, 'host_ca'),
      generateKey(dir, 'other_ca'),
      generateKey(dir, 'id_user'),
      generateKey(dir, 'id_expired', 'ecdsa'),
      generateKey(dir, 'id_foreign', 'rsa'),
    ]);
    userCa = ca;
    hostCaKey = parsePublicKeyLine(hostCa.publicKey);
    otherCaKey = parsePublicKeyLine(otherCa.publicKey);
    [credentials, expired, foreign] = await Promise.all([
      credentialsFor(userKey),
      credentialsFor(expiredKey, '-2h:-1h'),
      credentialsFor(foreignKey, undefined, otherCa),
    ]);
    const common = { trustedUserCaKeys: [userCa.publicKey], authorizedKeysFile: 'none' };
    [certJump, plainHost, closedJump] = await Promise.all([
      startSshd({ ...common, hostCa, extraConfig: [CERT_ONLY] }),
      startSshd(common),
      // Its host certificate names another host: refused even though the CA is trusted.
      startSshd({
        ...common,
        hostCa,
        hostCertificatePrincipals: ['elsewhere.example'],
        extraConfig: [CERT_ONLY, 'AllowTcpForwarding no'],
      }),
    ]);
  }, 30_000);

  afterAll(async () => {
    await Promise.all([certJump?.stop(), plainHost?.stop(), closedJump?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function options(
    server: { host: string; port: number },
    hostKeys: Partial<HostKeyPolicy> = {},
    extra: Partial<ConnectOptions> = {},
  ): ConnectOptions {
    return {
      host: server.host,
      port: server.port,
      username: 'root',
      credentials,
      hostKeys: { trustedCas: [], knownHosts: [], ...hostKeys },
      readyTimeoutMs: 10_000,
      ...extra,
    };
  }

  const known = (...lines: string[]) => parseKnownHosts(lines.join('\n')).entries;

  it('logs in with a user certificate and accepts a host certificate from the trusted CA', async () => {
    const connection = await connectSsh(options(certJump, { trustedCas: [hostCaKey] }));
    try {
      expect(connection.hostKey.kind).toBe('certificate');
      expect((await connection.exec('echo ok')).stdout).toBe('ok\n');
    } finally {
      await connection.close();
    }
  });

  it('judges a host certificate from an unknown CA by its plain key in known_hosts', async () => {
    const connection = await connectSsh(
      options(certJump, { trustedCas: [otherCaKey], knownHosts: known(certJump.knownHostsLine()) }),
    );
    expect(connection.hostKey.kind).toBe('known');
    await connection.close();
    const error = await expectSshError(
      connectSsh(options(certJump, { trustedCas: [otherCaKey] })),
      'host-ca-not-trusted',
    );
    expect(error.message).toMatch(/not one of the site's host CAs/);
  });

  it('asks about an unknown key with its SHA256 fingerprint; reject refuses', async () => {
    const { stdout } = await execFileAsync('ssh-keygen', [
      '-l',
      '-f',
      `${plainHost.hostKeyPath}.pub`,
    ]);
    const fingerprint = stdout.split(/\s+/)[1];
    const onUnknownKey = vi.fn(() => Promise.resolve('reject' as const));
    await expectSshError(connectSsh(options(plainHost, { onUnknownKey })), 'host-key-rejected');
    expect(onUnknownKey).toHaveBeenCalledWith({
      host: '127.0.0.1',
      port: plainHost.port,
      keyType: 'ssh-ed25519',
      fingerprint,
    });
  });

  it('returns a known_hosts line on remember that ssh-keygen -F finds', async () => {
    const connection = await connectSsh(
      options(plainHost, { onUnknownKey: () => Promise.resolve('remember') }),
    );
    await connection.close();
    expect(connection.hostKey.kind).toBe('remembered');
    const file = path.join(dir, 'known_hosts_remembered');
    writeFileSync(file, `${connection.hostKey.rememberLine ?? ''}\n`);
    const { stdout } = await execFileAsync('ssh-keygen', [
      '-F',
      `[127.0.0.1]:${String(plainHost.port)}`,
      '-f',
      file,
    ]);
    expect(stdout).toContain(plainHost.hostPublicKey);
    const again = await connectSsh(options(plainHost, { knownHosts: known(stdout) }));
    expect(again.hostKey.kind).toBe('known');
    await again.close();
  });

  it('refuses an unknown key without a prompt, a changed key and a revoked key', async () => {
    const unknown = await expectSshError(connectSsh(options(plainHost)), 'host-key-unknown');
    expect(unknown.message).toMatch(/--accept-new-host-key/);
    const other = parsePublicKeyLine(readFileSync(`${certJump.hostKeyPath}.pub`, 'utf8'));
    const changedLine = `[127.0.0.1]:${String(plainHost.port)} ${other.type} ${other.blob.toString('base64')}`;
    const changed = await expectSshError(
      connectSsh(options(plainHost, { knownHosts: known(changedLine) })),
      'host-key-changed',
    );
    expect(changed.message).toMatch(/has changed.*intercepting the connection.*reinstalled/);
    await expectSshError(
      connectSsh(
        options(plainHost, {
          knownHosts: known(plainHost.knownHostsLine(), `@revoked ${plainHost.knownHostsLine()}`),
          onUnknownKey: () => Promise.resolve('once'),
        }),
      ),
      'host-key-revoked',
    );
  });

  it('refuses an expired certificate and a login outside its principals before connecting', async () => {
    // Port 1 is closed: any attempt to connect would fail as "unreachable" instead.
    const nowhere = { host: '127.0.0.1', port: 1 };
    const error = await expectSshError(
      connectSsh(options(nowhere, {}, { credentials: expired })),
      'certificate-expired',
    );
    expect(error.message).toMatch(/expired at \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    const login = await expectSshError(
      connectSsh(options(nowhere, {}, { username: 'alice' })),
      'login-not-in-principals',
    );
    expect(login.message).toMatch(/"alice".*\(root\)/);
  });

  it('reaches a target through a jump with certificates on both hops', async () => {
    const jumped = await connectThroughJump({
      jump: options(certJump, { trustedCas: [hostCaKey] }),
      target: options(plainHost, { knownHosts: known(plainHost.knownHostsLine()) }),
    });
    try {
      expect(jumped.jump.hostKey.kind).toBe('certificate');
      expect(jumped.target.hostKey.kind).toBe('known');
      expect((await jumped.target.exec('echo ok')).stdout).toBe('ok\n');
      await jumped.target.close();
      // The jump connection is left open for other targets.
      expect((await jumped.jump.exec('echo still')).stdout).toBe('still\n');
    } finally {
      await jumped.close();
    }
  });

  it('says which hop failed when the jump forbids port forwarding', async () => {
    const error = await expectSshError(
      connectThroughJump({
        jump: options(closedJump, {
          trustedCas: [otherCaKey],
          knownHosts: known(closedJump.knownHostsLine()),
        }),
        target: options(plainHost, { knownHosts: known(plainHost.knownHostsLine()) }),
      }),
      'forwarding-refused',
    );
    expect(error.hop).toBe('jump');
    expect(error.message).toContain(`jump host 127.0.0.1:${String(closedJump.port)}`);
    expect(error.message).toMatch(/does not permit port forwarding/);
  });

  it('refuses a host certificate from the trusted CA that names another host', async () => {
    const error = await expectSshError(
      connectSsh(options(closedJump, { trustedCas: [hostCaKey] })),
      'host-certificate-refused',
    );
    expect(error.message).toMatch(/127\.0\.0\.1/);
  });

  it('says the jump could not reach a target where nothing listens', async () => {
    const port = await freePort();
    const error = await expectSshError(
      connectThroughJump({
        jump: options(certJump, { trustedCas: [hostCaKey] }),
        target: options({ host: '127.0.0.1', port }),
      }),
      'unreachable',
    );
    expect(error.hop).toBe('jump');
    expect(error.message).toContain(`could not connect to 127.0.0.1:${String(port)}`);
  });

  it('explains a certificate the server refuses', async () => {
    const error = await expectSshError(
      connectSsh(
        options(
          plainHost,
          { knownHosts: known(plainHost.knownHostsLine()) },
          { credentials: foreign },
        ),
      ),
      'auth-refused',
    );
    expect(error.message).toMatch(/refused the certificate/);
  });

  it('times out a server that never completes the handshake', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      await expectSshError(
        connectSsh(options({ host: '127.0.0.1', port }, {}, { readyTimeoutMs: 300 })),
        'handshake-timeout',
      );
    } finally {
      silent.close();
    }
  });

  it('names host:port when nothing listens there', async () => {
    const port = await freePort();
    const error = await expectSshError(
      connectSsh(options({ host: '127.0.0.1', port })),
      'unreachable',
    );
    expect(error.message).toContain(`127.0.0.1:${String(port)}`);
    expect(error.message).toMatch(/refused the connection/);
  });
});
