/**
 * Where a Teleport proxy accepts SSH, from its ping answer (teleport-sso.md §4,
 * `ProxySettings.SSHProxyHostPort`): with TLS routing, SSH runs inside TLS on the web port (ALPN
 * `teleport-proxy-ssh`); otherwise the dedicated SSH listener, 3023 by default.
 */
import type { TeleportPing } from './ping';

export interface SshProxyAddress {
  host: string;
  port: number;
  /** SSH inside TLS with ALPN `teleport-proxy-ssh` on this (web) port. */
  tlsRouting: boolean;
}

const DEFAULT_SSH_PROXY_PORT = 3023;

/** `host:port`, `[v6]:port`, `host` → parts; undefined when unusable. */
export function splitHostPort(
  address: string,
): { host: string; port: number | undefined } | undefined {
  const trimmed = address.trim();
  if (!trimmed) return undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
  if (bracketed) return { host: bracketed[1] ?? '', port: portOf(bracketed[2]) };
  const parts = trimmed.split(':');
  if (parts.length > 2) return { host: trimmed, port: undefined }; // a bare IPv6 address
  return { host: parts[0] ?? '', port: portOf(parts[1]) };
}

function portOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** 0.0.0.0 / :: in a listen address means "this proxy": use the host the user dialled. */
function usableHost(host: string, webHost: string): string {
  return host === '' || host === '0.0.0.0' || host === '::' ? webHost : host;
}

export function sshProxyAddress(
  ping: TeleportPing,
  web: { host: string; webPort: number },
): SshProxyAddress {
  const { publicAddr, sshPublicAddr, listenAddr, webListenAddr } = ping.proxySsh;
  if (ping.tlsRoutingEnabled) {
    const from = splitHostPort(publicAddr ?? '') ?? splitHostPort(webListenAddr ?? '');
    return {
      host: usableHost(from?.host ?? '', web.host),
      port: from?.port ?? web.webPort,
      tlsRouting: true,
    };
  }
  const ssh = splitHostPort(sshPublicAddr ?? '');
  if (ssh) return { host: ssh.host, port: ssh.port ?? DEFAULT_SSH_PROXY_PORT, tlsRouting: false };
  const pub = splitHostPort(publicAddr ?? '');
  if (pub) return { host: pub.host, port: DEFAULT_SSH_PROXY_PORT, tlsRouting: false };
  const listen = splitHostPort(listenAddr ?? '');
  if (listen) {
    return {
      host: usableHost(listen.host, web.host),
      port: listen.port ?? DEFAULT_SSH_PROXY_PORT,
      tlsRouting: false,
    };
  }
  const webListen = splitHostPort(webListenAddr ?? '');
  return {
    host: usableHost(webListen?.host ?? '', web.host),
    port: DEFAULT_SSH_PROXY_PORT,
    tlsRouting: false,
  };
}

/** The vault keeps the address in the credentials' `extra` strings. */
export function sshProxyExtra(address: SshProxyAddress): Record<string, string> {
  return {
    sshProxy: address.host.includes(':')
      ? `[${address.host}]:${String(address.port)}`
      : `${address.host}:${String(address.port)}`,
    ...(address.tlsRouting ? { sshProxyTlsRouting: 'alpn' } : {}),
  };
}

export function sshProxyFromExtra(
  extra: Record<string, string> | undefined,
): SshProxyAddress | undefined {
  const parsed = splitHostPort(extra?.sshProxy ?? '');
  if (!parsed?.port) return undefined;
  return { host: parsed.host, port: parsed.port, tlsRouting: extra?.sshProxyTlsRouting === 'alpn' };
}
