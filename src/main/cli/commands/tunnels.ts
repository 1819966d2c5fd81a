/**
 * `onehop tunnel add | list | rm | start`. `start` runs the tunnel in the foreground: one line per
 * listener, state changes as they happen, reconnection as in the app, and a clean stop on
 * Ctrl-C / SIGTERM.
 */
import type { Forward, TunnelProfile } from '../../../shared/model/settings';
import type { TunnelRuntime } from '../../../shared/model/tunnel';
import { ContractError } from '../../../shared/contract';
import { UsageError, type CommandContext, type CommandSpec } from '../command';
import { json, table } from '../output';

/** `[bind:]port:host:hostport` (IPv6 in brackets), as `ssh -L`. */
export function parseLocalForward(spec: string): Forward {
  const parts = splitColons(spec);
  const [bindAddress, bindPort, targetHost, targetPort] =
    parts.length === 3 ? ['127.0.0.1', ...parts] : parts;
  if (parts.length < 3 || parts.length > 4 || !bindPort || !targetHost || !targetPort) {
    throw new UsageError(
      `-L ${spec}: write it as [bind_address:]port:host:hostport, e.g. 4141:machine1:4141.`,
    );
  }
  return {
    kind: 'local',
    bindAddress: bindAddress ?? '127.0.0.1',
    bindPort: port(bindPort, `-L ${spec}`),
    targetHost,
    targetPort: port(targetPort, `-L ${spec}`),
  };
}

/** `[bind:]port`, as `ssh -D`. */
export function parseDynamicForward(spec: string): Forward {
  const parts = splitColons(spec);
  if (parts.length < 1 || parts.length > 2) {
    throw new UsageError(`-D ${spec}: write it as [bind_address:]port, e.g. 9050.`);
  }
  const [bindAddress, bindPort] = parts.length === 1 ? ['127.0.0.1', parts[0]] : parts;
  return {
    kind: 'dynamic',
    bindAddress: bindAddress ?? '127.0.0.1',
    bindPort: port(bindPort ?? '', `-D ${spec}`),
  };
}

function splitColons(spec: string): string[] {
  const parts: string[] = [];
  const pattern = /\[([^\]]*)\]|([^:]+)|(?<=:)(?=:|$)/g;
  for (const match of spec.matchAll(pattern)) parts.push(match[1] ?? match[2] ?? '');
  return parts;
}

function port(text: string, where: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new UsageError(`${where}: "${text}" is not a port number (1-65535).`);
  }
  return Number(text);
}

/** `"ecflow_ui -cmd proxychains4"` → command and arguments; quotes group words, no shell. */
export function splitCommandLine(text: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) words.push(match[1] ?? match[2] ?? match[3] ?? '');
  return words;
}

export function forwardText(forward: Forward): string {
  return forward.kind === 'dynamic'
    ? `-D ${forward.bindAddress}:${String(forward.bindPort)}`
    : `-L ${forward.bindAddress}:${String(forward.bindPort)}:${forward.targetHost}:${String(forward.targetPort)}`;
}

function describeState(tunnel: TunnelRuntime): string {
  return tunnel.reason ? `${tunnel.state}: ${tunnel.reason}` : tunnel.state;
}

async function start(context: CommandContext): Promise<number> {
  const { core, stdout, stderr, signal } = context;
  const name = context.args[0] ?? '';
  let last = '';
  const announced = new Set<string>();
  const report = (tunnel: TunnelRuntime | undefined) => {
    if (!tunnel) return;
    if (tunnel.state === 'listening' || tunnel.state === 'starting') {
      for (const forward of tunnel.forwards) {
        const key = `${forward.bindAddress}:${String(forward.bindPort)}`;
        if (forward.listening && !announced.has(key)) {
          announced.add(key);
          stdout(
            `listening on ${key} (${forward.kind === 'dynamic' ? 'socks' : `to ${forward.label.split(' ').at(-1) ?? ''}`})\n`,
          );
        }
      }
    }
    const state = describeState(tunnel);
    if (state !== last) {
      last = state;
      stderr(`onehop: ${name}: ${state}\n`);
    }
  };
  const stopEvents = core.tunnels.onChange((tunnels) =>
    report(tunnels.find((t) => t.name === name)),
  );
  try {
    const started = await core.tunnels.start(name);
    report(started);
    if (started.state === 'failed') return 1;
    const profile = core.settings.get().tunnels.find((p) => p.name === name);
    if (profile?.launcher?.enabled)
      void core.tunnels.launch(name).catch((error: unknown) => {
        stderr(`onehop: ${error instanceof Error ? error.message : String(error)}\n`);
      });
    // Runs until Ctrl-C / SIGTERM, or until the tunnel fails for good.
    const failed = await new Promise<boolean>((resolve) => {
      signal.addEventListener('abort', () => resolve(false), { once: true });
      const stop = core.tunnels.onChange((tunnels) => {
        if (tunnels.find((t) => t.name === name)?.state === 'failed') {
          stop();
          resolve(true);
        }
      });
    });
    await core.tunnels.stop(name);
    if (!failed) stderr(`onehop: ${name}: stopped\n`);
    return failed ? 1 : 0;
  } finally {
    stopEvents();
  }
}

export const tunnelCommands: CommandSpec[] = [
  {
    words: ['tunnel', 'list'],
    args: [],
    flags: ['json'],
    async run({ client, flags, stdout }) {
      const [{ settings }, { tunnels }] = await Promise.all([
        client.call('settings.get', {}),
        client.call('tunnels.status', {}),
      ]);
      const rows = settings.tunnels.map((profile) => ({
        name: profile.name,
        site: profile.site ?? null,
        via: profile.via,
        forwards: profile.forwards.map(forwardText),
        autostart: profile.autostart,
        launcher: profile.launcher
          ? [profile.launcher.command, ...profile.launcher.args].join(' ')
          : null,
        state: tunnels.find((t) => t.name === profile.name)?.state ?? 'stopped',
      }));
      if (flags.json) {
        stdout(json({ tunnels: rows }));
        return;
      }
      if (rows.length === 0) {
        stdout(
          'No tunnel profiles yet. Add one with: onehop tunnel add <name> --site S --via host -D 9050\n',
        );
        return;
      }
      stdout(
        table(
          ['NAME', 'SITE', 'VIA', 'FORWARDS', 'AUTOSTART'],
          rows.map((r) => [
            r.name,
            r.site,
            r.via || '(not set)',
            r.forwards.join(' '),
            r.autostart ? 'yes' : 'no',
          ]),
        ),
      );
    },
  },
  {
    words: ['tunnel', 'add'],
    args: ['name'],
    flags: ['site', 'via', 'local', 'dynamic', 'autostart', 'launch'],
    requiredFlags: ['via'],
    async run({ client, args: [name = ''], flags, stdout }) {
      const forwards = [
        ...(flags.local ?? []).map(parseLocalForward),
        ...(flags.dynamic ?? []).map(parseDynamicForward),
      ];
      if (forwards.length === 0) {
        throw new UsageError(
          'Give at least one forward: -L [bind:]port:host:hostport or -D [bind:]port.',
        );
      }
      const launch = flags.launch === undefined ? [] : splitCommandLine(flags.launch);
      if (flags.launch !== undefined && launch.length === 0) {
        throw new UsageError(
          '--launch needs a command, e.g. --launch "ecflow_ui -cmd proxychains4".',
        );
      }
      const profile: TunnelProfile = {
        name,
        ...(flags.site ? { site: flags.site } : {}),
        via: flags.via ?? '',
        forwards,
        autostart: flags.autostart ?? false,
        ...(launch.length > 0
          ? {
              launcher: { command: launch[0] ?? '', args: launch.slice(1), env: {}, enabled: true },
            }
          : {}),
      };
      try {
        await client.call('tunnels.save', { profile });
      } catch (error) {
        if (error instanceof ContractError && error.fields) {
          const details = Object.entries(error.fields).map(
            ([field, message]) => `${field.replace(/^profile\./, '')}: ${message}`,
          );
          throw new ContractError({
            ...error,
            message: `${error.message}${details.length > 1 ? ` (${details.join('; ')})` : ''}`,
          });
        }
        throw error;
      }
      stdout(`Added tunnel ${name} (${forwards.map(forwardText).join(' ')} via ${profile.via}).\n`);
    },
  },
  {
    words: ['tunnel', 'rm'],
    args: ['name'],
    flags: [],
    async run({ client, args: [name = ''], stdout }) {
      await client.call('tunnels.remove', { name });
      stdout(`Removed tunnel ${name}.\n`);
    },
  },
  {
    words: ['tunnel', 'start'],
    args: ['name'],
    flags: [],
    run: start,
  },
];
