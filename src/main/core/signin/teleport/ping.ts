import { z } from 'zod';
import { parseGoDuration } from './duration';
import { TeleportSignInError } from './errors';
import {
  hostPort,
  proxyRequest,
  teleportErrorMessage,
  type ProxyAddress,
  type ProxyRequestOptions,
} from './http';

// Only the fields OneHop reads; zod drops the rest, so newer proxies with more fields still parse.
// Go writes nil pointers as null when a field has no omitempty, hence nullish.
const connectorSchema = z
  .object({ name: z.string().nullish(), display: z.string().nullish() })
  .nullish();

const optionalString = z.string().nullish();

const pingSchema = z.object({
  auth: z.object({
    type: z.string().min(1),
    oidc: connectorSchema,
    saml: connectorSchema,
    github: connectorSchema,
    private_key_policy: optionalString,
    // types.Duration marshals as a Go duration string; its unmarshaller also takes nanoseconds.
    default_session_ttl: z.union([z.string(), z.number()]).nullish(),
    signature_algorithm_suite: optionalString,
  }),
  proxy: z
    .object({
      ssh: z
        .object({
          public_addr: optionalString,
          ssh_public_addr: optionalString,
          listen_addr: optionalString,
          web_listen_addr: optionalString,
        })
        .nullish(),
      tls_routing_enabled: z.boolean().nullish(),
    })
    .nullish(),
  server_version: z.string().min(1),
  min_client_version: optionalString,
  cluster_name: optionalString,
});

export type ConnectorType = 'oidc' | 'saml' | 'github';

export interface ConnectorInfo {
  name?: string;
  display?: string;
}

/** What OneHop needs from `GET /webapi/ping`, in OneHop's naming. */
export interface TeleportPing {
  /** `local`, `oidc`, `saml`, `github`, or something newer. */
  authType: string;
  connectors: Partial<Record<ConnectorType, ConnectorInfo>>;
  /** `none` when the proxy does not say (older versions). */
  privateKeyPolicy: string;
  /** `auth.default_session_ttl` in ms; undefined when absent or unreadable. */
  defaultSessionTtlMs?: number;
  /** `legacy`, `balanced-v1`, `fips-v1`, `hsm-v1`; undefined when unset (≤ v16). */
  signatureAlgorithmSuite?: string;
  proxySsh: {
    publicAddr?: string;
    sshPublicAddr?: string;
    listenAddr?: string;
    webListenAddr?: string;
  };
  tlsRoutingEnabled: boolean;
  serverVersion: string;
  minClientVersion?: string;
  clusterName?: string;
}

export interface PingResult {
  ping: TeleportPing;
  /**
   * Proxy clock minus local clock in ms, from the `Date` header against the middle of the request
   * (±1 s: `Date` has whole seconds). Undefined when the proxy sent no usable `Date`.
   */
  clockSkewMs?: number;
}

export interface PingOptions extends ProxyRequestOptions {
  /** `--connector`: asks `/webapi/ping/<connector>`, which answers with that connector's type. */
  connector?: string;
}

function present(value: string | null | undefined): string | undefined {
  return value ? value : undefined;
}

function connectorInfo(raw: z.infer<typeof connectorSchema>): ConnectorInfo | undefined {
  if (!raw) return undefined;
  return { name: present(raw.name), display: present(raw.display) };
}

function sessionTtlMs(raw: string | number | null | undefined): number | undefined {
  if (typeof raw === 'number') return raw / 1e6; // nanoseconds
  if (!raw) return undefined;
  try {
    return parseGoDuration(raw);
  } catch {
    return undefined; // a bad default must not block sign-in; the plan falls back to 12 h
  }
}

export function normalizePing(raw: z.infer<typeof pingSchema>): TeleportPing {
  const ssh = raw.proxy?.ssh;
  const connectors: TeleportPing['connectors'] = {};
  for (const type of ['oidc', 'saml', 'github'] as const) {
    const info = connectorInfo(raw.auth[type]);
    if (info) connectors[type] = info;
  }
  return {
    authType: raw.auth.type,
    connectors,
    privateKeyPolicy: present(raw.auth.private_key_policy) ?? 'none',
    defaultSessionTtlMs: sessionTtlMs(raw.auth.default_session_ttl),
    signatureAlgorithmSuite: present(raw.auth.signature_algorithm_suite),
    proxySsh: {
      publicAddr: present(ssh?.public_addr),
      sshPublicAddr: present(ssh?.ssh_public_addr),
      listenAddr: present(ssh?.listen_addr),
      webListenAddr: present(ssh?.web_listen_addr),
    },
    tlsRoutingEnabled: raw.proxy?.tls_routing_enabled ?? false,
    serverVersion: raw.server_version,
    minClientVersion: present(raw.min_client_version),
    clusterName: present(raw.cluster_name),
  };
}

/** Parses a ping body; throws a plain "not a Teleport proxy" error for anything else. */
export function parsePing(body: string, where: string): TeleportPing {
  let json: unknown;
  try {
    json = JSON.parse(body) as unknown;
  } catch {
    throw new TeleportSignInError(
      'not-teleport',
      `The server at ${where} is not a Teleport proxy (its /webapi/ping answer is not JSON); check the address and port.`,
    );
  }
  const parsed = pingSchema.safeParse(json);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || 'the answer';
    throw new TeleportSignInError(
      'not-teleport',
      `The server at ${where} is not a Teleport proxy (its /webapi/ping answer lacks "${field}"); check the address and port.`,
    );
  }
  return normalizePing(parsed.data);
}

function clockSkew(date: string | null, sentAt: number, receivedAt: number): number | undefined {
  if (!date) return undefined;
  const serverTime = Date.parse(date);
  if (Number.isNaN(serverTime)) return undefined;
  return Math.round(serverTime - (sentAt + receivedAt) / 2);
}

/** `GET /webapi/ping` (or `/webapi/ping/<connector>`): discovery, as `tsh login` starts. */
export async function fetchPing(
  proxy: ProxyAddress,
  options: PingOptions = {},
): Promise<PingResult> {
  const where = hostPort(proxy);
  const path = options.connector
    ? `/webapi/ping/${encodeURIComponent(options.connector)}`
    : '/webapi/ping';
  const response = await proxyRequest(
    proxy,
    path,
    { method: 'GET', headers: { Accept: 'application/json' } },
    options,
  );
  if (response.status !== 200) {
    const message = teleportErrorMessage(response.body);
    if (!message) {
      throw new TeleportSignInError(
        'not-teleport',
        `The server at ${where} is not a Teleport proxy (HTTP ${response.status} for ${path}); check the address and port.`,
      );
    }
    const connector = options.connector ? ` for connector "${options.connector}"` : '';
    throw new TeleportSignInError(
      'http',
      `The Teleport proxy at ${where} refused discovery${connector} (HTTP ${response.status}): ${message}`,
    );
  }
  return {
    ping: parsePing(response.body, where),
    clockSkewMs: clockSkew(response.headers.get('date'), response.sentAt, response.receivedAt),
  };
}
