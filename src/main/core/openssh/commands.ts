/** Command handlers for the OpenSSH hand-off and the ~/.ssh/config import. */
import path from 'node:path';
import { ContractError } from '../../../shared/contract';
import type { Site } from '../../../shared/model/settings';
import type { SiteCredentials } from '../credentials/vault';
import type { EventBus } from '../events/bus';
import type { CommandHandlers } from '../rpc/dispatcher';
import type { SettingsStore } from '../settings/store';
import { AgentError } from '../ssh/agent';
import type { OpenSshHandoff } from './handoff';
import { CONFIG_HEADER } from './sshConfig/generate';
import { applyImport, buildImportPreview } from './sshConfig/importPreview';
import { parseSshConfig } from './sshConfig/parse';

type OpenSshCommand =
  | 'openssh.config'
  | 'openssh.apply'
  | 'openssh.remove'
  | 'openssh.installInclude'
  | 'openssh.removeInclude'
  | 'openssh.importPreview'
  | 'openssh.import';

export interface ProxySshAddress {
  host: string;
  port: number;
}

export interface OpenSshHandlerDeps {
  settings: SettingsStore;
  bus: EventBus;
  handoff: OpenSshHandoff;
  /** The user's home (~/.ssh/config is read from it). */
  homeDir: string;
  /** A site's stored credentials; undefined when signed out. */
  credentials: (site: string) => Promise<SiteCredentials | undefined>;
  /**
   * Where the site's proxy takes SSH. Default: the Teleport site's proxy host and SSH port, or
   * the OIDC site's bastion. The sign-in service knows better (the Teleport ping) and may pass it.
   */
  proxySshAddress?: (site: Site) => Promise<ProxySshAddress> | ProxySshAddress;
}

export function defaultProxySshAddress(site: Site): ProxySshAddress {
  if (site.kind === 'teleport') return { host: site.proxy.host, port: site.proxy.sshPort };
  if (site.bastion) return { host: site.bastion.host, port: site.bastion.port };
  throw new ContractError({
    code: 'invalid-request',
    message: `Site ${site.name} has no bastion, so there is no jump for OpenSSH to use.`,
  });
}

export function createOpenSshHandlers(
  deps: OpenSshHandlerDeps,
): Pick<CommandHandlers, OpenSshCommand> {
  const { settings, handoff } = deps;
  const proxyOf = (site: Site) => (deps.proxySshAddress ?? defaultProxySshAddress)(site);

  const siteNamed = (name: string): Site => {
    const site = settings.get().sites.find((s) => s.name === name);
    if (!site) throw new ContractError({ code: 'not-found', message: `Unknown site "${name}".` });
    return site;
  };
  const signedIn = async (site: Site): Promise<SiteCredentials> => {
    const credentials = await deps.credentials(site.name);
    if (!credentials) {
      throw new ContractError({
        code: 'not-found',
        message: `You are not signed in to ${site.name}; sign in first ("onehop login ${site.name}").`,
      });
    }
    return credentials;
  };
  const configFile = (file: string | undefined) =>
    file === undefined
      ? undefined
      : file === '~' || file.startsWith('~/')
        ? path.join(deps.homeDir, file.slice(1))
        : path.resolve(file);
  const readConfig = async (file: string | undefined) => {
    try {
      return await parseSshConfig({ homeDir: deps.homeDir, file: configFile(file) });
    } catch (error) {
      throw new ContractError({ code: 'storage', message: describe(error) });
    }
  };

  return {
    'openssh.config': async ({ site: only }) => {
      const sites = only === undefined ? settings.get().sites : [siteNamed(only)];
      const hosts = settings.get().hosts;
      const sections: string[] = [];
      const modes: { site: string; mode: 'agent' | 'file' }[] = [];
      for (const site of sites) {
        const credentials =
          only === undefined ? await deps.credentials(site.name) : await signedIn(site);
        if (!credentials) continue;
        const mode = (await handoff.activeMode(site.name)) ?? 'agent';
        const proxySshAddress = await proxyOf(site);
        sections.push(handoff.renderSection({ site, credentials, proxySshAddress, hosts }, mode));
        modes.push({ site: site.name, mode });
      }
      const body =
        sections.length > 0
          ? sections.map((s) => `\n${s}`).join('')
          : '\n# No site is signed in: sign in to write a configuration.\n';
      return {
        text: CONFIG_HEADER + body,
        path: handoff.paths.config,
        sites: modes,
        includeInstalled: await handoff.isIncludeInstalled(),
      };
    },

    'openssh.apply': async ({ site: name, mode }) => {
      const site = siteNamed(name);
      const credentials = await signedIn(site);
      try {
        return await handoff.apply({
          site,
          credentials,
          proxySshAddress: await proxyOf(site),
          hosts: settings.get().hosts,
          mode: mode ?? 'auto',
        });
      } catch (error) {
        throw asContractError(error);
      }
    },

    'openssh.remove': async ({ site }) => {
      try {
        return await handoff.remove(site);
      } catch (error) {
        throw asContractError(error);
      }
    },

    'openssh.installInclude': () => handoff.installInclude().catch(rethrow),
    'openssh.removeInclude': () => handoff.removeInclude().catch(rethrow),

    'openssh.importPreview': async ({ path: file }) =>
      buildImportPreview(await readConfig(file), settings.get()),

    'openssh.import': async ({ path: file, hosts, tunnels, allowNetworkBind }) => {
      const config = await readConfig(file);
      let notices: string[] = [];
      let outcome: ReturnType<typeof applyImport> | undefined;
      const updated = settings.update((draft) => {
        const preview = buildImportPreview(config, draft);
        notices = preview.notices;
        outcome = applyImport(draft, preview, {
          ...(hosts ? { hosts } : {}),
          ...(tunnels ? { tunnels } : {}),
          ...(allowNetworkBind === undefined ? {} : { allowNetworkBind }),
        });
      });
      const result = outcome!;
      if (result.hostsAdded.length + result.tunnelsAdded.length > 0) {
        deps.bus.emit('settings.changed', { settings: updated });
      }
      return { ...result, notices };
    },
  };
}

function asContractError(error: unknown): ContractError {
  if (error instanceof ContractError) return error;
  if (error instanceof AgentError) {
    return new ContractError({ code: 'not-found', message: error.message });
  }
  if (error instanceof Error && /expired/.test(error.message)) {
    return new ContractError({ code: 'conflict', message: error.message });
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') {
    return new ContractError({
      code: 'storage',
      message: `The OpenSSH files could not be written (${describe(error)}); check ~/.ssh is writable.`,
    });
  }
  throw error;
}

function rethrow(error: unknown): never {
  throw asContractError(error);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
