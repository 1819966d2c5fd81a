/**
 * `GET /webapi/ping` answers as Teleport writes them (teleport-sso.md §4): v16 and older without
 * `signature_algorithm_suite`, v17+ with it; `default_session_ttl` as a Go duration string;
 * `dial_timeout` in nanoseconds.
 */

export interface PingSettings {
  version: string;
  major: number;
  clusterName: string;
  authType: 'oidc' | 'saml' | 'github' | 'local';
  connectorName: string;
  connectorDisplay: string;
  idpIssuer: string;
  privateKeyPolicy: string;
  /** Omitted from the answer when undefined. */
  suite?: string;
  defaultSessionTtlMs: number;
  webPort: number;
  sshPublicAddr?: string;
  tlsRoutingEnabled: boolean;
}

/** Go's `time.Duration.String()` for whole seconds: `12h0m0s`, `1h30m0s`, `45s`. */
export function goDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

export function pingBody(settings: PingSettings): Record<string, unknown> {
  const auth: Record<string, unknown> = {
    type: settings.authType,
    second_factor: 'on',
    preferred_local_mfa: 'webauthn',
    allow_passwordless: false,
    allow_headless: false,
    local: settings.authType === 'local' ? { name: '' } : undefined,
    private_key_policy: settings.privateKeyPolicy,
    piv_slot: '',
    device_trust: { disabled: false },
    has_motd: false,
    load_all_cas: false,
    default_session_ttl: goDuration(settings.defaultSessionTtlMs),
  };
  if (settings.authType !== 'local') {
    auth[settings.authType] = {
      name: settings.connectorName,
      display: settings.connectorDisplay,
      IssuerURL: settings.idpIssuer,
    };
  }
  if (settings.suite !== undefined) auth.signature_algorithm_suite = settings.suite;
  const host = '127.0.0.1';
  return {
    auth,
    proxy: {
      kube: { enabled: false, listen_addr: '0.0.0.0:3026' },
      ssh: {
        listen_addr: '0.0.0.0:3023',
        tunnel_listen_addr: '0.0.0.0:3024',
        web_listen_addr: `0.0.0.0:${settings.webPort}`,
        public_addr: `${host}:${settings.webPort}`,
        ...(settings.sshPublicAddr ? { ssh_public_addr: settings.sshPublicAddr } : {}),
        dial_timeout: 30_000_000_000,
      },
      db: { postgres_listen_addr: '', mysql_listen_addr: '' },
      tls_routing_enabled: settings.tlsRoutingEnabled,
      assist_enabled: false,
    },
    server_version: settings.version,
    min_client_version: `${Math.max(settings.major - 1, 1)}.0.0`,
    cluster_name: settings.clusterName,
    automatic_upgrades: false,
    edition: 'ent',
    fips: settings.suite === 'fips-v1',
    ...(settings.major >= 17 ? { auto_update: { tools_auto_update: false } } : {}),
  };
}

/** `/webapi/find`: the proxy settings only. */
export function findBody(settings: PingSettings): Record<string, unknown> {
  const ping = pingBody(settings);
  return {
    proxy: ping.proxy,
    server_version: ping.server_version,
    min_client_version: ping.min_client_version,
    cluster_name: ping.cluster_name,
    edition: ping.edition,
    fips: ping.fips,
  };
}
