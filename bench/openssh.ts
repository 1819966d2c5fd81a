/**
 * The OpenSSH side of the bench: `ssh` command lines with the pinned cipher on both hops (the
 * cipher is in the config file, which ProxyJump passes on to its `ssh -W` with `-F`), timed runs,
 * long-running forwards and a ControlMaster on the jump, and their memory from /proc.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

export const CIPHER = 'aes128-gcm@openssh.com';
/** What ssh2 negotiates with OpenSSH; OpenSSH's own first choice (sntrup761x25519) costs more. */
export const KEX = 'curve25519-sha256';
export const JUMP_ALIAS = 'onehop-bench-jump';
/** The jump reached through the TLS-routing stand-in (bench/tlsTerminator.ts). */
export const TLS_JUMP_ALIAS = 'onehop-bench-jump-tls';
const HOST = '127.0.0.1';

export interface OpenSshConfig {
  /** ssh_config without connection sharing. */
  configPath: string;
  /** The same, plus a ControlPath for the jump alias. */
  controlConfigPath: string;
  controlPath: string;
  jumpPort: number;
  targetPort: number;
}

export interface SshArgOptions {
  via: 'jump' | 'jump-master' | 'jump-tls' | 'direct';
  tty?: boolean;
  /** Options before the destination (for example `-N -L …`). */
  options?: string[];
  command?: string[];
}

export function sshArgs(config: OpenSshConfig, o: SshArgOptions): string[] {
  const args = ['-F', o.via === 'jump-master' ? config.controlConfigPath : config.configPath];
  args.push('-c', CIPHER);
  if (o.via === 'jump') args.push('-J', `root@${HOST}:${String(config.jumpPort)}`);
  if (o.via === 'jump-master') args.push('-J', JUMP_ALIAS);
  if (o.via === 'jump-tls') args.push('-J', TLS_JUMP_ALIAS);
  args.push('-p', String(config.targetPort));
  if (o.tty) args.push('-tt');
  args.push(...(o.options ?? []), `root@${HOST}`, ...(o.command ?? []));
  return args;
}

const live = new Set<ChildProcess>();

/** Stops every ssh this module started that is still running (by PID). */
export function stopAllSsh(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export interface RunResult {
  ms: number;
  /** Bytes on stdout when counted, else -1 (stdout went to /dev/null). */
  bytes: number;
}

/** Runs ssh to completion, from spawn to exit; stdout to /dev/null unless `count`. */
export async function runSsh(
  args: string[],
  count = false,
  timeoutMs = 120_000,
): Promise<RunResult> {
  const devNull = count ? undefined : openSync('/dev/null', 'w');
  try {
    const start = performance.now();
    const child = track(
      spawn('ssh', args, { stdio: ['ignore', devNull ?? 'pipe', 'pipe'], env: cleanEnv() }),
    );
    let bytes = count ? 0 : -1;
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (bytes += chunk.length));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8').slice(0, 4096)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode));
    });
    const ms = performance.now() - start;
    clearTimeout(timer);
    if (code !== 0) {
      throw new Error(`ssh ${args.join(' ')} exited with ${String(code)}: ${stderr.trim()}`);
    }
    // stdout may still hold data after exit; wait for its end when counting.
    if (child.stdout && !child.stdout.readableEnded) {
      await new Promise((resolve) => child.stdout?.once('close', resolve));
    }
    return { ms, bytes };
  } finally {
    if (devNull !== undefined) closeSync(devNull);
  }
}

/** Runs ssh with -v once; returns each hop's key exchange and cipher (from its debug log). */
export async function negotiated(args: string[]): Promise<{ kex: string; cipher: string }[]> {
  const child = track(
    spawn('ssh', ['-v', ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: cleanEnv() }),
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  await new Promise((resolve) => child.once('close', resolve));
  const kex = [...log.matchAll(/kex: algorithm: (\S+)/g)].map((m) => m[1] ?? '?');
  const ciphers = [...log.matchAll(/kex: server->client cipher: (\S+)/g)].map((m) => m[1] ?? '?');
  return ciphers.map((cipher, i) => ({ kex: kex[i] ?? '?', cipher }));
}

export interface LongRunning {
  pid: number;
  /** RSS in bytes of this ssh and its children (ProxyJump's `ssh -W`). */
  rss(): number;
  /** CPU time (user + system, ms) used so far by this ssh and its children. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Starts a long-running ssh (forwards, master) and waits until `ready()` says yes (bounded). */
export async function startSsh(
  args: string[],
  ready: () => Promise<boolean>,
  timeoutMs = 15_000,
): Promise<LongRunning> {
  const child = track(spawn('ssh', args, { stdio: ['ignore', 'ignore', 'pipe'], env: cleanEnv() }));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8').slice(0, 4096)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve(undefined);
        }, 3_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve(undefined);
        });
      });
    }
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`ssh ${args.join(' ')} did not become ready: ${stderr.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const pid = child.pid as number;
  return { pid, rss: () => treeRss(pid), cpuMs: () => treeCpuMs(pid), stop };
}

/** True once something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? 0 : Number(kb) * 1024;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // no children: ps exits 1
  }
}

function treeRss(pid: number): number {
  return rssOf(pid) + childrenOf(pid).reduce((sum, child) => sum + rssOf(child), 0);
}

/** utime + stime of a process from /proc/<pid>/stat, in ms (clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * CPU used so far by every sshd process on the machine (the bench's sshds are the only ones we
 * can tell apart by timing: each side's transfers run alone). How a client reads and acknowledges
 * changes how hard sshd works to send to it, so the tunnel rows show it.
 */
export function sshdCpuMs(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (commandOf(pid) === 'sshd') total += cpuMsOf(pid);
  }
  return total;
}

/** The command name of a process (/proc/<pid>/comm); '' once it has ended. */
function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${String(pid)}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function treeCpuMs(pid: number): number {
  return cpuMsOf(pid) + childrenOf(pid).reduce((sum, child) => sum + cpuMsOf(child), 0);
}

/** The environment without proxy variables (curl and ssh must talk to 127.0.0.1 directly). */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/_proxy$/i.test(key)) delete env[key];
  delete env.SSH_AUTH_SOCK;
  return env;
}
