/**
 * The tunnel editor's draft and how it becomes a `tunnels.save` request. Numbers, the launcher's
 * arguments and environment are converted here; everything else is validated by the core, whose
 * per-field messages the editor shows.
 */
import type { CommandRequest } from '../../../../shared/contract/commands';
import type { TunnelProfile } from '../../../../shared/model/settings';

export type ProfileRequest = CommandRequest<'tunnels.save'>['profile'];

export interface ForwardDraft {
  /** Stable React key while rows are added and removed. */
  id: number;
  kind: 'local' | 'dynamic';
  bindAddress: string;
  bindPort: string;
  targetHost: string;
  targetPort: string;
}

export interface LauncherDraft {
  command: string;
  /** As typed: words separated by spaces, quotes keep spaces inside one argument. */
  args: string;
  /** One `NAME=value` per line. */
  env: string;
  enabled: boolean;
}

export interface TunnelDraft {
  name: string;
  /** Empty: no site. */
  site: string;
  via: string;
  autostart: boolean;
  forwards: ForwardDraft[];
  /** null: no launcher. */
  launcher: LauncherDraft | null;
}

let nextId = 1;

export function newForward(kind: 'local' | 'dynamic', bindPort = ''): ForwardDraft {
  return { id: nextId++, kind, bindAddress: '127.0.0.1', bindPort, targetHost: '', targetPort: '' };
}

export function newLauncher(): LauncherDraft {
  return { command: '', args: '', env: '', enabled: false };
}

export function draftOf(
  profile: TunnelProfile | null,
  defaultSite: string | undefined,
): TunnelDraft {
  if (!profile) {
    return {
      name: '',
      site: defaultSite ?? '',
      via: '',
      autostart: false,
      forwards: [newForward('dynamic', '9050')],
      launcher: null,
    };
  }
  return {
    name: profile.name,
    site: profile.site ?? '',
    via: profile.via,
    autostart: profile.autostart,
    forwards: profile.forwards.map((f) => ({
      id: nextId++,
      kind: f.kind,
      bindAddress: f.bindAddress,
      bindPort: String(f.bindPort),
      targetHost: f.kind === 'local' ? f.targetHost : '',
      targetPort: f.kind === 'local' ? String(f.targetPort) : '',
    })),
    launcher: profile.launcher
      ? {
          command: profile.launcher.command,
          args: joinArgs(profile.launcher.args),
          env: Object.entries(profile.launcher.env)
            .map(([k, v]) => `${k}=${v}`)
            .join('\n'),
          enabled: profile.launcher.enabled,
        }
      : null,
  };
}

export type Parsed =
  { ok: true; profile: ProfileRequest } | { ok: false; fields: Record<string, string> };

const PORT_MESSAGE = 'Enter a whole number between 1 and 65535.';

function parsePort(text: string): number | null {
  const value = text.trim();
  if (!/^\d{1,5}$/.test(value)) return null;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? port : null;
}

export function parseDraft(draft: TunnelDraft): Parsed {
  const fields: Record<string, string> = {};
  const forwards: ProfileRequest['forwards'] = draft.forwards.map((f, index) => {
    const at = `forwards.${String(index)}`;
    const bindPort = parsePort(f.bindPort);
    if (bindPort === null) fields[`${at}.bindPort`] = PORT_MESSAGE;
    const bindAddress = f.bindAddress.trim() || '127.0.0.1';
    if (f.kind === 'dynamic') return { kind: 'dynamic', bindAddress, bindPort: bindPort ?? 0 };
    const targetPort = parsePort(f.targetPort);
    if (targetPort === null) fields[`${at}.targetPort`] = PORT_MESSAGE;
    return {
      kind: 'local',
      bindAddress,
      bindPort: bindPort ?? 0,
      targetHost: f.targetHost.trim(),
      targetPort: targetPort ?? 0,
    };
  });
  if (forwards.length === 0) fields.forwards = 'Add at least one forward.';

  let launcher: ProfileRequest['launcher'];
  if (draft.launcher) {
    const command = draft.launcher.command.trim();
    if (!command)
      fields['launcher.command'] = 'Enter the program to start, or remove the launcher.';
    const args = splitArgs(draft.launcher.args);
    if (args === null) fields['launcher.args'] = 'A quote is not closed.';
    const env = parseEnv(draft.launcher.env);
    if (typeof env === 'string') fields['launcher.env'] = env;
    launcher = {
      command,
      args: args ?? [],
      env: typeof env === 'string' ? {} : env,
      enabled: draft.launcher.enabled,
    };
  }
  if (Object.keys(fields).length > 0) return { ok: false, fields };

  const profile: ProfileRequest = {
    name: draft.name.trim(),
    via: draft.via.trim(),
    autostart: draft.autostart,
    forwards,
  };
  if (draft.site) profile.site = draft.site;
  if (launcher) profile.launcher = launcher;
  return { ok: true, profile };
}

/** Splits like a shell would for plain words: spaces separate, '…' and "…" group, \ escapes. */
export function splitArgs(text: string): string[] | null {
  const out: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      current += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(current);
      current = '';
      inWord = false;
    } else {
      current += c;
      inWord = true;
    }
  }
  if (quote) return null;
  if (inWord) out.push(current);
  return out;
}

/** The inverse of splitArgs: quotes only the arguments that need it. */
export function joinArgs(args: readonly string[]): string {
  return args
    .map((arg) =>
      arg !== '' && /^[A-Za-z0-9_@%+=:,./{}-]+$/.test(arg)
        ? arg
        : `'${arg.replace(/'/g, `'"'"'`)}'`,
    )
    .join(' ');
}

/** `NAME=value` lines (blank lines ignored); a string is the problem. */
export function parseEnv(text: string): Record<string, string> | string {
  const env: Record<string, string> = {};
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      return `Line ${String(index + 1)} is not NAME=value (a name of letters, digits and "_").`;
    }
    env[name] = line.slice(eq + 1);
  }
  return env;
}

/**
 * The core names fields by their path in the request (`profile.forwards.1.bindPort`) and words
 * schema messages as the end of a sentence ("must be…"); under a field they read as one.
 */
export function fieldErrorsOf(fields: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(fields ?? {})) {
    const field = key.startsWith('profile.') ? key.slice('profile.'.length) : key;
    out[field] ??= sentence(message);
  }
  return out;
}

function sentence(message: string): string {
  const text = message.trim();
  if (!text) return text;
  const capital = text[0]!.toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function isLoopbackAddress(address: string): boolean {
  const a = address
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  return a === '' || a === 'localhost' || a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
}

/**
 * The core's bind-address messages that only want a confirmation: the forward's address is an
 * IP address of this computer, just not a loopback one. Other problems (a host name) stay errors.
 */
export function networkBindWarnings(
  draft: TunnelDraft,
  fields: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  draft.forwards.forEach((forward, index) => {
    const key = `forwards.${String(index)}.bindAddress`;
    const message = fields[key];
    const address = forward.bindAddress.trim().replace(/^\[(.*)\]$/, '$1');
    const isIp = IPV4.test(address) || (address.includes(':') && /^[0-9a-fA-F:.]+$/.test(address));
    if (message && isIp && !isLoopbackAddress(address)) out[key] = message;
  });
  return out;
}
