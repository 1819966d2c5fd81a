/** Command handlers for settings: sites, hosts, presets, UI preferences, notices. */
import {
  HostSchema,
  NameSchema,
  SiteSchema,
  type Host,
  type Preset,
  type Settings,
  type Site,
} from '../../../shared/model/settings';
import { ContractError, describeZodError } from '../../../shared/contract';
import type { CommandHandlers } from '../rpc/dispatcher';
import type { EventBus } from '../events/bus';
import { findPreset, presets, summarizePreset } from './presets';
import type { SettingsStore } from './store';

type SettingsCommand =
  | 'settings.get'
  | 'notices.dismiss'
  | 'presets.list'
  | 'sites.addPreset'
  | 'sites.addTeleport'
  | 'sites.addOidcCa'
  | 'sites.remove'
  | 'sites.setHandoff'
  | 'hosts.add'
  | 'hosts.update'
  | 'hosts.remove'
  | 'hosts.setFavourite'
  | 'ui.update';

export function createSettingsHandlers(
  store: SettingsStore,
  bus: EventBus,
): Pick<CommandHandlers, SettingsCommand> {
  /** Every successful change is announced, so all windows (and later the tray) stay in step. */
  const change = (mutate: (draft: Settings) => void): Settings => {
    const settings = store.update(mutate);
    bus.emit('settings.changed', { settings });
    return settings;
  };

  return {
    'settings.get': () => ({ settings: store.get(), notices: [...store.notices()] }),

    'notices.dismiss': ({ id }) => ({ dismissed: store.dismissNotice(id) }),

    'presets.list': () => ({ presets: presets.map(summarizePreset) }),

    'sites.addPreset': ({ presetId }) => {
      const preset = findPreset(presetId);
      if (!preset) {
        const known = presets.map((p) => p.id).join(', ');
        throw new ContractError({
          code: 'not-found',
          message: `Unknown preset "${presetId}". Known presets: ${known}.`,
        });
      }
      let added = { hostsAdded: 0, tunnelsAdded: 0 };
      change((draft) => {
        assertSiteNameFree(draft, preset.site.name);
        added = addPresetTo(draft, preset);
      });
      return { site: preset.site, ...added };
    },

    'sites.addTeleport': ({ address, name, sshPort }) => {
      const { host, port } = parseProxyAddress(address);
      let site: Site | undefined;
      change((draft) => {
        const siteName = name ?? defaultSiteName(draft, host, port);
        assertSiteNameFree(draft, siteName);
        // safeParse: a schema failure here is the caller's input (a name that grew too long with
        // its port suffix…), so it must come back as invalid-request, not as an internal error.
        const parsed = SiteSchema.safeParse({
          kind: 'teleport',
          name: siteName,
          proxy: { host, webPort: port, sshPort: sshPort ?? 22 },
        });
        if (!parsed.success) throw new ContractError(describeZodError(parsed.error, 'site'));
        site = parsed.data;
        draft.sites.push(site);
      });
      return { site: site! };
    },

    'sites.addOidcCa': (request) => {
      const site = SiteSchema.parse({ ...request, kind: 'oidc-ca' });
      change((draft) => {
        assertSiteNameFree(draft, site.name);
        draft.sites.push(site);
      });
      return { site };
    },

    'sites.remove': ({ name }) => {
      let hostsRemoved = 0;
      let tunnelsRemoved = 0;
      change((draft) => {
        if (!draft.sites.some((s) => s.name === name)) throw siteNotFound(name);
        draft.sites = draft.sites.filter((s) => s.name !== name);
        hostsRemoved = draft.hosts.filter((h) => h.site === name).length;
        tunnelsRemoved = draft.tunnels.filter((t) => t.site === name).length;
        draft.hosts = draft.hosts.filter((h) => h.site !== name);
        draft.tunnels = draft.tunnels.filter((t) => t.site !== name);
      });
      return { hostsRemoved, tunnelsRemoved };
    },

    'sites.setHandoff': ({ name, enabled, mode }) => {
      const settings = change((draft) => {
        const site = draft.sites.find((s) => s.name === name);
        if (!site) throw siteNotFound(name);
        site.handoff = { ...site.handoff, ...stripUndefined({ enabled, mode }) };
      });
      return { site: settings.sites.find((s) => s.name === name)! };
    },

    'hosts.add': (request) => {
      const host = HostSchema.parse(request);
      change((draft) => {
        if (draft.hosts.some((h) => h.name === host.name)) throw hostNameTaken(host.name);
        checkHostSite(draft, host);
        draft.hosts.push(host);
      });
      return { host };
    },

    'hosts.update': ({ name, host }) => {
      change((draft) => {
        const index = draft.hosts.findIndex((h) => h.name === name);
        if (index < 0) throw hostNotFound(name);
        if (host.name !== name && draft.hosts.some((h) => h.name === host.name)) {
          throw hostNameTaken(host.name);
        }
        checkHostSite(draft, host);
        draft.hosts[index] = host;
      });
      return { host };
    },

    'hosts.remove': ({ name }) => {
      change((draft) => {
        if (!draft.hosts.some((h) => h.name === name)) throw hostNotFound(name);
        draft.hosts = draft.hosts.filter((h) => h.name !== name);
      });
      return { removed: true as const };
    },

    'hosts.setFavourite': ({ name, favourite }) => {
      const settings = change((draft) => {
        const host = draft.hosts.find((h) => h.name === name);
        if (!host) throw hostNotFound(name);
        host.favourite = favourite;
      });
      return { host: settings.hosts.find((h) => h.name === name)! };
    },

    'ui.update': (patch) => {
      const settings = change((draft) => {
        draft.ui = { ...draft.ui, ...stripUndefined(patch) };
      });
      return { ui: settings.ui };
    },
  };
}

/**
 * Adds a preset's site, hosts and tunnel profiles to `draft` (the site name must be free). Hosts
 * and tunnels whose names are taken are kept as they are, not overwritten.
 */
export function addPresetTo(
  draft: Settings,
  preset: Preset,
): { hostsAdded: number; tunnelsAdded: number } {
  let hostsAdded = 0;
  let tunnelsAdded = 0;
  draft.sites.push(preset.site);
  for (const host of preset.hosts) {
    if (draft.hosts.some((h) => h.name === host.name)) continue;
    draft.hosts.push(host);
    hostsAdded += 1;
  }
  for (const tunnel of preset.tunnels) {
    if (draft.tunnels.some((t) => t.name === tunnel.name)) continue;
    draft.tunnels.push(tunnel);
    tunnelsAdded += 1;
  }
  return { hostsAdded, tunnelsAdded };
}

/** `host`, `host:port`, `https://host[:port][/…]`, `[v6]:port` → web address of a Teleport proxy. */
export function parseProxyAddress(address: string): { host: string; port: number } {
  const trimmed = address.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalidAddress(address, 'it is not a host name with an optional port');
  }
  if (url.protocol !== 'https:') {
    throw invalidAddress(address, 'Teleport proxies are reached over https');
  }
  if (url.username || url.password) {
    throw invalidAddress(address, 'it must not contain a user name');
  }
  if (!url.hostname) throw invalidAddress(address, 'it has no host name');
  const port = url.port ? Number(url.port) : 443;
  if (port === 0) throw invalidAddress(address, 'port 0 cannot be dialled');
  return { host: url.hostname, port };
}

function invalidAddress(address: string, why: string): ContractError {
  return new ContractError({
    code: 'invalid-request',
    message: `"${address}" is not a Teleport proxy address: ${why}. Example: teleport.example.org:443.`,
    fields: { address: why },
  });
}

/**
 * cli.md: named after the host; if that name belongs to another address, append the port. The
 * same address again keeps the plain name, so it is refused as a duplicate instead of being
 * added a second time under `host-port`.
 */
function defaultSiteName(settings: Settings, host: string, port: number): string {
  const base = host
    .replace(/^\[|\]$/g, '')
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '');
  const candidate = NameSchema.safeParse(base).success ? base : 'site';
  const taken = settings.sites.find((s) => s.name === candidate);
  if (!taken) return candidate;
  const sameAddress =
    taken.kind === 'teleport' && taken.proxy.host === host && taken.proxy.webPort === port;
  return sameAddress ? candidate : `${candidate}-${port}`;
}

function assertSiteNameFree(settings: Settings, name: string): void {
  if (settings.sites.some((s) => s.name === name)) {
    throw new ContractError({
      code: 'conflict',
      message: `A site named "${name}" already exists. Remove it first or choose another name.`,
      fields: { name: 'is already used by another site' },
    });
  }
}

function siteNotFound(name: string): ContractError {
  return new ContractError({ code: 'not-found', message: `Unknown site "${name}".` });
}

function hostNotFound(name: string): ContractError {
  return new ContractError({ code: 'not-found', message: `Unknown host "${name}".` });
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function hostNameTaken(name: string): ContractError {
  return new ContractError({
    code: 'conflict',
    message: `A host named "${name}" already exists.`,
    fields: { name: 'is already used by another host' },
  });
}

/** The host's site must exist; a host without a site can only be dialled directly. */
function checkHostSite(draft: Settings, host: Host): void {
  if (host.site && !draft.sites.some((s) => s.name === host.site)) {
    throw new ContractError({
      code: 'not-found',
      message: `Unknown site "${host.site}". Add the site first, or leave the site empty for a plain host.`,
      fields: { site: 'no such site' },
    });
  }
  if (host.route === 'jump' && !host.site) host.route = 'direct';
}
