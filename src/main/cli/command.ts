/** What a CLI command is: its words, arguments and flags, and a body that talks to the core. */
import type { OneHopClient } from '../../shared/contract';
import type { Core } from '../core/index';

/** A wrong command line (exit 2), as opposed to a command the core refused (exit 1). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Every flag the CLI knows; each command says which of them it accepts. */
export const FLAGS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  json: { type: 'boolean' },
  name: { type: 'string' },
  'ssh-port': { type: 'string' },
  site: { type: 'string' },
  'host-name': { type: 'string' },
  port: { type: 'string', short: 'p' },
  login: { type: 'string' },
  direct: { type: 'boolean' },
  connector: { type: 'string' },
  ttl: { type: 'string' },
  issuer: { type: 'string' },
  'client-id': { type: 'string' },
  'ca-url': { type: 'string' },
  bastion: { type: 'string' },
  'offline-access': { type: 'boolean' },
  'accept-new-host-key': { type: 'boolean' },
  via: { type: 'string' },
  local: { type: 'string', short: 'L', multiple: true },
  dynamic: { type: 'string', short: 'D', multiple: true },
  autostart: { type: 'boolean' },
  launch: { type: 'string' },
  install: { type: 'boolean' },
  uninstall: { type: 'boolean' },
} as const;

export type FlagName = keyof typeof FLAGS;
export type FlagValues = {
  [F in FlagName]?: (typeof FLAGS)[F] extends { multiple: true }
    ? string[]
    : (typeof FLAGS)[F]['type'] extends 'string'
      ? string
      : boolean;
};

export interface CommandContext {
  client: OneHopClient;
  /** The positional arguments after the command words, as many as `args` names. */
  args: string[];
  flags: FlagValues;
  stdout: (text: string) => void;
  /** Progress and warnings for people; never results. */
  stderr: (text: string) => void;
  /** Aborted on Ctrl-C / SIGTERM, so long commands (login) can stop cleanly. */
  signal: AbortSignal;
  /** The words after `--` (only for commands with `rest`). */
  rest: string[];
  /**
   * The core itself, for commands that stream (ssh, tunnel start): bytes and pty sizes do not
   * belong in the request/response contract.
   */
  core: Core;
}

export interface CommandSpec {
  /** `['sites', 'add-preset']` for `onehop sites add-preset`. */
  words: readonly string[];
  /** Names of the required positional arguments, for messages (`<name>`). */
  args: readonly string[];
  /** Positional arguments that may follow the required ones (`logout [site]`). */
  optionalArgs?: readonly string[];
  flags: readonly FlagName[];
  requiredFlags?: readonly FlagName[];
  /** Accepts words after `--` (`onehop ssh host -- command …`). */
  rest?: boolean;
  /** Resolves with the exit code when the command decides it (ssh: the remote exit code). */
  run(context: CommandContext): Promise<void | number>;
}

/** `onehop hosts add <name> --site <site> --host-name <host-name> [--port <port>] …` */
export function synopsis(spec: CommandSpec): string {
  const required = new Set<FlagName>(spec.requiredFlags ?? []);
  const flag = (name: FlagName): string => {
    const spec: { type: string; short?: string; multiple?: boolean } = FLAGS[name];
    if (spec.type === 'boolean') return `--${name}`;
    // Repeatable flags are shown the way OpenSSH users know them: -L spec …
    return spec.multiple && spec.short ? `-${spec.short} <${name}>…` : `--${name} <${name}>`;
  };
  return [
    'onehop',
    ...spec.words,
    ...spec.args.map((arg) => `<${arg}>`),
    ...(spec.optionalArgs ?? []).map((arg) => `[<${arg}>]`),
    ...spec.flags.filter((name) => required.has(name)).map(flag),
    ...spec.flags.filter((name) => !required.has(name)).map((name) => `[${flag(name)}]`),
    ...(spec.rest ? ['[-- command …]'] : []),
  ].join(' ');
}

/** `--port 2222` → 2222; anything but a plain whole number is a usage error. */
export function portFlag(value: string | undefined, flag: FlagName): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,5}$/.test(value)) {
    throw new UsageError(`--${flag} must be a port number (1-65535), not "${value}".`);
  }
  return Number(value);
}
