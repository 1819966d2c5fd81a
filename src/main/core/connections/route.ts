/**
 * How to reach a destination: which site's certificate, which login, and which jump (the
 * Teleport proxy's SSH address learnt at sign-in, or an OIDC site's bastion) — or none.
 */
import os from 'node:os';
import type { Host, Settings, Site } from '../../../shared/model/settings';
import type { TerminalTarget } from '../../../shared/model/terminal';
import { parseCertificateLine } from '../credentials/sshKeys';
import type { SiteCredentials } from '../credentials/vault';
import { sshProxyFromExtra } from '../signin/teleport/sshProxyAddress';
import { SshError, hostMatchesPatterns } from '../ssh';

export interface JumpRoute {
  host: string;
  port: number;
  login: string;
  /** SSH inside TLS (ALPN `teleport-proxy-ssh`) on the proxy's web port. */
  tlsRouting: boolean;
}

export interface ResolvedRoute {
  site: Site | undefined;
  credentials: SiteCredentials;
  login: string;
  host: string;
  port: number;
  jump: JumpRoute | undefined;
  keepaliveIntervalMs: number;
  /** The site allows SHA-1 (`ssh-rsa`) signatures for RSA certificates. */
  allowSha1Certificate: boolean;
  /** `login@host` (with `:port` when not 22). */
  title: string;
  /** The saved host's name when the target was one. */
  savedHost: string | undefined;
}

export type CredentialsLookup = (site: string) => Promise<SiteCredentials | undefined>;

/** Principals Teleport adds for itself, never a login to offer. */
const isInternalPrincipal = (principal: string) => principal.startsWith('-teleport-');

/** The certificate's logins, the local user name first when it is one of them. */
export function certificateLogins(credentials: SiteCredentials): string[] {
  const principals = parseCertificateLine(credentials.certificate).principals.filter(
    (p) => !isInternalPrincipal(p),
  );
  const local = os.userInfo().username;
  return principals.includes(local)
    ? [local, ...principals.filter((p) => p !== local)]
    : principals;
}

function pickSite(settings: Settings, hostName: string, explicit: string | undefined): Site {
  if (explicit) {
    const site = settings.sites.find((s) => s.name === explicit);
    if (!site) throw new SshError('unknown-host', `There is no site named "${explicit}".`);
    return site;
  }
  const byPattern = settings.sites.filter((s) => hostMatchesPatterns(hostName, s.hostPatterns));
  if (byPattern.length === 1 && byPattern[0]) return byPattern[0];
  if (settings.sites.length === 1 && settings.sites[0]) return settings.sites[0];
  if (settings.sites.length === 0) {
    throw new SshError('unknown-host', 'No site is set up yet; add one first (onehop sites add).');
  }
  const names = (byPattern.length > 1 ? byPattern : settings.sites).map((s) => s.name).join(', ');
  throw new SshError(
    'unknown-host',
    `${hostName} could belong to more than one site (${names}); say which with --site.`,
  );
}

function jumpFor(site: Site, credentials: SiteCredentials, login: string): JumpRoute | undefined {
  if (site.kind === 'teleport') {
    const learnt = sshProxyFromExtra(credentials.extra);
    if (learnt) return { ...learnt, login };
    return { host: site.proxy.host, port: site.proxy.sshPort, login, tlsRouting: false };
  }
  return site.bastion
    ? { host: site.bastion.host, port: site.bastion.port, login, tlsRouting: false }
    : undefined;
}

function sameHost(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Resolves a terminal or tunnel destination; throws an SshError naming what is missing. */
export async function resolveRoute(
  settings: Settings,
  target: TerminalTarget,
  lookup: CredentialsLookup,
): Promise<ResolvedRoute> {
  let saved: Host | undefined;
  let wanted: { hostName: string; port?: number; login?: string; site?: string; route?: string };
  if ('host' in target) {
    saved = settings.hosts.find((h) => h.name === target.host);
    if (!saved)
      throw new SshError('unknown-host', `There is no saved host named "${target.host}".`);
    wanted = saved;
  } else {
    // `onehop ssh hpc-login` names a saved host as OpenSSH names a Host block.
    saved = settings.hosts.find((h) => h.name === target.hostName);
    wanted = saved
      ? {
          ...saved,
          ...(target.port === undefined ? {} : { port: target.port }),
          ...(target.login === undefined ? {} : { login: target.login }),
          ...(target.site === undefined ? {} : { site: target.site }),
          ...(target.route === undefined ? {} : { route: target.route }),
        }
      : target;
  }
  const site = pickSite(settings, wanted.hostName, wanted.site);
  const credentials = await lookup(site.name);
  if (!credentials) {
    throw new SshError(
      'not-signed-in',
      `You are not signed in to ${site.name}; sign in to it first.`,
    );
  }
  const logins = certificateLogins(credentials);
  const login = wanted.login ?? logins[0];
  if (!login) {
    throw new SshError(
      'login-not-in-principals',
      `Your ${site.name} certificate grants no login; ask the site to grant one.`,
    );
  }
  const port = wanted.port ?? 22;
  let jump = wanted.route === 'direct' ? undefined : jumpFor(site, credentials, login);
  // The jump itself as the destination (a tunnel via the proxy's own sshd): no second hop.
  if (jump && !jump.tlsRouting && sameHost(jump.host, wanted.hostName) && jump.port === port) {
    jump = undefined;
  }
  return {
    site,
    credentials,
    login,
    host: wanted.hostName,
    port,
    jump,
    keepaliveIntervalMs: site.ssh.keepaliveIntervalSeconds * 1000,
    allowSha1Certificate: site.ssh.rsaSignatureAlgorithms.includes('ssh-rsa'),
    // A saved host is shown by its name (two sandbox hosts differ only by port otherwise).
    title: saved
      ? `${login}@${saved.name}`
      : `${login}@${wanted.hostName}${port === 22 ? '' : `:${String(port)}`}`,
    savedHost: saved?.name,
  };
}
