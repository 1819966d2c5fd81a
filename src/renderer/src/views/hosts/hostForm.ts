/** The host editor's draft and how it becomes a `hosts.add` / `hosts.update` request. */
import type { CommandRequest } from '../../../../shared/contract/commands';
import type { Host } from '../../../../shared/model/settings';

export interface HostDraft {
  name: string;
  hostName: string;
  /** As typed; empty means 22. */
  port: string;
  /** Empty: the login from the site's certificate. */
  login: string;
  /** Empty: no site. */
  site: string;
  route: 'jump' | 'direct';
}

export function draftOf(host: Host | null, defaultSite: string | undefined): HostDraft {
  if (!host) {
    return { name: '', hostName: '', port: '', login: '', site: defaultSite ?? '', route: 'jump' };
  }
  return {
    name: host.name,
    hostName: host.hostName,
    port: host.port === 22 ? '' : String(host.port),
    login: host.login ?? '',
    site: host.site ?? '',
    route: host.route,
  };
}

export type Parsed =
  { ok: true; host: CommandRequest<'hosts.add'> } | { ok: false; fields: Record<string, string> };

/**
 * Trims and converts; only the port is checked here (a number cannot carry "abc" to the core).
 * Everything else is validated by the core, whose field messages the form shows.
 */
export function parseDraft(draft: HostDraft): Parsed {
  const host: CommandRequest<'hosts.add'> = {
    name: draft.name.trim(),
    hostName: draft.hostName.trim(),
    route: draft.route,
  };
  const portText = draft.port.trim();
  if (portText) {
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
      return { ok: false, fields: { port: 'must be a whole number between 1 and 65535' } };
    }
    host.port = port;
  }
  if (draft.login.trim()) host.login = draft.login.trim();
  if (draft.site) host.site = draft.site;
  return { ok: true, host };
}

/** `hosts.update` carries the whole host: keep what the editor does not show (favourite). */
export function updateRequest(
  previous: Host,
  host: CommandRequest<'hosts.add'>,
): CommandRequest<'hosts.update'> {
  return {
    name: previous.name,
    host: { ...host, port: host.port ?? 22, favourite: previous.favourite },
  };
}

/**
 * The core names fields by their path in the request (`host.hostName` for an update) and words
 * them as the end of a sentence ("must be…"); under a field they read as one.
 */
export function fieldErrorsOf(fields: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(fields ?? {})) {
    const field = key.startsWith('host.') ? key.slice(5) : key;
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
