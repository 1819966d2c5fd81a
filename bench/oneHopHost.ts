/**
 * The OneHop side of the bench, in its own process (forked by bench/index.ts with an IPC channel):
 * the core's SSH engine (connectSsh, openThroughJump) and tunnel servers, driven by messages.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { dialTlsRouted } from '../src/main/core/connections/tlsRouting';
import { parsePublicKeyLine } from '../src/main/core/credentials/sshKeys';
import {
  connectSsh,
  openThroughJump,
  ssh2NativeCryptoAvailable,
  type ConnectOptions,
  type HostKeyPolicy,
  type SshConnection,
  type SshCredentials,
  type TargetOptions,
} from '../src/main/core/ssh';
import type { Ssh2Channel, Ssh2Client } from '../src/main/core/ssh/ssh2';
import { startLocalForwardServer, startSocks5Server, type ForwardServer } from './oneHopTunnel';
import type {
  HostInit,
  HostOp,
  HostOps,
  HostReply,
  HostRequest,
  MemorySample,
  Negotiated,
} from './protocol';
import { sampleMemory } from './memory';

const HOST = '127.0.0.1';
const PTY = { term: 'xterm-256color', cols: 200, rows: 50 };

let init: HostInit | undefined;
let jump: SshConnection | undefined;
let pooledTarget: SshConnection | undefined;
let directTarget: SshConnection | undefined;
/** The jump reached through the TLS-routing stand-in, and the target through it. */
let tlsJump: SshConnection | undefined;
let tlsTarget: SshConnection | undefined;
let tunnel: ForwardServer | undefined;
const shells: { channel: Ssh2Channel; own?: SshConnection }[] = [];

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not ready (init first).`);
  return value;
}

function policy(config: HostInit): HostKeyPolicy {
  return { trustedCas: [parsePublicKeyLine(config.hostCaPublicKey)], knownHosts: [] };
}

function targetOptions(config: HostInit): TargetOptions {
  const credentials: SshCredentials = {
    privateKeyPem: config.privateKeyPem,
    certificate: config.certificate,
  };
  return {
    host: HOST,
    port: config.targetPort,
    username: 'root',
    credentials,
    hostKeys: policy(config),
    readyTimeoutMs: 20_000,
  };
}

/** The jump hop: the same login, CA and key as the target, on the jump's port. */
function jumpOptions(config: HostInit): ConnectOptions {
  return { ...targetOptions(config), port: config.jumpPort, hop: 'jump' };
}

/** Records ssh2's 'handshake' events (negotiated algorithms) while `run` connects. */
async function withHandshakeLog<T>(
  run: () => Promise<T>,
): Promise<{ value: T; negotiated: Negotiated[] }> {
  const require = createRequire(import.meta.url);
  const { Client } = require('ssh2') as {
    Client: { prototype: { emit: (event: string, ...args: unknown[]) => boolean } };
  };
  const original = Client.prototype.emit;
  const negotiated: Negotiated[] = [];
  Client.prototype.emit = function (this: unknown, event: string, ...args: unknown[]) {
    if (event === 'handshake') {
      const info = args[0] as { kex: string; cs: { cipher: string }; sc: { cipher: string } };
      negotiated.push({
        hop: negotiated.length === 0 ? 'jump' : 'target',
        kex: info.kex,
        cipherCs: info.cs.cipher,
        cipherSc: info.sc.cipher,
      });
    }
    return original.call(this, event, ...args);
  };
  try {
    return { value: await run(), negotiated };
  } finally {
    Client.prototype.emit = original;
  }
}

async function pooled(): Promise<SshConnection> {
  const config = required(init, 'The bench configuration');
  pooledTarget ??= await openThroughJump(required(jump, 'The jump'), targetOptions(config));
  return pooledTarget;
}

function exec(client: Ssh2Client, command: string, pty: boolean): Promise<Ssh2Channel> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | undefined, channel: Ssh2Channel) =>
      error ? reject(error) : resolve(channel);
    if (pty) client.exec(command, { pty: PTY }, done);
    else client.exec(command, done);
  });
}

/** Runs `command` and counts its output as a terminal consumer would receive it. */
async function stream(command: string, pty: boolean): Promise<{ ms: number; bytes: number }> {
  const target = await pooled();
  const start = performance.now();
  const channel = await exec(target.client, command, pty);
  let bytes = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The stream took over 120 s.')), 120_000);
    channel.on('data', (chunk: Buffer) => (bytes += chunk.length));
    channel.stderr.on('data', (chunk: Buffer) => (bytes += chunk.length));
    channel.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return { ms: performance.now() - start, bytes };
}

function openShell(client: Ssh2Client): Promise<Ssh2Channel> {
  return new Promise((resolve, reject) => {
    client.shell(PTY, {}, (error, channel) => {
      if (error) {
        reject(error);
        return;
      }
      // Ready once the shell printed something (its prompt), or after 3 s.
      const timer = setTimeout(() => resolve(channel), 3_000);
      channel.once('data', () => {
        clearTimeout(timer);
        resolve(channel);
      });
      channel.on('data', () => undefined);
    });
  });
}

async function openShells(count: number, separate: boolean): Promise<MemorySample> {
  const config = required(init, 'The bench configuration');
  for (let i = 0; i < count; i++) {
    const own = separate
      ? await openThroughJump(required(jump, 'The jump'), targetOptions(config))
      : undefined;
    const channel = await openShell((own ?? (await pooled())).client);
    shells.push({ channel, ...(own ? { own } : {}) });
  }
  return sampleMemory();
}

async function closeShells(): Promise<void> {
  for (const shell of shells.splice(0)) {
    shell.channel.end('exit\n');
    shell.channel.destroy();
    if (shell.own) await shell.own.close();
  }
}

function forwardOut(connection: SshConnection, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    connection.client.forwardOut(HOST, 0, host, port, (error, channel) =>
      error ? reject(error) : resolve(channel),
    );
  });
}

async function tunnelStart(args: HostOps['tunnelStart']['args']): Promise<{ port: number }> {
  const config = required(init, 'The bench configuration');
  let via: SshConnection;
  if (args.via === 'jump') {
    via = await pooled();
  } else if (args.via === 'jump-tls') {
    tlsJump ??= await connectSsh({
      ...jumpOptions(config),
      sock: await dialTlsRouted({ host: HOST, port: required(args.tlsPort, 'The TLS port') }),
    });
    tlsTarget ??= await openThroughJump(tlsJump, targetOptions(config));
    via = tlsTarget;
  } else {
    directTarget ??= await connectSsh(targetOptions(config));
    via = directTarget;
  }
  const dial = (host: string, port: number) => forwardOut(via, host, port);
  tunnel =
    args.kind === 'D'
      ? await startSocks5Server({ bindAddress: HOST, bindPort: 0, dial })
      : await startLocalForwardServer({
          bindAddress: HOST,
          bindPort: 0,
          targetHost: args.targetHost,
          targetPort: args.targetPort,
          dial,
        });
  return { port: tunnel.port };
}

async function latency(warmup: number, reps: number): Promise<{ samplesMs: number[] }> {
  const config = required(init, 'The bench configuration');
  const jumpConnection = required(jump, 'The jump');
  const samplesMs: number[] = [];
  for (let i = 0; i < warmup + reps; i++) {
    const start = performance.now();
    const target = await openThroughJump(jumpConnection, targetOptions(config));
    const ms = performance.now() - start;
    await target.close();
    if (i >= warmup) samplesMs.push(ms);
  }
  return { samplesMs };
}

async function handle(request: HostRequest): Promise<unknown> {
  const op: HostOp = request.op;
  switch (op) {
    case 'init': {
      const config = request.args as HostInit;
      init = config;
      const { negotiated } = await withHandshakeLog(async () => {
        jump = await connectSsh(jumpOptions(config));
        await pooled();
      });
      return { native: ssh2NativeCryptoAvailable(), negotiated };
    }
    case 'latency': {
      const args = request.args as HostOps['latency']['args'];
      return latency(args.warmup, args.reps);
    }
    case 'stream': {
      const args = request.args as HostOps['stream']['args'];
      return stream(args.command, args.pty);
    }
    case 'shells': {
      const args = request.args as HostOps['shells']['args'];
      return openShells(args.count, args.separateConnections);
    }
    case 'closeShells':
      await closeShells();
      return null;
    case 'memory':
      return sampleMemory();
    case 'cpu': {
      const { user, system } = process.cpuUsage();
      return { ms: (user + system) / 1000 };
    }
    case 'tunnelStart':
      return tunnelStart(request.args as HostOps['tunnelStart']['args']);
    case 'tunnelStop':
      await tunnel?.close();
      tunnel = undefined;
      return null;
    case 'shutdown':
      await tunnel?.close();
      await closeShells();
      await directTarget?.close();
      await tlsTarget?.close();
      await tlsJump?.close();
      await pooledTarget?.close();
      await jump?.close();
      setTimeout(() => process.exit(0), 50);
      return null;
  }
}

process.on('message', (message: HostRequest) => {
  void handle(message).then(
    (result) => process.send?.({ id: message.id, ok: true, result } satisfies HostReply),
    (error: unknown) =>
      process.send?.({
        id: message.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      } satisfies HostReply),
  );
});
// The orchestrator went away: do not linger.
process.on('disconnect', () => process.exit(0));
