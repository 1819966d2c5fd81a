/**
 * The ssh2 patch (patches/ssh2+1.17.0.patch, applied by patch-package on `npm install`):
 * OpenSSH user-certificate authentication and host-certificate key exchange, checked against a
 * real OpenSSH sshd that, like a Teleport proxy, offers only host certificates and accepts only
 * CA-signed user certificates (RSA with SHA-1 disabled).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseCertificateBlob,
  parseCertificateLine,
  publicKeysEqual,
  type SshCertificate,
} from '../../src/main/core/credentials/sshKeys';
import {
  generateKey,
  signHostKey,
  signUserKey,
  startSshd,
  type KeyPair,
  type SshdServer,
} from '../support/sshd';
import { requireTools } from '../support/tools';

const require = createRequire(import.meta.url);
const execFileAsync = promisify(execFile);

const PATCH_MARKER = 'onehop-patch: openssh-certificates';
const NOT_PATCHED =
  'ssh2 is not patched: run npm install (patch-package applies patches/ssh2+1.17.0.patch ' +
  'in the postinstall script); without it certificates and Teleport proxies do not work.';

const CERT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519-cert-v01@openssh.com',
  'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521-cert-v01@openssh.com',
  'rsa-sha2-512-cert-v01@openssh.com',
  'rsa-sha2-256-cert-v01@openssh.com',
];

// ssh2 ships no types (and the patched options are ours): the small surface used here.
interface Ssh2Stream {
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'close', listener: (code: number | null) => void): this;
  stderr: { on(event: 'data', listener: (chunk: Buffer) => void): unknown };
}
interface Ssh2Client {
  on(event: 'ready', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  exec(command: string, callback: (error: Error | undefined, stream: Ssh2Stream) => void): void;
  end(): void;
}
type Ssh2ClientClass = new () => Ssh2Client & { connect(config: object): void };

function loadSsh2(): { Client: Ssh2ClientClass; certHostKeys: readonly string[] } {
  const ssh2 = require('ssh2') as { Client: Ssh2ClientClass };
  const constants = require('ssh2/lib/protocol/constants.js') as {
    CERT_SERVER_HOST_KEY?: readonly string[];
  };
  return { Client: ssh2.Client, certHostKeys: constants.CERT_SERVER_HOST_KEY ?? [] };
}

describe('ssh2 patch', () => {
  it("has ssh2's native crypto binding built (in CI; the pure-JS fallback is 5-6x slower)", async () => {
    const { ssh2NativeCryptoAvailable } = await import('../../src/main/core/ssh');
    if (!process.env.CI && !ssh2NativeCryptoAvailable()) {
      console.warn(
        'ssh2 native crypto is not built here (no compiler?); the app says so in Settings.',
      );
      return;
    }
    expect(ssh2NativeCryptoAvailable()).toBe(true);
  });

  it('is applied to the pinned ssh2 1.17.0', () => {
    const pkg = JSON.parse(readFileSync(require.resolve('ssh2/package.json'), 'utf8')) as {
      version?: unknown;
    };
    expect(pkg.version, 'the patch is made for ssh2 1.17.0; pin it in package.json').toBe('1.17.0');
    const constants = readFileSync(require.resolve('ssh2/lib/protocol/constants.js'), 'utf8');
    if (!constants.includes(PATCH_MARKER)) throw new Error(NOT_PATCHED);
    expect(loadSsh2().certHostKeys, NOT_PATCHED).toEqual(CERT_HOST_KEY_ALGORITHMS);
  });

  it('tops the channel window up after three packets, as OpenSSH does (sender never stalls)', () => {
    const channel = require('ssh2/lib/Channel.js') as {
      MAX_WINDOW: number;
      PACKET_SIZE: number;
      WINDOW_THRESHOLD: number;
    };
    expect(channel.WINDOW_THRESHOLD, NOT_PATCHED).toBe(
      channel.MAX_WINDOW - 3 * channel.PACKET_SIZE,
    );
  });

  it('refuses a certificate that does not certify the private key', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-ssh2-patch-'));
    try {
      const ca = await generateKey(dir, 'ca');
      const key = await generateKey(dir, 'id_a');
      const other = await generateKey(dir, 'id_b');
      const cert = await signUserKey({ ca, publicKeyPath: other.publicKeyPath, principals: ['x'] });
      const { Client } = loadSsh2();
      expect(() => {
        new Client().connect({
          host: '127.0.0.1',
          port: 1,
          username: 'x',
          privateKey: readFileSync(key.privateKeyPath),
          certificate: cert.certificate,
        });
      }).toThrow(/certificate does not certify this private key/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const tools = requireTools(['sshd', 'ssh-keygen']);

interface UserKey {
  name: string;
  key: KeyPair;
  certificate: string;
}

/** ssh-keygen with a key size (generateKey only makes the default sizes). */
async function generateSizedKey(dir: string, name: string, type: string, bits: number) {
  const file = path.join(dir, name);
  await execFileAsync(
    'ssh-keygen',
    ['-q', '-t', type, '-b', String(bits), '-N', '', '-C', name, '-f', file],
    { timeout: 30_000 },
  );
  const publicKey = readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  return { privateKeyPath: file, publicKeyPath: `${file}.pub`, publicKey };
}

describe.skipIf(tools.skip)(`ssh2 patch against OpenSSH certificates${tools.marker}`, () => {
  let dir = '';
  let hostCa: KeyPair;
  let userKeys: UserKey[] = [];
  let server: SshdServer | undefined;
  let rsa256Server: SshdServer | undefined;
  // Extra host keys (the default one is ed25519), each served with a host certificate.
  const hostKeyTypes = ['ecdsa', 'rsa'] as const;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-ssh2-patch-'));
    hostCa = await generateKey(dir, 'host_ca');
    const userCa = await generateKey(dir, 'user_ca');
    const keys: Array<[string, Promise<KeyPair>]> = [
      ['ed25519', generateKey(dir, 'id_ed25519')],
      ['ecdsa-p256', generateKey(dir, 'id_ecdsa256', 'ecdsa')],
      ['ecdsa-p384', generateSizedKey(dir, 'id_ecdsa384', 'ecdsa', 384)],
      ['ecdsa-p521', generateSizedKey(dir, 'id_ecdsa521', 'ecdsa', 521)],
      ['rsa', generateKey(dir, 'id_rsa', 'rsa')],
    ];
    userKeys = await Promise.all(
      keys.map(async ([name, pending]) => {
        const key = await pending;
        const cert = await signUserKey({
          ca: userCa,
          publicKeyPath: key.publicKeyPath,
          principals: ['root'],
        });
        return { name, key, certificate: cert.certificate };
      }),
    );
    const hostKeyLines: string[] = [];
    for (const type of hostKeyTypes) {
      const key = await generateKey(dir, `ssh_host_${type}_key`, type);
      const cert = await signHostKey({ ca: hostCa, publicKeyPath: key.publicKeyPath });
      hostKeyLines.push(`HostKey ${key.privateKeyPath}`, `HostCertificate ${cert.certificatePath}`);
    }
    const common = {
      trustedUserCaKeys: [userCa.publicKey],
      authorizedKeysFile: 'none',
      hostCa,
    };
    // Host certificates only, like a Teleport proxy; SHA-1 RSA signatures refused.
    server = await startSshd({
      ...common,
      extraConfig: [
        `HostKeyAlgorithms ${CERT_HOST_KEY_ALGORITHMS.filter((a) => !a.includes('384') && !a.includes('521')).join(',')}`,
        'PubkeyAcceptedAlgorithms -ssh-rsa*',
        ...hostKeyLines,
      ],
    });
    // Only rsa-sha2-256 certificates: the client must fall back from rsa-sha2-512.
    rsa256Server = await startSshd({
      ...common,
      extraConfig: [
        'HostKeyAlgorithms ssh-ed25519-cert-v01@openssh.com',
        'PubkeyAcceptedAlgorithms rsa-sha2-256-cert-v01@openssh.com',
      ],
    });
  });

  afterAll(async () => {
    await server?.stop();
    await rsa256Server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  interface RunResult {
    output: string;
    hostKeys: Buffer[];
  }

  /** Connects with a certificate, runs `echo ok`, and returns stdout and the verified host keys. */
  function run(target: SshdServer, config: Record<string, unknown>): Promise<RunResult> {
    const { Client } = loadSsh2();
    const hostKeys: Buffer[] = [];
    return new Promise<RunResult>((resolve, reject) => {
      const client = new Client();
      const timer = setTimeout(() => {
        client.end();
        reject(new Error(`no answer within 15 s; sshd log:\n${target.logs()}`));
      }, 15_000);
      const fail = (error: Error) => {
        clearTimeout(timer);
        client.end();
        reject(new Error(`${error.message}; sshd log:\n${target.logs().slice(-2000)}`));
      };
      client.on('error', fail);
      client.on('ready', () => {
        client.exec('echo ok', (error, stream) => {
          if (error) return fail(error);
          let output = '';
          stream.on('data', (chunk) => (output += chunk.toString('utf8')));
          stream.stderr.on('data', () => undefined);
          stream.on('close', () => {
            clearTimeout(timer);
            client.end();
            resolve({ output, hostKeys });
          });
        });
      });
      client.connect({
        host: target.host,
        port: target.port,
        readyTimeout: 10_000,
        hostVerifier: (key: Buffer) => {
          hostKeys.push(key);
          return true;
        },
        ...config,
      });
    });
  }

  function expectHostCertificate(blob: Buffer | undefined, certType: string): SshCertificate {
    expect(blob, 'hostVerifier was not called').toBeInstanceOf(Buffer);
    const cert = parseCertificateBlob(blob as Buffer);
    expect(cert.certType).toBe(certType);
    expect(cert.type).toBe('host');
    expect(cert.principals).toContain('127.0.0.1');
    const expected = parseCertificateLine(hostCertLine());
    expect(publicKeysEqual(cert.signatureKey, expected.signatureKey), 'signed by the host CA').toBe(
      true,
    );
    return cert;
  }

  function hostCertLine(): string {
    return readFileSync(server?.hostCertificatePath ?? '', 'utf8');
  }

  function userKey(name: string): UserKey {
    const found = userKeys.find((entry) => entry.name === name);
    if (!found) throw new Error(`no test key ${name}`);
    return found;
  }

  it.each(['ed25519', 'ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521', 'rsa'])(
    'logs in with an %s user certificate (privateKey + certificate)',
    async (name) => {
      const { key, certificate } = userKey(name);
      const result = await run(server as SshdServer, {
        username: 'root',
        privateKey: readFileSync(key.privateKeyPath),
        certificate,
        algorithms: { serverHostKey: CERT_HOST_KEY_ALGORITHMS },
      });
      expect(result.output).toBe('ok\n');
      const cert = expectHostCertificate(result.hostKeys[0], 'ssh-ed25519-cert-v01@openssh.com');
      expect(cert.publicKey.blob.equals(parseCertificateLine(hostCertLine()).publicKey.blob)).toBe(
        true,
      );
      if (name === 'rsa') {
        expect((server as SshdServer).logs()).toMatch(/Accepted publickey .*RSA-CERT/);
      }
    },
  );

  it('logs in through authHandler with { type: publickey, key, certificate }', async () => {
    const { key, certificate } = userKey('ecdsa-p256');
    const blob = parseCertificateLine(certificate).blob;
    const result = await run(server as SshdServer, {
      username: 'root',
      authHandler: [
        {
          type: 'publickey',
          username: 'root',
          key: readFileSync(key.privateKeyPath),
          certificate: blob,
        },
      ],
      algorithms: { serverHostKey: CERT_HOST_KEY_ALGORITHMS },
    });
    expect(result.output).toBe('ok\n');
  });

  it.each([
    ['ecdsa-sha2-nistp256-cert-v01@openssh.com'],
    ['rsa-sha2-512-cert-v01@openssh.com'],
    ['rsa-sha2-256-cert-v01@openssh.com'],
  ])('verifies the key exchange with a %s host certificate', async (algorithm) => {
    const { key, certificate } = userKey('ed25519');
    const result = await run(server as SshdServer, {
      username: 'root',
      privateKey: readFileSync(key.privateKeyPath),
      certificate,
      algorithms: { serverHostKey: [algorithm] },
    });
    expect(result.output).toBe('ok\n');
    const blobType = algorithm.startsWith('rsa-sha2-') ? 'ssh-rsa-cert-v01@openssh.com' : algorithm;
    expectHostCertificate(result.hostKeys[0], blobType);
  });

  it('falls back from rsa-sha2-512 to rsa-sha2-256 for an RSA certificate', async () => {
    const { key, certificate } = userKey('rsa');
    const result = await run(rsa256Server as SshdServer, {
      username: 'root',
      privateKey: readFileSync(key.privateKeyPath),
      certificate,
      algorithms: { serverHostKey: { prepend: CERT_HOST_KEY_ALGORITHMS } },
    });
    expect(result.output).toBe('ok\n');
    expect((rsa256Server as SshdServer).logs()).toMatch(/Accepted publickey .*RSA-CERT/);
  });

  it('keeps the defaults: without the cert algorithms a certificate-only server is refused', async () => {
    const { key, certificate } = userKey('ed25519');
    await expect(
      run(server as SshdServer, {
        username: 'root',
        privateKey: readFileSync(key.privateKeyPath),
        certificate,
      }),
    ).rejects.toThrow(/no matching host key format/);
  });
});
