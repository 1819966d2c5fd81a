/**
 * `npm run bench [-- --quick] [--only=memory,connect,terminal,xterm,tunnels,socks,hold]`:
 * OneHop's core and OpenSSH side by side in one run on 127.0.0.1, with the targets of issues 4
 * and 5.
 *
 * The OneHop side runs in a forked process (bench/oneHopHost.ts, bundled first: see
 * buildOneHopHost), the byte source in another (bench/source.ts); clients are the same for both
 * sides (curl, a Node SOCKS client). Each measurement: warm-up, then repetitions alternating
 * between the two sides, median reported.
 * `xterm` (bench/xterm.ts) drives the renderer in Chromium; it needs `npm run build` first.
 *
 * For digging: BENCH_TUNNEL_CASES=L-direct,D-jump limits the tunnel phase; BENCH_PROFILE=<dir>
 * writes a V8 CPU profile of each forked process; BENCH_NODE_FLAGS="--trace-gc …" passes Node/V8
 * flags to them. */
import { execFile, fork, spawnSync, type ChildProcess } from 'node:child_process';
import { build } from 'esbuild';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../test/support/sshd';
import {
  CIPHER,
  cleanEnv,
  JUMP_ALIAS,
  KEX,
  negotiated,
  portOpen,
  runSsh,
  sshArgs,
  startSsh,
  sshdCpuMs,
  stopAllSsh,
  type LongRunning,
} from './openssh';
import type { HostOp, HostOps, HostReply, MemorySample } from './protocol';
import {
  deltaMib,
  formatTable,
  pairedRange,
  MB,
  mbps,
  median,
  mib,
  ms,
  rate,
  verdict,
  type Row,
} from './report';
import { createWebTls } from '../test/support/teleport/webTls';
import { addTlsRoutedJump, PAYLOAD_BYTES, setUp, type BenchSetup } from './setup';
import { connectRate, holdOpen } from './socksClient';
import { xtermPhase } from './xterm';

const execFileAsync = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const HOST = '127.0.0.1';
const TUNNEL_BYTES = 200 * 1024 * 1024;
const HOLD_COUNT = 1000;
const RUN_LIMIT_MS = 15 * 60_000;
/** Where buildOneHopHost() writes the OneHop host. */
const ONEHOP_HOST_BUNDLE = path.join(here, '..', 'out', 'bench', 'oneHopHost.mjs');

const quick = process.argv.includes('--quick');
const onlyArg = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const only = new Set(
  onlyArg
    ? onlyArg.split(',')
    : ['memory', 'connect', 'terminal', 'xterm', 'tunnels', 'socks', 'hold'],
);

const plan = quick
  ? {
      latency: { warmup: 2, reps: 6 },
      stream: { warmup: 1, reps: 2 },
      socks: { seq: 150, conc: 500, reps: 1 },
    }
  : {
      latency: { warmup: 3, reps: 15 },
      stream: { warmup: 1, reps: 5 },
      socks: { seq: 300, conc: 2000, reps: 3 },
    };
const SOCKS_CONCURRENCY = 50;

const children = new Set<ChildProcess>();

function forkTs(file: string, args: string[] = [], env?: NodeJS.ProcessEnv): ChildProcess {
  return forkScript(path.join(here, file), args, env);
}

/** Forks a bench process: TypeScript through tsx, a built `.mjs` as it is. */
function forkScript(script: string, args: string[] = [], env?: NodeJS.ProcessEnv): ChildProcess {
  const child = fork(script, args, {
    ...(env ? { env: { ...process.env, ...env } } : {}),
    // BENCH_PROFILE=<dir> writes a V8 CPU profile of each forked process there (for digging).
    execArgv: [
      '--expose-gc',
      ...(script.endsWith('.ts') ? ['--import', 'tsx'] : []),
      ...(process.env.BENCH_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
        : []),
      ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function stopChildren(): void {
  tlsDispose?.();
  tlsDispose = undefined;
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  children.clear();
  stopAllSsh();
}

/**
 * Bundles bench/oneHopHost.ts and the core it imports into out/bench/ (dependencies stay in
 * node_modules), as electron-vite bundles the core into the desktop app's main process. Running
 * the sources through tsx instead would measure tsx's transform: it keeps function names by
 * wrapping every function expression in a `__name()` call (Object.defineProperty on each closure
 * created), which cost ~5–10% of OneHop's CPU per SOCKS CONNECT (the per-connection handlers).
 */
async function buildOneHopHost(): Promise<void> {
  await build({
    entryPoints: [path.join(here, 'oneHopHost.ts')],
    outfile: ONEHOP_HOST_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
}

/** The OneHop side: a fresh process with the core's engine, driven over IPC. */
class OneHopHost {
  private readonly child = forkScript(ONEHOP_HOST_BUNDLE);
  private nextId = 1;
  private readonly pending = new Map<number, (reply: HostReply) => void>();

  constructor() {
    this.child.on('message', (reply: HostReply) => {
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
  }

  get pid(): number {
    return this.child.pid as number;
  }

  call<K extends HostOp>(
    op: K,
    args: HostOps[K]['args'],
    timeoutMs = 180_000,
  ): Promise<HostOps[K]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`OneHop host: ${op} took over ${String(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.pending.set(id, (reply) => {
        clearTimeout(timer);
        if (reply.ok) resolve(reply.result as HostOps[K]['result']);
        else reject(new Error(`OneHop host: ${op}: ${reply.error}`));
      });
      this.child.send({ id, op, args });
    });
  }

  async stop(): Promise<void> {
    await this.call('shutdown', {}, 10_000).catch(() => undefined);
    // Let it exit by itself (a CPU profile is written at exit), bounded.
    if (this.child.exitCode === null) {
      await Promise.race([
        new Promise((resolve) => this.child.once('exit', resolve)),
        new Promise((resolve) => setTimeout(resolve, 5_000)),
      ]);
    }
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

interface Source {
  httpPort: number;
  holdPort: number;
  held(): Promise<number>;
}

async function startSource(): Promise<Source> {
  const child = forkTs('source.ts');
  const ports = await new Promise<{ httpPort: number; holdPort: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The byte source did not start.')), 20_000);
    child.once('message', (message: { httpPort: number; holdPort: number }) => {
      clearTimeout(timer);
      resolve(message);
    });
  });
  return {
    ...ports,
    held: () =>
      new Promise((resolve) => {
        child.once('message', (message: { held: number }) => resolve(message.held));
        child.send('count');
      }),
  };
}

/** Downloads `bytes` with curl (optionally through SOCKS); returns MB/s from curl's own clock. */
async function curl(url: string, socksPort?: number): Promise<number> {
  const args = [
    '-sS',
    '--fail',
    '--max-time',
    '120',
    '-o',
    '/dev/null',
    '-w',
    '%{size_download} %{time_total}',
  ];
  if (socksPort !== undefined) args.push('--socks5-hostname', `${HOST}:${String(socksPort)}`);
  const { stdout } = await execFileAsync('curl', [...args, url], {
    env: cleanEnv(),
    timeout: 150_000,
  });
  const [size, seconds] = stdout.trim().split(' ').map(Number) as [number, number];
  if (size !== TUNNEL_BYTES)
    throw new Error(`curl received ${String(size)} bytes, expected ${String(TUNNEL_BYTES)}.`);
  return mbps(size, seconds * 1000);
}

async function repeat(times: number, run: (i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < times; i++) await run(i);
}

interface Results {
  rows: Row[];
  raw: Record<string, unknown>;
}

/** sshd's CPU per MB while it serves each side (lower is better; a reference, no verdict). */
function sshdRow(work: number, cpu: { onehop: number[]; openssh: number[] }): Row {
  const o = median(cpu.onehop) / work;
  const s = median(cpu.openssh) / work;
  return {
    label: '  sshd CPU ms per MB sent',
    onehop: `to OneHop ${o.toFixed(2)}`,
    openssh: `to OpenSSH ${s.toFixed(2)}`,
    ratio: s / o,
    reference: true,
  };
}

/** Runs `run` and reports the CPU time (ms) one side's process(es) spent meanwhile. */
async function withCpu<T>(
  run: () => Promise<T>,
  cpuMs: () => Promise<number>,
): Promise<{ value: T; cpuMs: number }> {
  const before = await cpuMs();
  const value = await run();
  return { value, cpuMs: (await cpuMs()) - before };
}

function withRange(onehop: readonly number[], openssh: readonly number[]): Pick<Row, 'range'> {
  const range = pairedRange(onehop, openssh);
  return range ? { range } : {};
}

/** CPU of the bench's sshds (see sshdCpuMs), in withCpu's form. */
const sshdCpu = () => Promise.resolve(sshdCpuMs());

function oneHopCpu(host: OneHopHost): () => Promise<number> {
  return async () => (await host.call('cpu', {})).ms;
}

/**
 * Work per CPU-second of each side's own process(es) (OneHop's process; ssh and its `ssh -W`),
 * sshd excluded as both share it. On a busy machine the two sides get similar CPU shares, so
 * this efficiency is what the wall-clock ratio tends to; it is far less noisy than wall clock.
 * Clock ticks are 10 ms, hence the reference status.
 */
function perCpuRow(
  work: number,
  cpu: { onehop: number[]; openssh: number[] },
  unit: string,
  target: number,
): Row {
  const o = work / (median(cpu.onehop) / 1000);
  const s = work / (median(cpu.openssh) / 1000);
  return {
    label: `  ${unit} per CPU-second`,
    onehop: `OneHop ${rate(o, '')}`.trimEnd(),
    openssh: `OpenSSH ${rate(s, '')}`.trimEnd(),
    ratio: o / s,
    // Work per CPU: OneHop's ratio in run i is OpenSSH's CPU time over OneHop's.
    ...withRange(cpu.openssh, cpu.onehop),
    target: { kind: 'min', value: target },
    reference: true,
  };
}

async function connectPhase(setup: BenchSetup, host: OneHopHost, out: Results): Promise<void> {
  const { warmup, reps } = plan.latency;
  const onehop = await host.call('latency', { warmup, reps });
  // OneHop stops at "authenticated". `ssh … true` also starts the login shell (root's .bashrc
  // here runs `pyenv init`, ~0.3 s), so the verdict uses `ssh -s sftp` with stdin at EOF: the
  // in-process sftp subsystem opens a session and exits without any shell.
  const timed = async (args: string[]) => {
    const samples: number[] = [];
    await repeat(warmup + reps, async (i) => {
      const { ms: t } = await runSsh(args);
      if (i >= warmup) samples.push(t);
    });
    return samples;
  };
  const noShell = { options: ['-s'], command: ['sftp'] };
  const fresh = await timed(sshArgs(setup.openssh, { via: 'jump', ...noShell }));
  const freshTrue = await timed(sshArgs(setup.openssh, { via: 'jump', command: ['true'] }));
  const master = await startSsh(
    ['-F', setup.openssh.controlConfigPath, '-c', CIPHER, '-M', '-N', JUMP_ALIAS],
    () => Promise.resolve(existsSync(setup.openssh.controlPath)),
  );
  let shared: number[];
  try {
    shared = await timed(sshArgs(setup.openssh, { via: 'jump-master', ...noShell }));
  } finally {
    await master.stop();
  }
  const o = median(onehop.samplesMs);
  const row = (label: string, openssh: string, theirs: number[], reference: boolean): Row => ({
    label,
    onehop: `OneHop ${ms(o)}`,
    openssh: `${openssh} ${ms(median(theirs))}`,
    ratio: o / median(theirs),
    target: { kind: 'max', value: 0.5 },
    reference,
  });
  out.rows.push(
    row('connect via open jump', 'OpenSSH -J (-s sftp)', fresh, false),
    row('  ssh -J … true (+ login shell)', 'OpenSSH -J true', freshTrue, true),
    row('  jump ControlMaster (fairer)', 'OpenSSH -J mux', shared, true),
  );
  out.raw.connect = {
    onehopMs: onehop.samplesMs,
    opensshFreshSftpMs: fresh,
    opensshFreshTrueMs: freshTrue,
    opensshControlMasterSftpMs: shared,
  };
}

async function terminalPhase(setup: BenchSetup, host: OneHopHost, out: Results): Promise<void> {
  const { warmup, reps } = plan.stream;
  const command = `cat ${setup.payloadPath}`;
  const raw: Record<string, unknown> = {};
  for (const pty of [true, false]) {
    const expected = PAYLOAD_BYTES + (pty ? setup.payloadLines : 0);
    const catArgs = sshArgs(setup.openssh, {
      via: 'jump',
      tty: pty,
      command: ['cat', setup.payloadPath],
    });
    const trueArgs = sshArgs(setup.openssh, { via: 'jump', tty: pty, command: ['true'] });
    const onehop: number[] = [];
    const opensshCat: number[] = [];
    const opensshTrue: number[] = [];
    await repeat(warmup + reps, async (i) => {
      const mine = await host.call('stream', { command, pty });
      if (mine.bytes !== expected) {
        throw new Error(`OneHop received ${String(mine.bytes)} bytes of ${String(expected)}.`);
      }
      // The warm-up counts OpenSSH's bytes too; the timed runs write to /dev/null.
      const theirs = await runSsh(catArgs, i < warmup);
      if (i < warmup && theirs.bytes !== expected) {
        throw new Error(`OpenSSH printed ${String(theirs.bytes)} bytes of ${String(expected)}.`);
      }
      const baseline = await runSsh(trueArgs);
      if (i >= warmup) {
        onehop.push(mine.ms);
        opensshCat.push(theirs.ms);
        opensshTrue.push(baseline.ms);
      }
    });
    const oneMbps = mbps(expected, median(onehop));
    const streamMs = Math.max(1, median(opensshCat) - median(opensshTrue));
    const netMbps = mbps(expected, streamMs);
    const grossMbps = mbps(expected, median(opensshCat));
    const name = pty ? 'pty' : 'no pty';
    const flag = pty ? ' -tt' : '';
    out.rows.push(
      {
        label: `terminal 100 MiB, ${name}`,
        onehop: `OneHop ${rate(oneMbps, 'MB/s')}`,
        openssh: `OpenSSH -J${flag} ${rate(netMbps, 'MB/s')}`,
        ratio: oneMbps / netMbps,
        target: { kind: 'min', value: 0.8 },
      },
      {
        label: `  (OpenSSH incl. its connect)`,
        onehop: `OneHop ${rate(oneMbps, 'MB/s')}`,
        openssh: `OpenSSH -J${flag} ${rate(grossMbps, 'MB/s')}`,
        ratio: oneMbps / grossMbps,
        target: { kind: 'min', value: 0.8 },
        reference: true,
      },
    );
    raw[pty ? 'pty' : 'plain'] = {
      bytes: expected,
      onehopMs: onehop,
      opensshCatMs: opensshCat,
      opensshTrueMs: opensshTrue,
    };
  }
  out.raw.terminal = raw;
}

async function memoryPhase(host: OneHopHost, out: Results): Promise<void> {
  const base = await host.call('memory', {});
  const pooled = await host.call('shells', { count: 10, separateConnections: false });
  await host.call('closeShells', {});
  const separate = await host.call('shells', { count: 10, separateConnections: true });
  await host.call('closeShells', {});
  const show = (m: MemorySample) => `RSS ${mib(m.rss)}, heap ${mib(m.heapUsed)}`;
  out.rows.push(
    { label: 'memory, jump + target open', onehop: show(base) },
    {
      label: 'memory, 10 pty shells (1 conn)',
      onehop: `${show(pooled)} (${deltaMib(pooled.rss - base.rss)} RSS)`,
    },
    {
      label: 'memory, 10 shells (10 conns)',
      onehop: `${show(separate)} (${deltaMib(separate.rss - base.rss)} RSS)`,
    },
  );
  out.raw.memory = { base, tenShellsOneConnection: pooled, tenShellsTenConnections: separate };
}

async function withOpenSshForward(
  setup: BenchSetup,
  via: 'jump' | 'jump-tls' | 'direct',
  forward: (port: number) => string[],
): Promise<{ port: number; ssh: LongRunning }> {
  const port = await freePort();
  const ssh = await startSsh(
    sshArgs(setup.openssh, { via, options: ['-N', ...forward(port)] }),
    () => portOpen(port),
  );
  return { port, ssh };
}

const TUNNEL_LABEL = {
  jump: 'through jump',
  'jump-tls': 'through jump, TLS routing',
  direct: 'direct',
} as const;

let tlsJumpPort: number | undefined;
let tlsDispose: (() => void) | undefined;

/** Starts the TLS-routing stand-in in front of the jump (once) and tells ssh_config about it. */
async function tlsRoutedJump(setup: BenchSetup): Promise<number> {
  if (tlsJumpPort !== undefined) return tlsJumpPort;
  const webTls = await createWebTls();
  tlsDispose = () => webTls.dispose();
  const child = forkTs('tlsTerminator.ts', [String(setup.openssh.jumpPort)], {
    BENCH_TLS_KEY: webTls.key,
    BENCH_TLS_CERT: webTls.cert,
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The TLS stand-in did not start.')), 20_000);
    child.once('message', (message: { port: number }) => {
      clearTimeout(timer);
      resolve(message.port);
    });
  });
  addTlsRoutedJump(setup, port);
  tlsJumpPort = port;
  return port;
}

async function tunnelsPhase(
  setup: BenchSetup,
  host: OneHopHost,
  source: Source,
  out: Results,
): Promise<void> {
  const { warmup, reps } = plan.stream;
  const raw: Record<string, unknown> = {};
  // BENCH_TUNNEL_CASES=L-direct,D-jump runs only those (for digging into one case).
  const cases = process.env.BENCH_TUNNEL_CASES
    ? new Set(process.env.BENCH_TUNNEL_CASES.split(','))
    : undefined;
  const url = (port: number) => `http://${HOST}:${String(port)}/bytes/${String(TUNNEL_BYTES)}`;
  const all = [
    ['L', 'jump'],
    ['D', 'jump'],
    ['L', 'direct'],
    ['D', 'direct'],
    ['L', 'jump-tls'],
  ] as const;
  for (const [kind, via] of all) {
    if (cases && !cases.has(`${kind}-${via}`)) continue;
    const tlsPort = via === 'jump-tls' ? await tlsRoutedJump(setup) : undefined;
    const mine = await host.call('tunnelStart', {
      kind,
      via,
      targetHost: HOST,
      targetPort: source.httpPort,
      ...(tlsPort === undefined ? {} : { tlsPort }),
    });
    const theirs = await withOpenSshForward(setup, via, (port) =>
      kind === 'L'
        ? ['-L', `${HOST}:${String(port)}:${HOST}:${String(source.httpPort)}`]
        : ['-D', `${HOST}:${String(port)}`],
    );
    const fetch = (port: number) =>
      kind === 'L' ? curl(url(port)) : curl(url(source.httpPort), port);
    const onehop: number[] = [];
    const openssh: number[] = [];
    const cpu = { onehop: [] as number[], openssh: [] as number[] };
    const sshd = { onehop: [] as number[], openssh: [] as number[] };
    try {
      await repeat(warmup + reps, async (i) => {
        const a = await withCpu(() => withCpu(() => fetch(mine.port), oneHopCpu(host)), sshdCpu);
        const b = await withCpu(
          () =>
            withCpu(
              () => fetch(theirs.port),
              () => Promise.resolve(theirs.ssh.cpuMs()),
            ),
          sshdCpu,
        );
        if (i >= warmup) {
          onehop.push(a.value.value);
          openssh.push(b.value.value);
          cpu.onehop.push(a.value.cpuMs);
          cpu.openssh.push(b.value.cpuMs);
          sshd.onehop.push(a.cpuMs);
          sshd.openssh.push(b.cpuMs);
        }
      });
    } finally {
      await theirs.ssh.stop();
      await host.call('tunnelStop', {});
    }
    const o = median(onehop);
    const s = median(openssh);
    const target = via === 'direct' ? 0.9 : 1.2;
    out.rows.push({
      label: `-${kind} ${TUNNEL_LABEL[via]}, 200 MiB`,
      onehop: `OneHop ${rate(o, 'MB/s')}`,
      openssh: `OpenSSH ${rate(s, 'MB/s')}`,
      ratio: o / s,
      ...withRange(onehop, openssh),
      target: { kind: 'min', value: target },
      // The issue's targets do not cover TLS routing; OpenSSH's side there is openssl s_client.
      ...(via === 'jump-tls' ? { reference: true } : {}),
    });
    out.rows.push(perCpuRow(TUNNEL_BYTES / MB, cpu, 'MB', target));
    out.rows.push(sshdRow(TUNNEL_BYTES / MB, sshd));
    raw[`${kind}-${via}`] = {
      onehopMBps: onehop,
      opensshMBps: openssh,
      onehopCpuMs: cpu.onehop,
      opensshCpuMs: cpu.openssh,
      sshdCpuMsServingOneHop: sshd.onehop,
      sshdCpuMsServingOpenSsh: sshd.openssh,
    };
  }

  out.raw.tunnels = raw;
}

/** SOCKS set-up rate through the jump, both proxies up at once, alternating. */
async function socksRatePhase(
  setup: BenchSetup,
  host: OneHopHost,
  source: Source,
  out: Results,
): Promise<void> {
  const mine = await host.call('tunnelStart', {
    kind: 'D',
    via: 'jump',
    targetHost: HOST,
    targetPort: 0,
  });
  const theirs = await withOpenSshForward(setup, 'jump', (port) => [
    '-D',
    `${HOST}:${String(port)}`,
  ]);
  const { seq, conc, reps: socksReps } = plan.socks;
  const rates = {
    seq: { onehop: [] as number[], openssh: [] as number[] },
    conc: { onehop: [] as number[], openssh: [] as number[] },
  };
  const cpu = {
    seq: { onehop: [] as number[], openssh: [] as number[] },
    conc: { onehop: [] as number[], openssh: [] as number[] },
  };
  const opensshCpu = () => Promise.resolve(theirs.ssh.cpuMs());
  const measure = async (key: 'seq' | 'conc', total: number, concurrency: number) => {
    const a = await withCpu(
      () => connectRate(mine.port, HOST, source.holdPort, total, concurrency),
      oneHopCpu(host),
    );
    const b = await withCpu(
      () => connectRate(theirs.port, HOST, source.holdPort, total, concurrency),
      opensshCpu,
    );
    rates[key].onehop.push(a.value);
    rates[key].openssh.push(b.value);
    cpu[key].onehop.push(a.cpuMs);
    cpu[key].openssh.push(b.cpuMs);
  };
  try {
    // Warm-up: one short round each.
    await connectRate(mine.port, HOST, source.holdPort, 50, 10);
    await connectRate(theirs.port, HOST, source.holdPort, 50, 10);
    await repeat(socksReps, async () => {
      await measure('seq', seq, 1);
      await measure('conc', conc, SOCKS_CONCURRENCY);
    });
  } finally {
    await theirs.ssh.stop();
    await host.call('tunnelStop', {});
  }
  for (const [key, label] of [
    ['seq', 'SOCKS CONNECTs/s, sequential'],
    ['conc', `SOCKS CONNECTs/s, ${String(SOCKS_CONCURRENCY)} at once`],
  ] as const) {
    const o = median(rates[key].onehop);
    const s = median(rates[key].openssh);
    out.rows.push({
      label,
      onehop: `OneHop ${rate(o, '/s')}`,
      openssh: `OpenSSH -D ${rate(s, '/s')}`,
      ratio: o / s,
      ...withRange(rates[key].onehop, rates[key].openssh),
      target: { kind: 'min', value: 1.0 },
    });
    out.rows.push(perCpuRow(key === 'seq' ? seq : conc, cpu[key], 'CONNECTs', 1.0));
  }
  out.raw.socksRate = { ...rates, cpuMs: cpu };
}

/** 1,000 SOCKS connections held open through the jump; memory of each side's process(es). */
async function holdPhase(setup: BenchSetup, source: Source, out: Results): Promise<void> {
  const fresh = new OneHopHost();
  let onehop: { before: MemorySample; after: MemorySample };
  try {
    await fresh.call('init', setup.host);
    const { port } = await fresh.call('tunnelStart', {
      kind: 'D',
      via: 'jump',
      targetHost: HOST,
      targetPort: 0,
    });
    const before = await fresh.call('memory', {});
    const sockets = await holdOpen(port, HOST, source.holdPort, HOLD_COUNT, 100);
    // The source's accept may trail the proxy's success reply by a moment.
    let held = await source.held();
    for (let i = 0; i < 30 && held < HOLD_COUNT; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      held = await source.held();
    }
    const after = await fresh.call('memory', {});
    for (const socket of sockets) socket.destroy();
    if (held < HOLD_COUNT)
      throw new Error(
        `Only ${String(held)} of ${String(HOLD_COUNT)} connections reached the source.`,
      );
    onehop = { before, after };
  } finally {
    await fresh.stop();
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const theirs = await withOpenSshForward(setup, 'jump', (port) => [
    '-D',
    `${HOST}:${String(port)}`,
  ]);
  let openssh: { before: number; after: number };
  try {
    const before = theirs.ssh.rss();
    const sockets = await holdOpen(theirs.port, HOST, source.holdPort, HOLD_COUNT, 100);
    const after = theirs.ssh.rss();
    for (const socket of sockets) socket.destroy();
    openssh = { before, after };
  } finally {
    await theirs.ssh.stop();
  }
  out.rows.push({
    label: `${String(HOLD_COUNT)} SOCKS conns held open`,
    onehop: `OneHop RSS ${mib(onehop.after.rss)} (${deltaMib(onehop.after.rss - onehop.before.rss)}), heap ${mib(onehop.after.heapUsed)}`,
    openssh: `OpenSSH ssh+ssh -W RSS ${mib(openssh.after)} (${deltaMib(openssh.after - openssh.before)})`,
  });
  out.raw.hold = { count: HOLD_COUNT, onehop, opensshRss: openssh };
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadAtStart = os.loadavg();
  const limit = setTimeout(() => {
    console.error('The bench ran over 15 minutes; stopping.');
    stopChildren();
    process.exit(2);
  }, RUN_LIMIT_MS);
  limit.unref();
  // `ssh -V` prints to stderr.
  const openSshVersion = spawnSync('ssh', ['-V'], { encoding: 'utf8' }).stderr.trim() || 'unknown';
  await buildOneHopHost();
  const setup = await setUp();
  const stopOnSignal = () => {
    stopChildren();
    void setup.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const out: Results = { rows: [], raw: {} };
  const host = new OneHopHost();
  let source: Source | undefined;
  try {
    const info = await host.call('init', setup.host);
    const theirs = await negotiated(sshArgs(setup.openssh, { via: 'jump', command: ['true'] }));
    const hops = ['jump', 'target'];
    const ours = info.negotiated.map((n) => `${n.hop} ${n.kex} ${n.cipherCs}`).join(', ');
    const header =
      `OneHop bench${quick ? ' (--quick)' : ''} — ` +
      `ssh2 native crypto: ${info.native ? 'yes' : 'NO'} — ` +
      `${openSshVersion.split(',')[0] ?? openSshVersion} — cipher ${CIPHER}\n` +
      `negotiated: OneHop ${ours}; ` +
      `OpenSSH ${theirs.map((n, i) => `${hops[i] ?? '?'} ${n.kex} ${n.cipher}`).join(', ')}`;
    console.log(header);
    const load = os.loadavg()[0] ?? 0;
    if (load > 1.5) {
      console.log(
        `warning: load average ${load.toFixed(1)} on ${String(os.cpus().length)} CPUs; ` +
          'other work competes with both sides and skews the ratios.',
      );
    }
    const unfair =
      theirs.length !== 2 ||
      info.negotiated.length !== 2 ||
      [
        ...info.negotiated.flatMap((n) => [n.cipherCs, n.cipherSc]),
        ...theirs.map((n) => n.cipher),
      ].some((c) => c !== CIPHER) ||
      // curve25519-sha256@libssh.org is the same algorithm under its older name.
      [...info.negotiated, ...theirs].some((n) => n.kex.replace(/@libssh\.org$/, '') !== KEX);
    if (unfair) {
      throw new Error(
        `The two sides did not both negotiate ${KEX} and ${CIPHER} on both hops; the comparison would be unfair.`,
      );
    }
    // Memory first, while the OneHop process is fresh.
    // A failed phase is reported in the table; the others still run.
    const phase = async (name: string, run: () => Promise<void>) => {
      if (!only.has(name)) return;
      try {
        await run();
      } catch (error) {
        out.rows.push({ label: `${name}: FAILED`, onehop: errorText(error) });
        out.raw[`${name}Error`] = errorText(error);
      }
    };
    await phase('memory', () => memoryPhase(host, out));
    await phase('connect', () => connectPhase(setup, host, out));
    await phase('terminal', () => terminalPhase(setup, host, out));
    await phase('xterm', () => xtermPhase(forkTs, out));
    if (only.has('tunnels') || only.has('socks') || only.has('hold')) source = await startSource();
    const src = source;
    if (src) {
      await phase('tunnels', () => tunnelsPhase(setup, host, src, out));
      await phase('socks', () => socksRatePhase(setup, host, src, out));
      await phase('hold', () => holdPhase(setup, src, out));
    }
    const failed = out.rows.some((row) => row.label.endsWith('FAILED'));
    if (failed) process.exitCode = 1;
    const table = formatTable(out.rows);
    console.log(table);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(`(${seconds} s; medians; MB = 10^6 bytes; ratio = OneHop/OpenSSH)`);
    const dir = path.join(here, '..', 'bench-results');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          quick,
          node: process.version,
          openssh: openSshVersion,
          ssh2NativeCrypto: info.native,
          cipher: CIPHER,
          negotiated: { onehop: info.negotiated, openssh: theirs },
          plan,
          rows: out.rows.map((row) => ({ ...row, verdict: verdict(row) })),
          raw: out.raw,
          seconds: Number(seconds),
          loadAverage: { start: loadAtStart, end: os.loadavg() },
        },
        null,
        2,
      ),
    );
    console.log(`results: ${path.relative(process.cwd(), file)}`);
  } finally {
    await host.stop();
    stopChildren();
    await setup.stop();
    clearTimeout(limit);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main().catch((error: unknown) => {
  console.error(errorText(error));
  stopChildren();
  process.exitCode = 1;
});
