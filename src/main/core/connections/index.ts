/**
 * Reaching hosts: route resolution (site, login, jump), the shared connection pool, host key
 * prompts and OneHop's known_hosts, TLS routing, and session channels.
 */
export {
  ConnectionPool,
  DEFAULT_IDLE_TIMEOUT_MS,
  type AcquireOptions,
  type Lease,
  type PoolOptions,
  type UnknownKeyMode,
} from './pool';
export {
  certificateLogins,
  resolveRoute,
  type CredentialsLookup,
  type JumpRoute,
  type ResolvedRoute,
} from './route';
export { HostKeyPrompts } from './hostKeyPrompts';
export { KnownHostsStore, APP_KNOWN_HOSTS } from './knownHostsStore';
export { dialTlsRouted, ALPN_PROXY_SSH } from './tlsRouting';
export {
  openSessionChannel,
  type ExitStatus,
  type PtyRequest,
  type SessionChannel,
  type SessionRequest,
} from './session';
