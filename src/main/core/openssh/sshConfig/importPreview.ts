/**
 * ~/.ssh/config → OneHop hosts and tunnel profiles, shown as a preview before anything is saved.
 *
 * Each Host name written without wildcards becomes a host; wildcard sections only contribute
 * defaults (OpenSSH's first-obtained-value-wins). A ProxyJump to a site's proxy (or bastion)
 * makes a `jump` host of that site; any other ProxyJump is imported as a direct host with a
 * notice. LocalForward and DynamicForward become one tunnel profile per host. Everything is
 * compared with the existing settings so a second import adds nothing.
 */
import {
  HostNameSchema,
  HostSchema,
  LabelSchema,
  LoginSchema,
  NameSchema,
  TunnelProfileSchema,
  type Forward,
  type Host,
  type Settings,
  type Site,
  type TunnelProfile,
} from '../../../../shared/model/settings';
import { formatNotice, resolveHost, type Directive, type ParsedSshConfig } from './parse';

export type ImportStatus = 'new' | 'already-present' | 'name-taken';

export interface ImportHostCandidate {
  host: Host;
  status: ImportStatus;
  /** `file:line` of the Host line. */
  source: string;
  /** already-present: the saved host it matches. */
  existing?: string;
}

export interface ImportTunnelCandidate {
  profile: TunnelProfile;
  status: ImportStatus;
  source: string;
  existing?: string;
  /** A forward listens on a non-loopback address: imported only when the user allows it. */
  networkBind: boolean;
}

export interface ImportPreview {
  file: string;
  hosts: ImportHostCandidate[];
  tunnels: ImportTunnelCandidate[];
  /** `file:line: message` for everything skipped or changed on the way. */
  notices: string[];
}

export function buildImportPreview(config: ParsedSshConfig, settings: Settings): ImportPreview {
  const notices = config.notices.map(formatNotice);
  const hosts: ImportHostCandidate[] = [];
  const tunnels: ImportTunnelCandidate[] = [];
  const concrete = new Set(config.concreteHosts.map((h) => h.alias.toLowerCase()));
  for (const { alias, file, line } of config.concreteHosts) {
    const source = `${file}:${line}`;
    const note = (message: string, where: { file: string; line: number } = { file, line }) =>
      notices.push(`${where.file}:${where.line}: ${message}`);
    const resolved = resolveHost(config, alias);
    const value = (keyword: string): Directive | undefined => resolved.values.get(keyword);

    if (!NameSchema.safeParse(alias).success) {
      note(`Host "${alias}" was skipped: OneHop host names use letters, digits, ".", "_", "-".`);
      continue;
    }
    const address = addressOf(alias, value('hostname'), value('port'));
    if (typeof address === 'string') {
      note(`Host "${alias}" was skipped: ${address}`);
      continue;
    }
    const ownSite = siteAt(settings.sites, address.hostName, address.port);
    if (ownSite) {
      note(`Host "${alias}" was skipped: it is the proxy of site ${ownSite.name}.`);
      continue;
    }
    const host: Host = {
      name: alias,
      hostName: address.hostName,
      port: address.port,
      route: 'direct',
      favourite: false,
    };
    const user = value('user');
    if (user) {
      const login = user.args[0] ?? '';
      if (LoginSchema.safeParse(login).success) host.login = login;
      else
        note(`User "${login}" of "${alias}" was not imported: it is not a valid user name.`, user);
    }
    routeThroughJump(host, value('proxy'), {
      settings,
      config,
      concrete,
      note,
    });
    hosts.push({ host: HostSchema.parse(host), source, ...presence(host, settings.hosts) });

    const forwards = collectForwards(resolved.lists, alias, note);
    if (forwards.length === 0) continue;
    const name = LabelSchema.safeParse(`${alias} forwards`);
    if (!name.success) continue;
    const profile = TunnelProfileSchema.parse({
      name: name.data,
      ...(host.route === 'jump' ? { site: host.site } : {}),
      via: `${host.login ? `${host.login}@` : ''}${host.hostName}${host.port === 22 ? '' : `:${host.port}`}`,
      forwards,
    });
    tunnels.push({
      profile,
      source,
      networkBind: profile.forwards.some((f) => !isLoopback(f.bindAddress)),
      ...tunnelPresence(profile, settings.tunnels),
    });
  }
  return { file: config.file, hosts, tunnels, notices };
}

export interface ImportSelection {
  /** Host names to add (default: every new one). */
  hosts?: string[];
  /** Tunnel profile names to add (default: every new one). */
  tunnels?: string[];
  /** Add profiles whose forwards listen on non-loopback addresses. */
  allowNetworkBind?: boolean;
}

export interface ImportOutcome {
  hostsAdded: string[];
  tunnelsAdded: string[];
  alreadyPresent: string[];
  skipped: string[];
}

/** Adds the preview's new entries to `draft`, re-checking against it (never duplicates). */
export function applyImport(
  draft: Settings,
  preview: ImportPreview,
  selection: ImportSelection = {},
): ImportOutcome {
  const outcome: ImportOutcome = {
    hostsAdded: [],
    tunnelsAdded: [],
    alreadyPresent: [],
    skipped: [],
  };
  for (const candidate of preview.hosts) {
    const { name } = candidate.host;
    if (selection.hosts && !selection.hosts.includes(name)) continue;
    const now = presence(candidate.host, draft.hosts);
    if (now.status === 'already-present') outcome.alreadyPresent.push(name);
    else if (now.status === 'name-taken') {
      outcome.skipped.push(`Host "${name}" was not added: a different host has that name.`);
    } else {
      draft.hosts.push(candidate.host);
      outcome.hostsAdded.push(name);
    }
  }
  for (const candidate of preview.tunnels) {
    const { name } = candidate.profile;
    if (selection.tunnels && !selection.tunnels.includes(name)) continue;
    const now = tunnelPresence(candidate.profile, draft.tunnels);
    if (now.status === 'already-present') outcome.alreadyPresent.push(name);
    else if (now.status === 'name-taken') {
      outcome.skipped.push(`Tunnel "${name}" was not added: a different profile has that name.`);
    } else if (candidate.networkBind && !selection.allowNetworkBind) {
      outcome.skipped.push(
        `Tunnel "${name}" was not added: it listens on a network address; allow that explicitly.`,
      );
    } else {
      draft.tunnels.push(candidate.profile);
      outcome.tunnelsAdded.push(name);
    }
  }
  return outcome;
}

interface RouteContext {
  settings: Settings;
  config: ParsedSshConfig;
  concrete: Set<string>;
  note: (message: string, where?: { file: string; line: number }) => void;
}

function routeThroughJump(
  host: Host,
  first: Directive | undefined,
  { settings, config, concrete, note }: RouteContext,
): void {
  if (!first || first.args[0]?.toLowerCase() === 'none') return;
  if (first.keyword === 'proxycommand') {
    note(
      `ProxyCommand of "${host.name}" was not imported; it is imported as a direct host.`,
      first,
    );
    return;
  }
  const spec = first.args.join(' ');
  const hops = spec.split(',');
  let jump = hops.length === 1 ? parseJump(hops[0]!) : null;
  // `ProxyJump bastion` may name another Host section: use its HostName and Port.
  if (jump && concrete.has(jump.host.toLowerCase())) {
    const alias = resolveHost(config, jump.host);
    const address = addressOf(jump.host, alias.values.get('hostname'), alias.values.get('port'));
    if (typeof address !== 'string') {
      jump = {
        host: address.hostName,
        port: jump.explicitPort ? jump.port : address.port,
        explicitPort: true,
      };
    }
  }
  const site = jump ? siteAt(settings.sites, jump.host, jump.port) : undefined;
  if (site) {
    host.route = 'jump';
    host.site = site.name;
    return;
  }
  note(
    `ProxyJump ${spec} of "${host.name}" is not the proxy of a OneHop site; "${host.name}" is imported as a direct host.`,
    first,
  );
}

function parseJump(text: string): { host: string; port: number; explicitPort: boolean } | null {
  const hostPart = text.includes('@') ? text.slice(text.lastIndexOf('@') + 1) : text;
  const match = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d{1,5}))?$/.exec(hostPart);
  if (!match) return null;
  return {
    host: match[1] ?? match[2] ?? '',
    port: match[3] ? Number(match[3]) : 22,
    explicitPort: match[3] !== undefined,
  };
}

function siteAt(sites: readonly Site[], hostName: string, port: number): Site | undefined {
  const name = hostName.toLowerCase();
  return sites.find((site) => {
    const proxy =
      site.kind === 'teleport'
        ? { host: site.proxy.host, port: site.proxy.sshPort }
        : site.bastion
          ? { host: site.bastion.host, port: site.bastion.port }
          : undefined;
    return proxy !== undefined && proxy.host.toLowerCase() === name && proxy.port === port;
  });
}

/** The host's HostName (with %h and %%) and Port, or why they cannot be used. */
function addressOf(
  alias: string,
  hostName: Directive | undefined,
  port: Directive | undefined,
): { hostName: string; port: number } | string {
  const raw = hostName?.args[0] ?? alias;
  const expanded = raw.replace(/%(.)/g, (all, token: string) =>
    token === 'h' ? alias : token === '%' ? '%' : all,
  );
  if (!HostNameSchema.safeParse(expanded).success || expanded.includes('%')) {
    return `its HostName "${raw}" is not a plain host name or address.`;
  }
  const portText = port?.args[0] ?? '22';
  const portNumber = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(portNumber >= 1 && portNumber <= 65535))
    return `its Port "${portText}" is not a port number.`;
  return { hostName: expanded, port: portNumber };
}

function collectForwards(
  lists: Map<string, Directive[]>,
  alias: string,
  note: RouteContext['note'],
): Forward[] {
  const forwards: Forward[] = [];
  for (const directive of lists.get('localforward') ?? []) {
    const listen = parseListen(directive.args[0] ?? '');
    const target = parseTarget(directive.args[1] ?? '');
    if (!listen || !target) {
      note(
        `LocalForward ${directive.args.join(' ')} of "${alias}" was not imported (only TCP ports are).`,
        directive,
      );
      continue;
    }
    forwards.push({ kind: 'local', ...listen, targetHost: target.host, targetPort: target.port });
  }
  for (const directive of lists.get('dynamicforward') ?? []) {
    const listen = parseListen(directive.args[0] ?? '');
    if (!listen || directive.args.length !== 1) {
      note(`DynamicForward ${directive.args.join(' ')} of "${alias}" was not imported.`, directive);
      continue;
    }
    forwards.push({ kind: 'dynamic', ...listen });
  }
  for (const directive of lists.get('remoteforward') ?? []) {
    note(
      `RemoteForward of "${alias}" was not imported: OneHop tunnels forward local ports.`,
      directive,
    );
  }
  return forwards;
}

/** `port`, `addr:port`, `[v6]:port`, `*:port` (OpenSSH parse_forward; `/` also separates). */
function parseListen(text: string): { bindAddress: string; bindPort: number } | null {
  const match = /^(?:(?:\[([^\]]*)\]|([^:/[\]]*))[:/])?(\d{1,5})$/.exec(text);
  if (!match) return null;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return null;
  const address = match[1] ?? match[2];
  // No address: loopback (GatewayPorts no). `*` or empty: every interface.
  const bindAddress =
    address === undefined ? '127.0.0.1' : address === '' || address === '*' ? '0.0.0.0' : address;
  return { bindAddress, bindPort: port };
}

function parseTarget(text: string): { host: string; port: number } | null {
  const match = /^(?:\[([^\]]+)\]|([^:/[\]]+))[:/](\d{1,5})$/.exec(text);
  if (!match) return null;
  const port = Number(match[3]);
  const host = match[1] ?? match[2] ?? '';
  if (port < 1 || port > 65535 || !HostNameSchema.safeParse(host).success) return null;
  return { host, port };
}

function isLoopback(address: string): boolean {
  return (
    address === 'localhost' ||
    address === '::1' ||
    address === '[::1]' ||
    address.startsWith('127.')
  );
}

function presence(
  host: Host,
  existing: readonly Host[],
): { status: ImportStatus; existing?: string } {
  const same = (h: Host) =>
    h.hostName.toLowerCase() === host.hostName.toLowerCase() &&
    h.port === host.port &&
    (h.login ?? '') === (host.login ?? '') &&
    (h.site ?? '') === (host.site ?? '') &&
    h.route === host.route;
  const named = existing.find((h) => h.name === host.name);
  if (named)
    return same(named)
      ? { status: 'already-present', existing: named.name }
      : { status: 'name-taken' };
  const twin = existing.find(same);
  return twin ? { status: 'already-present', existing: twin.name } : { status: 'new' };
}

function tunnelPresence(
  profile: TunnelProfile,
  existing: readonly TunnelProfile[],
): { status: ImportStatus; existing?: string } {
  const key = (p: TunnelProfile) => JSON.stringify([p.site ?? '', p.via, p.forwards]);
  const named = existing.find((p) => p.name === profile.name);
  if (named) {
    return key(named) === key(profile)
      ? { status: 'already-present', existing: named.name }
      : { status: 'name-taken' };
  }
  const twin = existing.find((p) => key(p) === key(profile));
  return twin ? { status: 'already-present', existing: twin.name } : { status: 'new' };
}
