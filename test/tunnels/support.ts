/**
 * A tunnel lab: a jump sshd and a via sshd (real OpenSSH, certificate logins, host certificates),
 * loopback HTTP and bulk servers as targets, and a connector built on the SSH engine that records
 * which host names reached forwardOut.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parsePublicKeyLine } from '../../src/main/core/credentials/sshKeys';
import {
  connectThroughJump,
  type HostKeyPolicy,
  type SshCredentials,
} from '../../src/main/core/ssh';
import {
  parseVia,
  sshViaConnection,
  type TunnelConnector,
  type ViaConnection,
} from '../../src/main/core/tunnels';
import type { Forward, TunnelProfile } from '../../src/shared/model/settings';
import { generateKey, startSshd, type KeyPair, type SshdServer } from '../support/sshd';

import { certificateCredentials } from '../support/sshSite';

export const SITE = 'lab';

export function credentialsFor(
  ca: KeyPair,
  key: KeyPair,
  validity?: string,
): Promise<SshCredentials> {
  return certificateCredentials({ ca, key, ...(validity ? { validity } : {}) });
}

/** Connects through the jump to the profile's via host; records forwardOut targets. */
export class LabConnector implements TunnelConnector {
  requested: string[] = [];
  attempts = 0;
  constructor(
    private readonly lab: { jump: SshdServer; hostKeys: HostKeyPolicy },
    public credentials: SshCredentials,
  ) {}

  async connect(profile: TunnelProfile, signal: AbortSignal): Promise<ViaConnection> {
    this.attempts++;
    const via = parseVia(profile.via);
    const common = {
      username: via.login ?? 'root',
      credentials: this.credentials,
      hostKeys: this.lab.hostKeys,
      readyTimeoutMs: 5_000,
      keepaliveIntervalMs: 1_000,
      keepaliveCountMax: 1,
      signal,
    };
    const jumped = await connectThroughJump({
      jump: { ...common, host: this.lab.jump.host, port: this.lab.jump.port, username: 'root' },
      target: { ...common, host: via.host, port: via.port ?? 22 },
    });
    const inner = sshViaConnection(jumped.target, () => void jumped.close());
    return {
      forwardOut: (host, port) => {
        this.requested.push(`${host}:${String(port)}`);
        return inner.forwardOut(host, port);
      },
      closed: inner.closed,
      release: () => inner.release(),
    };
  }
}

export interface Lab {
  dir: string;
  userCa: KeyPair;
  hostCa: KeyPair;
  userKey: KeyPair;
  jump: SshdServer;
  via: SshdServer;
  hostKeys: HostKeyPolicy;
  credentials: SshCredentials;
  httpPort: number;
  /** Restarts the via sshd on the same port after killing it and its sessions. */
  restartVia(): Promise<void>;
  close(): Promise<void>;
}

export async function startLab(): Promise<Lab> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-tunnels-'));
  const [userCa, hostCa, userKey] = await Promise.all([
    generateKey(dir, 'user_ca'),
    generateKey(dir, 'host_ca'),
    generateKey(dir, 'id_user'),
  ]);
  const sshdOptions = {
    trustedUserCaKeys: [userCa.publicKey],
    authorizedKeysFile: 'none',
    hostCa,
  };
  const [jump, via, credentials] = await Promise.all([
    startSshd(sshdOptions),
    startSshd(sshdOptions),
    credentialsFor(userCa, userKey),
  ]);
  const httpServer = http.createServer((req, res) => {
    res.end(`hello ${req.url ?? ''}`);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const lab: Lab = {
    dir,
    userCa,
    hostCa,
    userKey,
    jump,
    via,
    hostKeys: { trustedCas: [parsePublicKeyLine(hostCa.publicKey)], knownHosts: [] },
    credentials,
    httpPort: (httpServer.address() as net.AddressInfo).port,
    restartVia: async () => {
      const port = lab.via.port;
      killTree(lab.via.pid, 'SIGKILL');
      await lab.via.stop();
      lab.via = await startSshd({ ...sshdOptions, port });
    },
    close: async () => {
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await Promise.all([lab.jump.stop(), lab.via.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return lab;
}

/** The PIDs of a process and all its descendants (sshd forks one per connection). */
export function processTree(pid: number): number[] {
  const out: number[] = [];
  const queue = [pid];
  for (let i = 0; i < queue.length && i < 1000; i++) {
    const current = queue[i] as number;
    out.push(current);
    try {
      const children = readFileSync(
        `/proc/${String(current)}/task/${String(current)}/children`,
        'utf8',
      );
      queue.push(...children.split(/\s+/).filter(Boolean).map(Number));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Signals the sessions first, then the listener, each by PID. */
export function killTree(pid: number, signal: NodeJS.Signals, sessionsOnly = false): number[] {
  const pids = processTree(pid).reverse();
  const targets = sessionsOnly ? pids.filter((p) => p !== pid) : pids;
  for (const p of targets) {
    try {
      process.kill(p, signal);
    } catch {
      // already gone
    }
  }
  return targets;
}

export function profileOf(name: string, via: SshdServer, forwards: Forward[]): TunnelProfile {
  return {
    name,
    site: SITE,
    via: `root@127.0.0.1:${String(via.port)}`,
    forwards,
    autostart: false,
  };
}

export function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 30_000, env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `curl --socks5-hostname` through a SOCKS port. */
export function curlSocks(socksPort: number, url: string) {
  return run('curl', [
    '-sS',
    '--max-time',
    '25',
    '--socks5-hostname',
    `127.0.0.1:${String(socksPort)}`,
    url,
  ]);
}

export function until(check: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error(`${what} not met within ${String(ms)} ms`));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

/** A raw SOCKS5 CONNECT (IPv4 or name); resolves with the reply code and the open socket. */
export function socksConnect(
  socksPort: number,
  host: string,
  port: number,
): Promise<{ reply: number; socket: net.Socket; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: socksPort });
    const ipv4 = net.isIPv4(host);
    const address = ipv4
      ? Buffer.from([1, ...host.split('.').map(Number)])
      : Buffer.concat([Buffer.from([3, host.length]), Buffer.from(host)]);
    socket.once('connect', () => {
      socket.write(
        Buffer.concat([
          Buffer.from([5, 1, 0, 5, 1, 0]),
          address,
          Buffer.from([port >> 8, port & 255]),
        ]),
      );
    });
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 12) {
        socket.off('data', onData);
        socket.pause();
        resolve({ reply: buf[3] as number, socket, rest: buf.subarray(12) });
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () =>
      reject(new Error(`SOCKS connection closed after ${String(buf.length)} bytes`)),
    );
  });
}

/** Established TCP connections to a local port (ss), to prove nothing is left open. */
export async function establishedTo(port: number): Promise<number> {
  const { stdout } = await run('ss', [
    '-Htn',
    'state',
    'established',
    `( dport = :${String(port)} )`,
  ]);
  return stdout.split('\n').filter((l) => l.trim() !== '').length;
}
