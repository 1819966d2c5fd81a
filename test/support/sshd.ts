/**
 * A real OpenSSH sshd on 127.0.0.1 for integration tests (and later the sandbox).
 *
 * Each server lives in its own temporary directory with its own host key and config, so the
 * machine's sshd and root's ~/.ssh are never used. sshd runs as root and logs to stderr (kept in
 * a buffer for diagnostics). Servers are stopped by PID; an exit hook stops any a test forgot.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findTool, installHint } from './tools';

const execFileAsync = promisify(execFile);

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const PORT_ATTEMPTS = 5;
const LOG_LIMIT = 256 * 1024;

export interface KeyPair {
  privateKeyPath: string;
  publicKeyPath: string;
  /** `type base64` without the comment. */
  publicKey: string;
}

export interface Certificate {
  certificatePath: string;
  /** The certificate line as written by ssh-keygen (`type-cert-v01@openssh.com base64 comment`). */
  certificate: string;
}

export interface SshdOptions {
  /** Public key lines accepted for login; written to an authorized_keys file of this server. */
  authorizedKeys?: string[];
  /** Use this AuthorizedKeysFile instead (`'none'` for certificate-only logins). */
  authorizedKeysFile?: string;
  /** CA public key lines trusted to sign user certificates (TrustedUserCAKeys). */
  trustedUserCaKeys?: string[];
  /** Sign the host key with this CA and serve the certificate (HostCertificate). */
  hostCa?: KeyPair;
  /** Principals of the host certificate; default 127.0.0.1 and localhost. */
  hostCertificatePrincipals?: string[];
  /**
   * Sign the host key with a CA held elsewhere (e.g. the Teleport emulator's `signHostKey`):
   * called with the host public key path, it must write `<key>-cert.pub` beside it.
   */
  signHostKey?: (publicKeyPath: string, principals: string[]) => Promise<unknown>;
  /** Bind this port (no retry on another one); default: a free port. */
  port?: number;
  /** Default `yes`: tests log in as root. */
  permitRootLogin?: 'yes' | 'no' | 'prohibit-password';
  /**
   * Raw sshd_config lines put before the defaults: sshd keeps the first value of a keyword, so
   * these override them (for example `AllowTcpForwarding no`).
   */
  extraConfig?: string[];
  /** Raw lines appended at the end, for `Match` blocks (a Match block runs to the end). */
  trailingConfig?: string[];
}

export interface SshdServer {
  host: typeof HOST;
  port: number;
  pid: number;
  /** The server's temporary directory (config, keys, pid file). */
  dir: string;
  hostKeyPath: string;
  /** `ssh-ed25519 base64`, as ssh-keyscan reports it. */
  hostPublicKey: string;
  hostCertificatePath?: string;
  configPath: string;
  /** A known_hosts line for this server's host key. */
  knownHostsLine(): string;
  /** What sshd wrote to stderr so far. */
  logs(): string;
  stop(): Promise<void>;
}

const running = new Set<{ child: ChildProcess; dir: string }>();
let cleanupRegistered = false;

function killAllSync(): void {
  for (const entry of running) {
    try {
      if (entry.child.pid !== undefined && entry.child.exitCode === null) {
        process.kill(entry.child.pid, 'SIGKILL');
      }
    } catch {
      // already gone
    }
    rmSync(entry.dir, { recursive: true, force: true });
  }
  running.clear();
}

function registerCleanup(): void {
  if (cleanupRegistered) return;
  cleanupRegistered = true;
  process.once('exit', killAllSync);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAllSync();
      // Restore the default behaviour (exit) unless someone else handles the signal.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

function tool(name: string): string {
  const found = findTool(name);
  if (!found) throw new Error(`${name} is missing: ${installHint(name)}.`);
  return found;
}

function stripComment(line: string): string {
  return line.trim().split(/\s+/).slice(0, 2).join(' ');
}

/** Generates an unencrypted key pair (`ed25519` unless told) at `dir/name`. */
export async function generateKey(
  dir: string,
  name: string,
  type: 'ed25519' | 'rsa' | 'ecdsa' = 'ed25519',
): Promise<KeyPair> {
  const privateKeyPath = path.join(dir, name);
  const args = ['-q', '-t', type, '-N', '', '-C', `onehop-test-${name}`, '-f', privateKeyPath];
  if (type === 'rsa') args.push('-b', '2048');
  await execFileAsync(tool('ssh-keygen'), args, { timeout: 30_000 });
  const publicKeyPath = `${privateKeyPath}.pub`;
  return {
    privateKeyPath,
    publicKeyPath,
    publicKey: stripComment(readFileSync(publicKeyPath, 'utf8')),
  };
}

interface SignOptions {
  ca: KeyPair;
  publicKeyPath: string;
  principals: string[];
  /** Key identity (`-I`); defaults to the file name. */
  identity?: string;
  /** Validity interval (`-V`); default `+1h`. */
  validity?: string;
}

async function sign(options: SignOptions, host: boolean): Promise<Certificate> {
  const args = ['-q', '-s', options.ca.privateKeyPath];
  if (host) args.push('-h');
  args.push(
    '-I',
    options.identity ?? path.basename(options.publicKeyPath),
    '-n',
    options.principals.join(','),
    '-V',
    options.validity ?? '+1h',
    options.publicKeyPath,
  );
  await execFileAsync(tool('ssh-keygen'), args, { timeout: 30_000 });
  const certificatePath = options.publicKeyPath.replace(/\.pub$/, '') + '-cert.pub';
  return { certificatePath, certificate: readFileSync(certificatePath, 'utf8').trim() };
}

/** `ssh-keygen -s ca -I id -n principals -V +1h key.pub`; writes `key-cert.pub` beside the key. */
export function signUserKey(options: SignOptions): Promise<Certificate> {
  return sign(options, false);
}

/** `ssh-keygen -s ca -h -I id -n principals key.pub`; principals default 127.0.0.1, localhost. */
export function signHostKey(
  options: Omit<SignOptions, 'principals'> & { principals?: string[] },
): Promise<Certificate> {
  return sign({ ...options, principals: options.principals ?? [HOST, 'localhost'] }, true);
}

/** A port that was free a moment ago (sshd binds it itself, so startSshd retries on a race). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('Could not read the port of a temporary listener.'));
      });
    });
  });
}

/** Resolves when `port` answers with an SSH banner; rejects after `deadline`. */
async function waitForBanner(port: number, deadline: number, exited: () => boolean): Promise<void> {
  while (Date.now() < deadline && !exited()) {
    const banner = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: HOST, port });
      let data = '';
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(1_000, () => done(false));
      socket.on('data', (chunk) => {
        data += chunk.toString('latin1');
        if (data.includes('\n')) done(data.startsWith('SSH-2.0-'));
      });
      socket.on('error', () => done(false));
      socket.on('close', () => done(false));
    });
    if (banner) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('sshd did not answer');
}

function buildConfig(dir: string, port: number, options: SshdOptions, paths: Paths): string {
  const lines = [
    ...(options.extraConfig ?? []),
    `ListenAddress ${HOST}`,
    `Port ${port}`,
    `HostKey ${paths.hostKey}`,
    ...(paths.hostCertificate ? [`HostCertificate ${paths.hostCertificate}`] : []),
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${paths.authorizedKeysFile}`,
    ...(paths.trustedUserCaKeys ? [`TrustedUserCAKeys ${paths.trustedUserCaKeys}`] : []),
    `PermitRootLogin ${options.permitRootLogin ?? 'yes'}`,
    'UsePAM no',
    'StrictModes no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'AllowTcpForwarding yes',
    'X11Forwarding no',
    'PrintMotd no',
    'UseDNS no',
    // Sessions get a HOME of their own: Debian's bash sources ~/.bashrc for commands run by
    // sshd, and the test machine's root .bashrc (pyenv init, which can wait 60 s on a stale
    // lock) must not decide whether a test passes. The working directory stays root's home.
    `SetEnv HOME=${path.join(dir, 'home')}`,
    // Benchmarks open many connections at once; the default (10:30:100) drops some.
    'MaxStartups 100:30:200',
    'MaxSessions 100',
    'LogLevel VERBOSE',
    'Subsystem sftp internal-sftp',
    ...(options.trailingConfig ?? []),
  ];
  return `${lines.join('\n')}\n`;
}

interface Paths {
  hostKey: string;
  hostCertificate?: string;
  authorizedKeysFile: string;
  trustedUserCaKeys?: string;
}

/** Starts sshd on a free port of 127.0.0.1 and waits (at most 10 s) for its SSH banner. */
export async function startSshd(options: SshdOptions = {}): Promise<SshdServer> {
  const sshd = tool('sshd');
  // sshd refuses to start without its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-sshd-'));
  try {
    mkdirSync(path.join(dir, 'home'), { mode: 0o700 });
    const hostKey = await generateKey(dir, 'ssh_host_ed25519_key');
    const paths: Paths = { hostKey: hostKey.privateKeyPath, authorizedKeysFile: 'none' };
    if (options.hostCa) {
      const cert = await signHostKey({
        ca: options.hostCa,
        publicKeyPath: hostKey.publicKeyPath,
        identity: 'onehop-test-host',
        ...(options.hostCertificatePrincipals
          ? { principals: options.hostCertificatePrincipals }
          : {}),
      });
      paths.hostCertificate = cert.certificatePath;
    } else if (options.signHostKey) {
      await options.signHostKey(
        hostKey.publicKeyPath,
        options.hostCertificatePrincipals ?? [HOST, 'localhost'],
      );
      paths.hostCertificate = `${hostKey.privateKeyPath}-cert.pub`;
    }
    if (options.authorizedKeysFile !== undefined) {
      paths.authorizedKeysFile = options.authorizedKeysFile;
    } else {
      // Never fall back to root's real ~/.ssh/authorized_keys.
      paths.authorizedKeysFile = path.join(dir, 'authorized_keys');
      writeFileSync(paths.authorizedKeysFile, (options.authorizedKeys ?? []).join('\n') + '\n');
    }
    if (options.trustedUserCaKeys?.length) {
      paths.trustedUserCaKeys = path.join(dir, 'trusted_user_ca_keys');
      writeFileSync(paths.trustedUserCaKeys, options.trustedUserCaKeys.join('\n') + '\n');
    }
    const configPath = path.join(dir, 'sshd_config');

    let lastError = '';
    const attempts = options.port === undefined ? PORT_ATTEMPTS : 1;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const port = options.port ?? (await freePort());
      writeFileSync(configPath, buildConfig(dir, port, options, paths));
      const started = await launch(sshd, configPath, port);
      if ('server' in started) {
        const { child, logs } = started.server;
        const entry = { child, dir };
        running.add(entry);
        registerCleanup();
        return {
          host: HOST,
          port,
          pid: child.pid as number,
          dir,
          hostKeyPath: hostKey.privateKeyPath,
          hostPublicKey: hostKey.publicKey,
          ...(paths.hostCertificate ? { hostCertificatePath: paths.hostCertificate } : {}),
          configPath,
          knownHostsLine: () => `[${HOST}]:${port} ${hostKey.publicKey}`,
          logs,
          stop: async () => {
            await stopChild(child);
            running.delete(entry);
            rmSync(dir, { recursive: true, force: true });
          },
        };
      }
      lastError = started.error;
      // Someone took the port between freePort() and sshd's bind: try another one.
      if (!/Address already in use/i.test(started.error)) break;
    }
    throw new Error(`sshd did not start: ${lastError}`);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

type Launch = { server: { child: ChildProcess; logs: () => string } } | { error: string };

async function launch(sshd: string, configPath: string, port: number): Promise<Launch> {
  const child = spawn(sshd, ['-D', '-e', '-f', configPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString('utf8');
    if (log.length > LOG_LIMIT) log = log.slice(-LOG_LIMIT);
  });
  let spawnError = '';
  child.once('error', (error) => {
    spawnError = error.message;
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null || spawnError !== '';
  try {
    await waitForBanner(port, Date.now() + READY_TIMEOUT_MS, exited);
    return { server: { child, logs: () => log } };
  } catch {
    const status =
      spawnError ||
      (exited() ? `exit ${child.exitCode ?? child.signalCode}` : 'no SSH banner within 10 s');
    await stopChild(child);
    return { error: `${status}; sshd log:\n${log.trim()}` };
  }
}

function exitedOrTimeout(child: ChildProcess, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    // 'close' (not 'exit') so stderr has been read to the end for the diagnostics.
    if (child.stderr?.closed !== false && (child.exitCode !== null || child.signalCode !== null)) {
      resolve(true);
      return;
    }
    const timer = setTimeout(() => resolve(false), ms);
    child.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  if (!(await exitedOrTimeout(child, STOP_TIMEOUT_MS))) {
    child.kill('SIGKILL');
    await exitedOrTimeout(child, STOP_TIMEOUT_MS);
  }
}
