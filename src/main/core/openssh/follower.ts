/**
 * Keeps the OpenSSH hand-off in step with the vault: after every sign-in or renewal of a site
 * whose hand-off is on, its config section, CA lines and agent entry (or key files) are
 * refreshed; after sign-out they are removed. Failures become a notice, never a failed sign-in.
 */
import type { Site } from '../../../shared/model/settings';
import type { SiteCredentials } from '../credentials/vault';
import type { EventBus } from '../events/bus';
import type { SettingsStore } from '../settings/store';
import type { OpenSshHandoff } from './handoff';
import type { ProxySshAddress } from './commands';

export interface HandoffFollowerOptions {
  handoff: OpenSshHandoff;
  settings: SettingsStore;
  bus: EventBus;
  proxySshAddress: (site: Site) => Promise<ProxySshAddress>;
  /** Off for hosts that must not touch ~/.ssh (tests); sites also have their own switch. */
  enabled: boolean;
  log?: (message: string) => void;
}

export interface HandoffFollower {
  follow(site: string, credentials: SiteCredentials | undefined): void;
  /** Refresh a site that may be signed in (after a settings change); skipped when it is not. */
  refresh(site: string, load: () => Promise<SiteCredentials | undefined>): void;
  /** Resolves when every queued refresh is done (the CLI waits before it exits). */
  idle(): Promise<void>;
}

export function createHandoffFollower(options: HandoffFollowerOptions): HandoffFollower {
  let queue: Promise<void> = Promise.resolve();
  const warn = (site: string, message: string, level: 'info' | 'warning' = 'warning') => {
    const notice = {
      id: `handoff-${site}`,
      level,
      title: `OpenSSH hand-off for ${site}`,
      message,
    };
    // Kept in the store too, so a window opened after the sign-in still shows it.
    options.settings.addNotice(notice);
    options.bus.emit('notice', notice);
  };

  const refresh = async (siteName: string, credentials: SiteCredentials | undefined) => {
    const settings = options.settings.get();
    const site = settings.sites.find((s) => s.name === siteName);
    if (!credentials) {
      await options.handoff.remove(siteName);
      return;
    }
    if (!site?.handoff.enabled) return;
    if (credentials.extra?.sshProxyTlsRouting === 'alpn') {
      warn(
        siteName,
        'This proxy only accepts SSH inside TLS (TLS routing), which plain OpenSSH cannot dial without a helper command; use OneHop terminals or onehop ssh for this site.',
      );
      return;
    }
    const result = await options.handoff.apply({
      site,
      credentials,
      proxySshAddress: await options.proxySshAddress(site),
      hosts: settings.hosts,
      mode: site.handoff.mode,
    });
    // Files instead of the agent is a fallback that works, not a problem.
    if (result.notice) warn(siteName, result.notice, 'info');
  };

  const enqueue = (site: string, work: () => Promise<void>) => {
    if (!options.enabled) return;
    queue = queue.then(work).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      options.log?.(`onehop: OpenSSH hand-off for ${site} failed: ${reason}`);
      warn(site, `ssh, scp and rsync could not be set up for this site: ${reason}`);
    });
  };

  return {
    follow: (site, credentials) => enqueue(site, () => refresh(site, credentials)),
    refresh: (site, load) =>
      enqueue(site, async () => {
        const credentials = await load();
        if (credentials) await refresh(site, credentials);
      }),
    idle: () => queue,
  };
}
