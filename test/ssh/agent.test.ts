/**
 * The ssh-agent client against OpenSSH's real ssh-agent: keys with certificates go in with a
 * comment and a lifetime, `ssh-add -l` and plain `ssh` see and use them, and they leave again
 * (by prefix, and when the lifetime runs out). A fake agent covers refusals and bad replies.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateKeyPair,
  parseCertificateLine,
  parsePrivateKey,
} from '../../src/main/core/credentials/sshKeys';
import { AgentError, createAgentClient, type AgentClient } from '../../src/main/core/ssh/agent';
import {
  generateKey,
  signUserKey,
  startSshd,
  type KeyPair,
  type SshdServer,
} from '../support/sshd';
import { requireTools } from '../support/tools';

const execFileAsync = promisify(execFile);
const tools = requireTools(['ssh-agent', 'ssh-add', 'ssh-keygen', 'ssh', 'sshd']);
const keygenTools = requireTools(['ssh-keygen']);
const COMMENT = 'onehop:lab:alice';

interface TestKey {
  label: string;
  /** What `ssh-add -l` prints in brackets. */
  listed: string;
  privateKeyPem: string;
  certificate: string;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

describe.skipIf(tools.skip)(`ssh-agent client with OpenSSH${tools.marker}`, () => {
  let dir: string;
  let socketPath: string;
  let agent: ChildProcess;
  let client: AgentClient;
  let userCa: KeyPair;
  let keys: TestKey[];
  let server: SshdServer;
  let knownHostsPath: string;

  async function sshAddList(): Promise<string> {
    try {
      const { stdout } = await execFileAsync(tools.paths['ssh-add']!, ['-l'], {
        env: { ...process.env, SSH_AUTH_SOCK: socketPath },
        timeout: 10_000,
      });
      return stdout;
    } catch (error) {
      // Exit 1 with "The agent has no identities." is an empty list, not a failure.
      const stdout = (error as { stdout?: string }).stdout ?? '';
      if (stdout.includes('no identities')) return '';
      throw error;
    }
  }

  async function sshEchoOk(): Promise<string> {
    const { stdout } = await execFileAsync(
      tools.paths.ssh!,
      [
        '-F',
        '/dev/null',
        '-o',
        'BatchMode=yes',
        '-o',
        'IdentitiesOnly=no',
        '-o',
        'StrictHostKeyChecking=yes',
        '-o',
        `UserKnownHostsFile=${knownHostsPath}`,
        '-p',
        String(server.port),
        'root@127.0.0.1',
        'echo ok',
      ],
      { env: { ...process.env, SSH_AUTH_SOCK: socketPath, HOME: dir }, timeout: 20_000 },
    );
    return stdout.trim();
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-agent-'));
    socketPath = path.join(dir, 'agent.sock');
    agent = spawn(tools.paths['ssh-agent']!, ['-D', '-a', socketPath], {
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    for (let i = 0; i < 100 && !existsSync(socketPath); i++) await sleep(50);
    if (!existsSync(socketPath)) throw new Error('ssh-agent did not create its socket');
    client = createAgentClient({ socketPath });

    userCa = await generateKey(dir, 'user_ca');
    const sign = async (name: string, type: 'ed25519' | 'ecdsa' | 'rsa') => {
      const key = await generateKey(dir, name, type);
      const cert = await signUserKey({
        ca: userCa,
        publicKeyPath: key.publicKeyPath,
        principals: ['root'],
      });
      return { key, certificate: cert.certificate, text: readFileSync(key.privateKeyPath, 'utf8') };
    };
    const ed = await sign('id_ed25519', 'ed25519');
    const ec = await sign('id_ecdsa', 'ecdsa');
    const rsa = await sign('id_rsa', 'rsa');
    keys = [
      {
        // PKCS#8, as OneHop's vault stores keys.
        label: 'ed25519 (PKCS#8)',
        listed: '(ED25519-CERT)',
        privateKeyPem: parsePrivateKey(ed.text)
          .privateKey.export({ type: 'pkcs8', format: 'pem' })
          .toString(),
        certificate: ed.certificate,
      },
      {
        label: 'ecdsa-p256 (OpenSSH file)',
        listed: '(ECDSA-CERT)',
        privateKeyPem: ec.text,
        certificate: ec.certificate,
      },
      {
        label: 'rsa (PKCS#1)',
        listed: '(RSA-CERT)',
        privateKeyPem: parsePrivateKey(rsa.text)
          .privateKey.export({ type: 'pkcs1', format: 'pem' })
          .toString(),
        certificate: rsa.certificate,
      },
    ];

    server = await startSshd({
      authorizedKeysFile: 'none',
      trustedUserCaKeys: [userCa.publicKey],
    });
    knownHostsPath = path.join(dir, 'known_hosts');
    writeFileSync(knownHostsPath, `${server.knownHostsLine()}\n`);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (agent?.pid !== undefined && agent.exitCode === null) {
      const exited = new Promise((resolve) => agent.once('exit', resolve));
      process.kill(agent.pid, 'SIGTERM');
      await Promise.race([exited, sleep(5_000)]);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('adds each key type with its certificate, comment and lifetime', async () => {
    for (const key of keys) {
      await client.addCertificateIdentity({
        privateKeyPem: key.privateKeyPem,
        certificate: key.certificate,
        comment: COMMENT,
        lifetimeSeconds: 60,
      });
    }
    const listed = await sshAddList();
    for (const key of keys) expect(listed, key.label).toContain(`${COMMENT} ${key.listed}`);

    const identities = await client.listIdentities();
    const ours = identities.filter((identity) => identity.comment === COMMENT);
    expect(ours).toHaveLength(3);
    for (const key of keys) {
      const cert = parseCertificateLine(key.certificate);
      const found = ours.find((identity) => identity.keyBlob.equals(cert.blob));
      expect(found, key.label).toMatchObject({ isCertificate: true, type: cert.certType });
    }
  });

  it('removes only identities whose comment has the prefix', async () => {
    const other = await generateKey(dir, 'id_other');
    await execFileAsync(tools.paths['ssh-add']!, ['-q', other.privateKeyPath], {
      env: { ...process.env, SSH_AUTH_SOCK: socketPath },
      timeout: 10_000,
    });
    expect(await client.removeByCommentPrefix('onehop:lab:')).toBe(3);
    const listed = await sshAddList();
    expect(listed).not.toContain(COMMENT);
    expect(listed).toContain('onehop-test-id_other');
    expect(await client.removeByCommentPrefix('onehop:lab:')).toBe(0);
    const plain = (await client.listIdentities()).find((identity) => !identity.isCertificate);
    expect(plain?.type).toBe('ssh-ed25519');
    expect(await client.removeIdentity(plain!.keyBlob)).toBe(true);
    expect(await client.removeIdentity(plain!.keyBlob)).toBe(false);
    expect(await client.listIdentities()).toEqual([]);
  });

  it('lets plain ssh log in with only the agent, for every key type', async () => {
    for (const key of keys) {
      await client.removeByCommentPrefix('onehop:');
      await client.addCertificateIdentity({
        privateKeyPem: key.privateKeyPem,
        certificate: key.certificate,
        comment: COMMENT,
        lifetimeSeconds: 60,
      });
      expect(await sshEchoOk(), key.label).toBe('ok');
    }
    await client.removeByCommentPrefix('onehop:');
  }, 60_000);

  it('forgets a key when its lifetime runs out', async () => {
    await client.addCertificateIdentity({
      privateKeyPem: keys[0]!.privateKeyPem,
      certificate: keys[0]!.certificate,
      comment: 'onehop:lab:short',
    });
    await client.addCertificateIdentity({
      privateKeyPem: keys[1]!.privateKeyPem,
      certificate: keys[1]!.certificate,
      comment: 'onehop:lab:brief',
      lifetimeSeconds: 2,
    });
    expect(await sshAddList()).toContain('onehop:lab:brief (ECDSA-CERT)');
    const deadline = Date.now() + 4_000;
    let listed = await sshAddList();
    while (listed.includes('onehop:lab:brief') && Date.now() < deadline) {
      await sleep(200);
      listed = await sshAddList();
    }
    expect(listed).not.toContain('onehop:lab:brief');
    // Added without a lifetime: still there.
    expect(listed).toContain('onehop:lab:short (ED25519-CERT)');
    expect(await client.removeByCommentPrefix('onehop:lab:')).toBe(1);
  }, 15_000);

  it('accepts the confirm constraint', async () => {
    await client.addCertificateIdentity({
      privateKeyPem: keys[2]!.privateKeyPem,
      certificate: keys[2]!.certificate,
      comment: 'onehop:lab:confirm',
      confirm: true,
    });
    expect(await sshAddList()).toContain('onehop:lab:confirm (RSA-CERT)');
    expect(await client.removeByCommentPrefix('onehop:lab:')).toBe(1);
  });

  it('refuses a certificate for another key and impossible lifetimes before asking', async () => {
    const base = { privateKeyPem: keys[0]!.privateKeyPem, comment: COMMENT };
    await expect(
      client.addCertificateIdentity({ ...base, certificate: keys[1]!.certificate }),
    ).rejects.toThrow(/different key/);
    await expect(
      client.addCertificateIdentity({
        ...base,
        certificate: keys[0]!.certificate,
        lifetimeSeconds: 0,
      }),
    ).rejects.toThrow(RangeError);
  });
});

/** A stand-in agent on a unix socket that answers every request with `reply` (raw bytes). */
async function fakeAgent(
  dir: string,
  reply: Buffer | null,
): Promise<{ socketPath: string; close: () => Promise<void> }> {
  const socketPath = path.join(dir, `fake-${Math.random().toString(36).slice(2)}.sock`);
  const sockets = new Set<net.Socket>();
  const fake = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', () => {
      if (reply) socket.write(reply);
    });
  });
  await new Promise<void>((resolve) => fake.listen(socketPath, resolve));
  return {
    socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        fake.close(() => resolve());
      }),
  };
}

const frame = (...bytes: number[]): Buffer => {
  const out = Buffer.alloc(4 + bytes.length);
  out.writeUInt32BE(bytes.length, 0);
  Buffer.from(bytes).copy(out, 4);
  return out;
};

describe('ssh-agent client errors', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-agent-err-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says plainly when no agent is running', () => {
    expect(() => createAgentClient({ env: {} })).toThrow(
      /^No ssh-agent is running \(SSH_AUTH_SOCK is not set\)/,
    );
    try {
      createAgentClient({ env: { SSH_AUTH_SOCK: '' } });
    } catch (error) {
      expect(error).toBeInstanceOf(AgentError);
      expect((error as AgentError).code).toBe('no-agent');
    }
  });

  it('says plainly when the socket is not there', async () => {
    const client = createAgentClient({ socketPath: path.join(dir, 'missing.sock') });
    await expect(client.listIdentities()).rejects.toMatchObject({
      code: 'unreachable',
      message: expect.stringMatching(/cannot be reached \(ENOENT\)/) as unknown,
    });
  });

  it.skipIf(keygenTools.skip)(
    `reports an agent that refuses the key${keygenTools.marker}`,
    async () => {
      const key = await generateKeyPair({ type: 'ssh-ed25519' });
      const fake = await fakeAgent(dir, frame(5));
      try {
        const client = createAgentClient({ socketPath: fake.socketPath });
        // The certificate is checked locally first, so a real one is needed: self-signed will do.
        const certificate = await selfSignedCertificate(dir, key.privateKeyOpenSsh);
        await expect(
          client.addCertificateIdentity({
            privateKeyPem: key.privateKeyPem,
            certificate,
            comment: COMMENT,
            lifetimeSeconds: 60,
          }),
        ).rejects.toThrow(/^The ssh-agent refused the key: "onehop:lab:alice" was not added/);
        expect(await client.removeIdentity(Buffer.from('x'))).toBe(false);
      } finally {
        await fake.close();
      }
    },
  );

  it('refuses oversized and unexpected replies, and times out on silence', async () => {
    const huge = Buffer.alloc(4);
    huge.writeUInt32BE(256 * 1024 + 1, 0);
    const oversized = await fakeAgent(dir, huge);
    const wrong = await fakeAgent(dir, frame(99));
    const silent = await fakeAgent(dir, null);
    try {
      await expect(
        createAgentClient({ socketPath: oversized.socketPath }).listIdentities(),
      ).rejects.toMatchObject({ code: 'protocol' });
      await expect(
        createAgentClient({ socketPath: wrong.socketPath }).listIdentities(),
      ).rejects.toThrow(/did not list its keys/);
      const client = createAgentClient({ socketPath: silent.socketPath, timeoutMs: 200 });
      const started = Date.now();
      await expect(client.listIdentities()).rejects.toMatchObject({ code: 'timeout' });
      // The queue keeps going after a failure.
      await expect(client.listIdentities()).rejects.toMatchObject({ code: 'timeout' });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await Promise.all([oversized.close(), wrong.close(), silent.close()]);
    }
  });
});

/** Signs the key with itself as CA: enough for a well-formed certificate line. */
async function selfSignedCertificate(dir: string, privateKeyOpenSsh: string): Promise<string> {
  const keyPath = path.join(dir, `self-${Math.random().toString(36).slice(2)}`);
  writeFileSync(keyPath, privateKeyOpenSsh, { mode: 0o600 });
  const { stdout } = await execFileAsync(keygenTools.paths['ssh-keygen']!, ['-y', '-f', keyPath]);
  writeFileSync(`${keyPath}.pub`, stdout);
  await execFileAsync(keygenTools.paths['ssh-keygen']!, [
    '-q',
    '-s',
    keyPath,
    '-I',
    'self',
    '-n',
    'alice',
    `${keyPath}.pub`,
  ]);
  return readFileSync(`${keyPath}-cert.pub`, 'utf8').trim();
}
