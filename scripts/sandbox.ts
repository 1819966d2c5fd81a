/**
 * `npm run sandbox`: a practice Teleport site on this machine, to try OneHop without an account.
 *
 *   npm run sandbox                     stable ports (3080 web, 3023 proxy SSH, 2201/2202 hosts),
 *                                       free ones where those are taken
 *   npm run sandbox -- --port-base N    N, N+1, … N+6 (all must be free); 0 = free ports
 *   ONEHOP_SANDBOX_PORT_BASE=N          the same, from the environment
 *
 * Everything listens on 127.0.0.1 only. While it runs, `sandbox.json` in the OneHop data
 * directory (ONEHOP_HOME or the app's) describes it; the app's "Try the sandbox" and
 * `onehop sites add-sandbox` read it. Ctrl-C or SIGTERM stops every child by PID and removes the
 * descriptor. stdin is not read: closing it does not stop the sandbox.
 */
import { resolveDataDir } from '../src/main/core/settings/paths';
import {
  removeSandboxDescriptor,
  sandboxInfo,
  writeSandboxDescriptor,
} from '../src/main/core/sandbox/descriptor';
import { findTool } from '../test/support/tools';
import { choosePorts, PortsTakenError } from './sandbox/ports';
import { startSandbox, TELEPORT_VERSION, type Sandbox } from './sandbox/startSandbox';

const USAGE = `Usage: npm run sandbox [-- --port-base N]

Starts a practice Teleport proxy, identity provider and two SSH hosts on 127.0.0.1.
  --port-base N   use ports N … N+6 (web, proxy SSH, hpc-login, ecs-login, log server,
                  and two free ports for the example tunnels); 0 picks free ports.
                  Also ONEHOP_SANDBOX_PORT_BASE=N.
`;

class UsageError extends Error {}
/** A tool the sandbox needs is missing (exit 1, no usage text). */
class MissingToolError extends Error {}

function parsePortBase(argv: string[], env: NodeJS.ProcessEnv): number | undefined {
  let raw: string | undefined = env.ONEHOP_SANDBOX_PORT_BASE?.trim() || undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (arg === '--port-base') {
      raw = argv[++i];
      if (raw === undefined) throw new UsageError('--port-base needs a number.');
    } else if (arg.startsWith('--port-base=')) {
      raw = arg.slice('--port-base='.length);
    } else {
      throw new UsageError(`Unknown argument "${arg}".`);
    }
  }
  if (raw === undefined) return undefined;
  const base = Number(raw);
  if (!/^\d+$/.test(raw) || (base !== 0 && (base < 1024 || base > 65529))) {
    throw new UsageError(`--port-base must be 0 or a port between 1024 and 65529, not "${raw}".`);
  }
  return base;
}

function checkTools(): void {
  if (!findTool('sshd')) {
    throw new MissingToolError('sshd is not installed: apt install openssh-server');
  }
  for (const [tool, apt] of [
    ['ssh-keygen', 'openssh-client'],
    ['openssl', 'openssl'],
  ] as const) {
    if (!findTool(tool)) throw new MissingToolError(`${tool} is not installed: apt install ${apt}`);
  }
}

function instructions(sandbox: Sandbox, dataDir: string, notes: string[]): string {
  const d = sandbox.descriptor;
  const [hpc, ecs] = d.targets;
  const home = process.env.ONEHOP_HOME?.trim();
  const env = home ? `ONEHOP_HOME=${home} ` : '';
  const login = d.logins[0] ?? 'root';
  const lines = [
    `OneHop sandbox running (PID ${d.pid}). Press Ctrl-C to stop it.`,
    ...notes.map((note) => `  note: ${note}`),
    '',
    `  Teleport proxy     ${d.proxy.webUrl}  (Teleport ${TELEPORT_VERSION} emulator)`,
    `  proxy SSH          127.0.0.1:${d.proxy.sshPort}  (OpenSSH, host certificate only)`,
    `  hpc-login          127.0.0.1:${hpc?.port ?? '?'}  (OpenSSH, reached through the proxy)`,
    `  ecs-login          127.0.0.1:${ecs?.port ?? '?'}`,
    `  log server         http://127.0.0.1:${d.logserver.port}/`,
    `  identity provider  ${d.idp.issuer}  (signs you in as ${d.idp.user}; no password, no form)`,
    `  SSH login          ${d.logins.join(', ')}`,
    `  descriptor         ${dataDir}/sandbox.json`,
    '',
    'From the CLI (in another terminal, in this repository):',
    `  ${env}npx onehop sites add-sandbox`,
    `  ${env}npx onehop login sandbox`,
    `  ${env}npx onehop ssh hpc-login -- echo ok`,
    '',
    `From the app: ${env}npm start, then "Try the sandbox" on the welcome screen`,
    '(or the sidebar), then sign in to the "sandbox" site.',
    '',
    'With plain OpenSSH, once signed in (key and certificate exported by OneHop):',
    `  ssh -J ${login}@127.0.0.1:${d.proxy.sshPort} -p ${hpc?.port ?? 2201} ${login}@127.0.0.1`,
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<number> {
  let portBase: number | undefined;
  try {
    portBase = parsePortBase(process.argv.slice(2), process.env);
    checkTools();
  } catch (error) {
    process.stderr.write(`sandbox: ${(error as Error).message}\n`);
    if (error instanceof UsageError) process.stderr.write(USAGE);
    return error instanceof UsageError ? 2 : 1;
  }

  const dataDir = resolveDataDir();
  const existing = await sandboxInfo(dataDir);
  if (existing.running && existing.descriptor) {
    process.stderr.write(
      `sandbox: a sandbox is already running for ${dataDir} (PID ${existing.descriptor.pid}); stop it first (Ctrl-C in its terminal, or kill ${existing.descriptor.pid}).\n`,
    );
    return 1;
  }

  let sandbox: Sandbox | undefined;
  let starting: Promise<Sandbox> | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (reason: string) => {
    if (stopping) {
      // A second Ctrl-C while stopping: out now; sshd.ts's exit hook still kills each sshd by PID.
      process.stderr.write('sandbox: stopping immediately.\n');
      process.exit(130);
    }
    process.stderr.write(`sandbox: ${reason}; stopping…\n`);
    removeSandboxDescriptor(dataDir);
    stopping = (async () => {
      // A signal during start-up waits for the start to finish (or fail), then stops it all.
      const running = sandbox ?? (await starting?.catch(() => undefined));
      await running?.stop();
    })().finally(() => {
      process.stderr.write('sandbox: stopped.\n');
      process.exit(0);
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => stop(`${signal} received`));
  }
  // Whatever happens, never leave a descriptor that points at a dead sandbox.
  process.on('exit', () => removeSandboxDescriptor(dataDir));

  try {
    const { ports, notes } = await choosePorts(portBase);
    process.stderr.write(
      'sandbox: starting the IdP, the proxy emulator, three sshd and a log server…\n',
    );
    starting = startSandbox(ports);
    sandbox = await starting;
    if (stopping) return new Promise<number>(() => undefined);
    writeSandboxDescriptor(dataDir, sandbox.descriptor);
    process.stdout.write(`${instructions(sandbox, dataDir, notes)}\n`);
  } catch (error) {
    if (stopping) return new Promise<number>(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof PortsTakenError) {
      process.stderr.write(`sandbox: ${message}\n`);
    } else if (/Address already in use/i.test(message)) {
      process.stderr.write(
        `sandbox: a port was taken while starting; try again, or use --port-base 0. (${message.split('\n')[0]})\n`,
      );
    } else {
      process.stderr.write(`sandbox: could not start: ${message}\n`);
    }
    return 1;
  }
  // Stay up until a signal; the servers keep the event loop alive.
  return new Promise<number>(() => undefined);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `sandbox: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
