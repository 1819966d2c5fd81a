/**
 * `onehop ssh` as the issue checks it: after `onehop login` to a Teleport-compatible endpoint
 * (the emulator over https, its ping advertising a real OpenSSH jump that presents only a host
 * certificate), `onehop ssh -p <port> root@127.0.0.1 -- echo ok` prints ok through the jump; a
 * target with a tampered host certificate is refused; exit codes follow OpenSSH. Each step is a
 * real `onehop` process with the credentials in the gnome-keyring-backed vault.
 */
import { execFile, spawn } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdp, webClient, type Idp } from '../support/idp';
import { freePort, startSshd, type SshdOptions, type SshdServer } from '../support/sshd';
import { startTeleportEmulator, type TeleportEmulator } from '../support/teleport/emulator';
import { requireSessionKeychain, requireTools } from '../support/tools';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const tools = requireTools(['sshd', 'ssh-keygen', 'openssl']);
const keychain = requireSessionKeychain();
const CERT_ONLY = 'HostKeyAlgorithms ssh-ed25519-cert-v01@openssh.com';

/**
 * A man in the middle that flips one byte of the CA signature inside the host certificate the
 * server sends in its (still unencrypted) key exchange reply. sshd itself refuses to load a
 * certificate whose signature does not verify, so this is how a client meets one.
 */
function tamperingProxy(upstreamPort: number, certificateFile: string): Promise<net.Server> {
  const blob = Buffer.from(
    fs.readFileSync(certificateFile, 'utf8').trim().split(/\s+/)[1] ?? '',
    'base64',
  );
  const tail = blob.subarray(blob.length - 24);
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    let seen = Buffer.alloc(0);
    let done = false;
    upstream.on('data', (chunk: Buffer) => {
      if (!done) {
        seen = Buffer.concat([seen, chunk]);
        const at = seen.indexOf(tail);
        if (at >= 0) {
          const offset = at + 16 - (seen.length - chunk.length);
          if (offset >= 0 && offset < chunk.length) {
            chunk = Buffer.from(chunk);
            chunk[offset] = (chunk[offset] ?? 0) ^ 0xff;
            done = true;
          }
        }
      }
      client.write(chunk);
    });
    client.pipe(upstream);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out; output so far:\n${describe()}`);
}

function httpServer(body: string): Promise<http.Server & { port: number }> {
  const server = http.createServer((_req, res) => res.end(body));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(Object.assign(server, { port: (server.address() as net.AddressInfo).port })),
    ),
  );
}

describe.skipIf(tools.skip || keychain.skip)(`onehop ssh${tools.marker}${keychain.marker}`, () => {
  let idp: Idp;
  let emulator: TeleportEmulator;
  let jump: SshdServer;
  let target: SshdServer;
  let tampered: net.Server;
  let plain: SshdServer;
  let home: string;
  let signedVia: SshdOptions;

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-cli-ssh-'));
    idp = await startIdp({ clients: [] });
    emulator = await startTeleportEmulator({
      version: '17.2.0',
      https: true,
      logins: ['root'],
      idp: { issuer: idp.issuer, clientId: 'ssh-cli', clientSecret: 'ssh-cli-secret-0123456789' },
    });
    await idp.registerClient(
      webClient('ssh-cli', 'ssh-cli-secret-0123456789', [emulator.oidcRedirectUri]),
    );
    const trust = { trustedUserCaKeys: [emulator.userCaPublicKey], authorizedKeysFile: 'none' };
    const signed = {
      ...trust,
      extraConfig: [CERT_ONLY],
      signHostKey: (key: string, principals: string[]) => emulator.signHostKey(key, principals),
    };
    [jump, target, plain] = await Promise.all([
      startSshd(signed),
      startSshd(signed),
      startSshd(trust),
    ]);
    tampered = await tamperingProxy(target.port, target.hostCertificatePath!);
    signedVia = signed;
    // The emulator's ping must name the jump as the proxy's SSH address.
    emulator.setSshPublicAddr(`127.0.0.1:${String(jump.port)}`);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([jump, target, plain].map((s) => s?.stop()));
    tampered?.close();
    await emulator?.close();
    await idp?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  function onehop(args: string[]) {
    return run(process.execPath, [path.join(root, 'bin/onehop.js'), ...args], {
      cwd: root,
      timeout: 60_000,
      env: {
        ...process.env,
        CI: '',
        ONEHOP_HOME: home,
        NODE_EXTRA_CA_CERTS: emulator.webTlsCertPath!,
        BROWSER: `${process.execPath} ${path.join(root, 'test/support/browser-stand-in.mjs')}`,
      },
    }).then(
      (out) => ({ code: 0, ...out }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
  }

  it('signs in, then runs a command on the target through the certificate-only jump', async () => {
    await onehop(['sites', 'add', `127.0.0.1:${String(emulator.port)}`, '--name', 'lab']);
    await onehop([
      'hosts',
      'add',
      'hpc-login',
      '--site',
      'lab',
      '--host-name',
      '127.0.0.1',
      '--port',
      String(target.port),
    ]);
    const login = await onehop(['login', 'lab']);
    expect(login.stderr + login.stdout).toMatch(/Signed in to lab/);

    const ok = await onehop([
      'ssh',
      '-p',
      String(target.port),
      'root@127.0.0.1',
      '--',
      'echo',
      'ok',
    ]);
    expect(ok).toMatchObject({ code: 0, stdout: 'ok\n' });
    const named = await onehop(['ssh', 'hpc-login', '--', 'echo "$USER" >&2; exit 7']);
    expect(named).toMatchObject({ code: 7, stderr: 'root\n' });
    expect(jump.logs()).toMatch(/Accepted publickey for root/);
  });

  it('hands the certificate to plain OpenSSH: ssh -F ~/.ssh/onehop/config reaches the target', async () => {
    // No ssh-agent in the tests' environment: the key files mode is used (0600, dir 0700).
    const config = path.join(os.homedir(), '.ssh', 'onehop', 'config');
    expect(fs.readFileSync(config, 'utf8')).toMatch(/ProxyJump .*127\.0\.0\.1:\d+/);
    const out = await run(
      'ssh',
      ['-F', config, '-o', 'BatchMode=yes', 'hpc-login', 'echo', 'plain-ssh'],
      {
        timeout: 30_000,
      },
    );
    expect(out.stdout).toBe('plain-ssh\n');
  });

  it('refuses a target whose host certificate signature does not verify', async () => {
    const refused = await onehop([
      'ssh',
      '-p',
      String((tampered.address() as net.AddressInfo).port),
      'root@127.0.0.1',
      '--',
      'echo',
      'ok',
    ]);
    expect(refused.code).toBe(255);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^onehop: .*(host certificate|host key).*refused\.?\n$/);
  });

  it('refuses an unknown plain host key unless --accept-new-host-key, then remembers it', async () => {
    const refused = await onehop(['ssh', '-p', String(plain.port), 'root@127.0.0.1', '--', 'true']);
    expect(refused.code).toBe(255);
    expect(refused.stderr).toMatch(
      /Unknown host key for 127\.0\.0\.1:\d+: ssh-ed25519 SHA256:.*--accept-new-host-key/,
    );
    const accepted = await onehop([
      'ssh',
      '--accept-new-host-key',
      '-p',
      String(plain.port),
      'root@127.0.0.1',
      '--',
      'echo',
      'accepted',
    ]);
    expect(accepted).toMatchObject({ code: 0, stdout: 'accepted\n' });
    const again = await onehop([
      'ssh',
      '-p',
      String(plain.port),
      'root@127.0.0.1',
      '--',
      'echo',
      'again',
    ]);
    expect(again).toMatchObject({ code: 0, stdout: 'again\n' });
    expect(fs.readFileSync(path.join(home, 'known_hosts'), 'utf8')).toContain(
      `[127.0.0.1]:${String(plain.port)}`,
    );
  });

  it('passes binary stdin and stdout through untouched without a pty', async () => {
    const data = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
    const child = execFile(
      process.execPath,
      [
        path.join(root, 'bin/onehop.js'),
        'ssh',
        '-p',
        String(target.port),
        'root@127.0.0.1',
        '--',
        'cat',
      ],
      {
        cwd: root,
        encoding: 'buffer',
        env: { ...process.env, CI: '', ONEHOP_HOME: home },
      },
    );
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stdin?.end(data);
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
  });

  it('tunnel add + start -D: curl and proxychains4 fetch through it, and it survives a restart of the via sshd', async () => {
    const web = await httpServer('through the tunnel');
    const socksPort = await freePort();
    const via = await startSshd(signedVia);
    try {
      const added = await onehop([
        'tunnel',
        'add',
        'eco socks',
        '--site',
        'lab',
        '--via',
        `root@127.0.0.1:${String(via.port)}`,
        '-D',
        String(socksPort),
      ]);
      expect(added).toMatchObject({ code: 0 });
      const listed = JSON.parse((await onehop(['tunnel', 'list', '--json'])).stdout) as {
        tunnels: { name: string; forwards: string[] }[];
      };
      expect(listed.tunnels.find((t) => t.name === 'eco socks')?.forwards).toEqual([
        `-D 127.0.0.1:${String(socksPort)}`,
      ]);

      const child = spawn(
        process.execPath,
        [path.join(root, 'bin/onehop.js'), 'tunnel', 'start', 'eco socks'],
        {
          cwd: root,
          env: { ...process.env, CI: '', ONEHOP_HOME: home },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      try {
        await until(
          () => out.includes(`listening on 127.0.0.1:${String(socksPort)} (socks)`),
          20_000,
          () => out + err,
        );
        const url = `http://127.0.0.1:${String(web.port)}/`;
        expect(
          (
            await run('curl', [
              '-sS',
              '--max-time',
              '20',
              '--socks5-hostname',
              `127.0.0.1:${String(socksPort)}`,
              url,
            ])
          ).stdout,
        ).toBe('through the tunnel');
        const conf = path.join(home, 'test-proxychains.conf');
        fs.writeFileSync(
          conf,
          `strict_chain\nproxy_dns\nquiet_mode\n[ProxyList]\nsocks5 127.0.0.1 ${String(socksPort)}\n`,
        );
        expect(
          (await run('proxychains4', ['-q', '-f', conf, 'curl', '-sS', '--max-time', '20', url]))
            .stdout,
        ).toBe('through the tunnel');

        // Restart the via sshd on the same port: the listener stays, the next fetch succeeds.
        // Its session processes too: a restarted sshd would otherwise keep serving the old one.
        const port = via.port;
        const sessions = (
          await run('pgrep', ['-P', String(via.pid)]).catch(() => ({ stdout: '' }))
        ).stdout
          .split(/\s+/)
          .filter(Boolean)
          .map(Number);
        await via.stop();
        for (const pid of sessions) process.kill(pid, 'SIGKILL');
        const again = await startSshd({ ...signedVia, port });
        try {
          await until(
            async () => {
              const fetched = await run('curl', [
                '-sS',
                '--max-time',
                '20',
                '--socks5-hostname',
                `127.0.0.1:${String(socksPort)}`,
                url,
              ]).catch(() => ({ stdout: '' }));
              return fetched.stdout === 'through the tunnel';
            },
            40_000,
            () => out + err,
          );
        } finally {
          child.kill('SIGINT');
          expect(await exited).toBe(0);
          await again.stop();
        }
        expect(err).toMatch(/reconnecting/);
        expect(err).toMatch(/stopped/);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    } finally {
      web.close();
      await via.stop().catch(() => undefined);
    }
  }, 120_000);

  it('sign-out removes the site from the OpenSSH hand-off', async () => {
    const config = path.join(os.homedir(), '.ssh', 'onehop', 'config');
    const logout = await onehop(['logout', 'lab']);
    expect(logout.code).toBe(0);
    expect(fs.readFileSync(config, 'utf8')).not.toMatch(/Host hpc-login/);
    expect(fs.existsSync(path.join(os.homedir(), '.ssh', 'onehop', 'lab', 'id'))).toBe(false);
  });
});
