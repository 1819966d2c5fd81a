/**
 * Launchers: start a program (ecflow_ui, a browser, …) once its tunnel listens.
 *
 * Placeholders in the command, its arguments and environment values:
 *   {socksPort}        the bind port of the profile's first dynamic (SOCKS) forward;
 *   {localPort:<n>}    the bind port of the profile's n-th local forward, counting from 1 in the
 *                      order the forwards are listed (an index, because several `-L` forwards
 *                      often share a target port such as 9316, and the bind port itself would
 *                      make the placeholder pointless);
 *   {proxychainsConf}  the proxychains4 configuration written for this profile.
 * For a profile with a SOCKS forward, PROXYCHAINS_CONF_FILE points at that configuration, so
 * `ecflow_ui -cmd proxychains4` and `proxychains4 program` use the tunnel.
 * The program is spawned without a shell; it is checked on PATH first for a clear message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LauncherRuntime } from '../../../shared/model/tunnel';
import type { TunnelProfile } from '../../../shared/model/settings';

export class LauncherError extends Error {
  override readonly name = 'LauncherError';
}

export interface PlaceholderValues {
  socksPort?: number;
  /** Bind ports of the local forwards, in profile order. */
  localPorts: number[];
  proxychainsConf?: string;
}

export function placeholderValues(
  profile: Pick<TunnelProfile, 'forwards'>,
  proxychainsConf?: string,
): PlaceholderValues {
  const socks = profile.forwards.find((f) => f.kind === 'dynamic');
  return {
    ...(socks ? { socksPort: socks.bindPort } : {}),
    localPorts: profile.forwards.filter((f) => f.kind === 'local').map((f) => f.bindPort),
    ...(proxychainsConf !== undefined ? { proxychainsConf } : {}),
  };
}

/** Expands `{socksPort}`, `{localPort:<n>}` and `{proxychainsConf}`; throws a LauncherError. */
export function expandPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(/\{([A-Za-z]+)(?::([^}]*))?\}/g, (whole, name: string, arg?: string) => {
    if (name === 'socksPort' && arg === undefined) {
      if (values.socksPort === undefined) {
        throw new LauncherError(
          'The launcher uses {socksPort}, but this tunnel has no SOCKS (-D) forward; add one or remove the placeholder.',
        );
      }
      return String(values.socksPort);
    }
    if (name === 'localPort' && arg !== undefined) {
      const index = /^\d+$/.test(arg) ? Number(arg) : NaN;
      const port = values.localPorts[index - 1];
      if (port === undefined) {
        throw new LauncherError(
          `The launcher uses ${whole}, but this tunnel has ${String(values.localPorts.length)} local (-L) forward(s); ` +
            '<n> counts the local forwards from 1 in the order they are listed.',
        );
      }
      return String(port);
    }
    if (name === 'proxychainsConf' && arg === undefined) {
      if (values.proxychainsConf === undefined) {
        throw new LauncherError(
          'The launcher uses {proxychainsConf}, but this tunnel has no SOCKS (-D) forward; add one or remove the placeholder.',
        );
      }
      return values.proxychainsConf;
    }
    throw new LauncherError(
      `The launcher contains an unknown placeholder ${whole}; use {socksPort}, {localPort:<n>} or {proxychainsConf}.`,
    );
  });
}

/** The proxychains4 configuration for a SOCKS forward on `host:port`. */
export function proxychainsConfig(host: string, port: number, profileName: string): string {
  return [
    `# Written by OneHop for the tunnel "${profileName.replace(/[\r\n]/g, ' ')}"; rewritten at each launch.`,
    '# Every connection goes through the tunnel, and names are resolved on the remote side.',
    'strict_chain',
    'proxy_dns',
    'remote_dns_subnet 224',
    'tcp_read_time_out 15000',
    'tcp_connect_time_out 20000',
    '',
    '[ProxyList]',
    `socks5 ${host} ${String(port)}`,
    '',
  ].join('\n');
}

/** Where a client on this machine reaches a listener bound to `bindAddress`. */
function connectAddress(bindAddress: string): string {
  const a = bindAddress.replace(/^\[(.*)\]$/, '$1');
  if (a === '0.0.0.0' || a === 'localhost') return '127.0.0.1';
  if (a === '::') return '::1';
  return a;
}

function fileSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return slug.slice(0, 60) || 'tunnel';
}

/** Writes `<dir>/proxychains-<profile>.conf` (mode 0600) and returns its path. */
export function writeProxychainsConf(
  dir: string,
  profile: Pick<TunnelProfile, 'name' | 'forwards'>,
): string | undefined {
  const socks = profile.forwards.find((f) => f.kind === 'dynamic');
  if (!socks) return undefined;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `proxychains-${fileSlug(profile.name)}.conf`);
  writeFileSync(
    file,
    proxychainsConfig(connectAddress(socks.bindAddress), socks.bindPort, profile.name),
    {
      mode: 0o600,
    },
  );
  return file;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of `command` (a path, or a name looked up on `pathVariable`). */
export function findExecutable(
  command: string,
  pathVariable: string | undefined,
): string | undefined {
  if (command.includes('/') || command.includes(path.sep)) {
    return isExecutable(command) ? path.resolve(command) : undefined;
  }
  const exts = process.platform === 'win32' ? ['', '.exe', '.cmd', '.bat'] : [''];
  for (const dir of (pathVariable ?? '').split(path.delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const candidate = path.join(dir, command + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

export interface LaunchPlan {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/**
 * Expands the launcher and checks its programs exist (throws a LauncherError with the fix).
 * `proxychains4` is checked too when the launcher runs it or hands it to the program.
 */
export function planLaunch(
  profile: Pick<TunnelProfile, 'name' | 'forwards' | 'launcher'>,
  confDir: string,
  baseEnv: NodeJS.ProcessEnv = process.env,
): LaunchPlan {
  const launcher = profile.launcher;
  if (!launcher) throw new LauncherError(`The tunnel "${profile.name}" has no launcher.`);
  const conf = writeProxychainsConf(confDir, profile);
  const values = placeholderValues(profile, conf);
  const env: NodeJS.ProcessEnv = { ...baseEnv };
  for (const [key, value] of Object.entries(launcher.env))
    env[key] = expandPlaceholders(value, values);
  if (conf !== undefined) env.PROXYCHAINS_CONF_FILE = conf;
  const command = expandPlaceholders(launcher.command, values);
  const args = launcher.args.map((arg) => expandPlaceholders(arg, values));

  const resolved = findExecutable(command, env.PATH);
  if (resolved === undefined) {
    throw new LauncherError(
      command.includes('/')
        ? `The program ${command} does not exist or is not executable; check the launcher's command.`
        : `The program "${command}" was not found on this computer (searched PATH); install it or give its full path in the launcher.`,
    );
  }
  const usesProxychains = [command, ...args].some((word) =>
    /^proxychains4?$/.test(path.basename(word)),
  );
  if (usesProxychains && findExecutable('proxychains4', env.PATH) === undefined) {
    throw new LauncherError(
      'The launcher needs proxychains4, which is not installed; install it (Debian/Ubuntu: apt install proxychains4, Fedora: dnf install proxychains-ng, macOS: brew install proxychains-ng).',
    );
  }
  return { command: resolved, args, env };
}

export interface LauncherHandle {
  runtime(): LauncherRuntime;
  /** Stops the program by PID: SIGTERM, then SIGKILL after a bound. */
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 3_000;

/**
 * Runs a launch: waits for the tunnel (`ready` rejects with the reason), then spawns the program
 * and tracks its exit. Progress is reported through `onChange`; never throws.
 */
export function runLauncher(options: {
  profile: Pick<TunnelProfile, 'name' | 'forwards' | 'launcher'>;
  confDir: string;
  ready: () => Promise<void>;
  onChange: (runtime: LauncherRuntime) => void;
  env?: NodeJS.ProcessEnv;
}): LauncherHandle {
  let state: LauncherRuntime = { state: 'waiting', pid: null, exitCode: null, message: null };
  let child: ChildProcess | undefined;
  let stopped = false;
  const set = (next: LauncherRuntime) => {
    state = next;
    options.onChange(next);
  };
  const failWith = (message: string) =>
    set({ state: 'failed', pid: null, exitCode: null, message });

  let plan: LaunchPlan;
  try {
    plan = planLaunch(options.profile, options.confDir, options.env);
  } catch (error) {
    failWith((error as Error).message);
    return { runtime: () => state, stop: () => Promise.resolve() };
  }
  set(state);

  const started = options.ready().then(
    () => {
      if (stopped) return;
      const name = path.basename(plan.command);
      try {
        child = spawn(plan.command, plan.args, {
          env: plan.env,
          stdio: 'ignore',
          // Its own process group: the program outlives OneHop's terminal, and is not killed with it.
          detached: process.platform !== 'win32',
          shell: false,
        });
      } catch (error) {
        failWith(`${name} could not be started: ${(error as Error).message}.`);
        return;
      }
      child.unref();
      const pid = child.pid ?? null;
      child.once('error', (error) => failWith(`${name} could not be started: ${error.message}.`));
      child.once('exit', (code, signal) => {
        if (state.state === 'failed') return;
        const message =
          code === 0
            ? `${name} exited.`
            : code !== null
              ? `${name} exited with status ${String(code)}.`
              : `${name} was stopped by ${String(signal)}.`;
        set({ state: 'exited', pid, exitCode: code, message });
      });
      if (pid !== null)
        set({ state: 'running', pid, exitCode: null, message: `${name} is running.` });
    },
    (error: unknown) => {
      failWith(
        `The program was not started because the tunnel is not listening: ${(error as Error).message}`,
      );
    },
  );

  return {
    runtime: () => state,
    stop: async () => {
      stopped = true;
      await started;
      const proc = child;
      if (!proc || proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null)
        return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([
        exited.then(() => false),
        new Promise<boolean>(
          (resolve) => (timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS)),
        ),
      ]);
      clearTimeout(timer);
      if (late) proc.kill('SIGKILL');
    },
  };
}
