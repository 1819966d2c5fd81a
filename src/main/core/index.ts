/**
 * The core: plain Node services behind the typed contract. It never imports `electron`; the
 * three hosts (Electron, CLI, browser mode) construct it and move messages in and out.
 */
import os from 'node:os';
import { EventBus } from './events/bus';
import { createDispatcher, type Dispatcher } from './rpc/dispatcher';
import { createSettingsHandlers } from './settings/commands';
import { SettingsStore } from './settings/store';
import { watchSettingsFile } from './settings/watch';
import { openVault, Vault } from './credentials/vault';
import {
  createBrowserOpener,
  createSignInHandlers,
  lazyIssuer,
  SignInService,
  type Issuer,
  type OpenUrl,
} from './signin';
import { defaultTshHome, readTshProfiles } from './credentials/tsh';
import {
  ConnectionPool,
  HostKeyPrompts,
  KnownHostsStore,
  resolveRoute,
  type ResolvedRoute,
} from './connections';
import { createTerminalHandlers, TerminalService } from './terminals';
import { createTunnelHandlers, poolConnector, TunnelManager } from './tunnels';
import { ssh2NativeCryptoAvailable } from './ssh';
import type { TerminalTarget } from '../../shared/model/terminal';
import { createSandboxHandlers } from './sandbox';
import {
  createHandoffFollower,
  createOpenSshHandlers,
  defaultProxySshAddress,
  OpenSshHandoff,
} from './openssh';
import { sshProxyFromExtra } from './signin/teleport/sshProxyAddress';
import type { Site } from '../../shared/model/settings';

export { EventBus } from './events/bus';
export { createDispatcher, type Dispatcher, type CommandHandlers } from './rpc/dispatcher';
export { SettingsStore } from './settings/store';
export { resolveDataDir, electronUserDataDir, PRODUCT_NAME } from './settings/paths';

export type HostKind = 'electron' | 'web' | 'cli';

export interface CoreOptions {
  /** The data directory (already resolved: `ONEHOP_HOME` or the host's default). */
  dataDir: string;
  host: HostKind;
  version: string;
  /** Where unexpected failures are logged; defaults to stderr. */
  log?: (message: string) => void;
  /**
   * Announce settings changed by other processes (default: on for the long-running hosts,
   * off for the CLI, which exits right after its command).
   */
  watchSettings?: boolean;
  /** How this host opens a URL when `BROWSER` is not set (Electron: shell.openExternal). */
  openUrl?: OpenUrl;
  /** Certificate issuers by site kind; defaults to the built-in ones. */
  issuers?: Partial<Record<'teleport' | 'oidc-ca', Issuer>>;
  /** Where existing `tsh` logins are read from (default `$TELEPORT_HOME` or `~/.tsh`); false: none. */
  tshHome?: string | false;
  /** The user's known_hosts, read-only (default ~/.ssh/known_hosts); false: none. */
  userKnownHosts?: string | false;
  /** Close unused SSH connections after this long (default 5 min). */
  sshIdleTimeoutMs?: number;
  /** The home whose ~/.ssh/onehop the OpenSSH hand-off writes (default the user's). */
  openSshHome?: string;
  /** Start autostart tunnels of signed-in sites when the core opens (default: Electron only). */
  autostartTunnels?: boolean;
  /** Refresh the hand-off after sign-in/renewal/sign-out (default true; per site in settings). */
  openSshHandoff?: boolean;
}

export interface Core {
  readonly dataDir: string;
  readonly settings: SettingsStore;
  readonly events: EventBus;
  readonly dispatcher: Dispatcher;
  readonly signIn: SignInService;
  /** Shared SSH connections (terminals, tunnels, `onehop ssh`). */
  readonly pool: ConnectionPool;
  readonly terminals: TerminalService;
  readonly knownHosts: KnownHostsStore;
  /** Saved tunnel profiles at runtime (the Electron host calls reconnectNow on resume). */
  readonly tunnels: TunnelManager;
  /** Where a saved host or an ad-hoc destination is reached (site, login, jump). */
  resolveRoute(target: TerminalTarget): Promise<ResolvedRoute>;
  close(): Promise<void>;
}

/** Opens the core; throws a `storage` ContractError when the data directory is unusable. */
export function createCore(options: CoreOptions): Core {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const settings = SettingsStore.open(options.dataDir);
  const events = new EventBus();
  const signIn = new SignInService({
    settings,
    bus: events,
    issuers: options.issuers ?? {
      teleport: lazyIssuer('teleport', async () => {
        const { TeleportIssuer } = await import('./signin/teleport/teleportIssuer');
        return new TeleportIssuer();
      }),
      'oidc-ca': lazyIssuer('oidc-ca', async () => {
        const { OidcCaIssuer } = await import('./signin/oidc');
        return new OidcCaIssuer();
      }),
    },
    openVault: () => openVault({ dir: options.dataDir }),
    resetVault: async () => {
      await Vault.reset({ dir: options.dataDir });
    },
    openUrl: createBrowserOpener(options.openUrl ?? noDefaultBrowser),
    requirePersistentVault: options.host === 'cli',
    readTshProfiles:
      options.tshHome === false
        ? undefined
        : () => readTshProfiles(options.tshHome || defaultTshHome()),
    log,
  });
  const knownHosts = new KnownHostsStore({
    dataDir: options.dataDir,
    ...(options.userKnownHosts === undefined ? {} : { userKnownHosts: options.userKnownHosts }),
    log,
  });
  const prompts = new HostKeyPrompts(events);
  const pool = new ConnectionPool({
    knownHosts,
    // The CLI never prompts: unknown keys are refused unless --accept-new-host-key.
    ...(options.host === 'cli' ? {} : { prompt: (info, hop) => prompts.ask(info, hop) }),
    ...(options.sshIdleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.sshIdleTimeoutMs }),
    log,
  });
  const route = (target: TerminalTarget) =>
    resolveRoute(settings.get(), target, (site) => signIn.credentials(site));
  const terminals = new TerminalService({ pool, bus: events, resolve: route, log });
  const tunnels = new TunnelManager({
    connector: poolConnector({
      pool,
      resolve: route,
      unknownKey: options.host === 'cli' ? 'refuse' : 'prompt',
    }),
    profiles: () => settings.get().tunnels,
    confDir: options.dataDir,
  });
  const stopTunnelEvents = tunnels.onChange((list) =>
    events.emit('tunnels.status', { tunnels: list }),
  );
  const stopTunnelAlerts = tunnels.onAlert((alert) => events.emit('tunnels.alert', alert));
  if (options.autostartTunnels ?? options.host === 'electron') {
    // At app start, autostart profiles of sites already signed in start as after a sign-in.
    void (async () => {
      for (const site of settings.get().sites) {
        const stored = await signIn.credentials(site.name).catch(() => undefined);
        if (stored) await tunnels.startAutostart(site.name);
      }
    })().catch((error: unknown) => log(`onehop: autostart failed: ${String(error)}`));
  }
  const homeDir = options.openSshHome ?? os.homedir();
  const handoff = new OpenSshHandoff({ homeDir, dataDir: options.dataDir });
  const proxySshAddress = async (site: Site) => {
    const learnt = sshProxyFromExtra((await signIn.credentials(site.name))?.extra);
    return learnt ?? defaultProxySshAddress(site);
  };
  const followHandoff = createHandoffFollower({
    handoff,
    settings,
    bus: events,
    proxySshAddress,
    enabled: options.openSshHandoff ?? true,
    log,
  });
  const stopFollowingCredentials = signIn.onCredentialsChanged((site, credentials) => {
    if (credentials) {
      terminals.signedIn(site);
      tunnels.onSignedIn(site);
      // Autostart profiles start after each sign-in (not in the CLI, whose process ends now).
      if (options.host !== 'cli') void tunnels.startAutostart(site);
    } else void pool.closeSite(site);
    followHandoff.follow(site, credentials);
  });
  // Hosts added or edited later belong in ~/.ssh/onehop/config too.
  // Only sites and hosts shape the OpenSSH config: window moves and theme changes (ui) must not
  // rewrite ~/.ssh files or re-add agent keys.
  const handoffInputs = () => JSON.stringify([settings.get().sites, settings.get().hosts]);
  let lastHandoffInputs = handoffInputs();
  const stopFollowingSettings = events.subscribe((message) => {
    if (message.event !== 'settings.changed') return;
    const inputs = handoffInputs();
    if (inputs === lastHandoffInputs) return;
    lastHandoffInputs = inputs;
    for (const site of settings.get().sites) {
      if (site.handoff.enabled)
        followHandoff.refresh(site.name, () => signIn.credentials(site.name));
    }
  });
  const dispatcher = createDispatcher(
    {
      'app.info': () => ({
        name: 'OneHop',
        version: options.version,
        host: options.host,
        platform: `${os.platform()}-${os.arch()}`,
        dataDir: options.dataDir,
        sshNativeCrypto: ssh2NativeCryptoAvailable(),
      }),
      ...createSettingsHandlers(settings, events),
      ...createSignInHandlers(signIn),
      ...createSandboxHandlers(settings, events, options.dataDir, signIn),
      ...createTerminalHandlers(terminals),
      ...createOpenSshHandlers({
        settings,
        bus: events,
        handoff,
        homeDir,
        credentials: (site) => signIn.credentials(site),
        proxySshAddress,
      }),
      'hostkey.answer': ({ id, answer }) => ({ accepted: prompts.answer(id, answer) }),
      ...createTunnelHandlers(tunnels, settings, events),
    },
    {
      onInternalError: (command, error) =>
        log(
          `onehop: internal error in ${command}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        ),
    },
  );
  const stopWatching =
    (options.watchSettings ?? options.host !== 'cli')
      ? watchSettingsFile(settings, events)
      : () => undefined;
  return {
    dataDir: options.dataDir,
    settings,
    events,
    dispatcher,
    signIn,
    pool,
    terminals,
    knownHosts,
    tunnels,
    resolveRoute: route,
    async close() {
      stopFollowingCredentials();
      stopFollowingSettings();
      await followHandoff.idle();
      await tunnels.stopAll();
      stopTunnelEvents();
      stopTunnelAlerts();
      terminals.closeAll();
      prompts.close();
      signIn.close();
      stopWatching();
      await pool.closeAll();
    },
  };
}

/** Hosts that cannot open a browser say so; the sign-in link is shown to copy. */
function noDefaultBrowser(): Promise<void> {
  return Promise.reject(new Error('No browser is configured (set BROWSER).'));
}
