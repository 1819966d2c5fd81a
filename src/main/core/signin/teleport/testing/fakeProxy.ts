/**
 * Test-only: a small Teleport proxy on 127.0.0.1 that answers `/webapi/ping` and validates
 * `POST /webapi/<type>/login/console` as teleport-sso.md §1a/§1b/§3 describe, per version style.
 * The full emulator (IdP step, sealed callback, real certificates) belongs in test/support.
 */
import { createPublicKey } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyStyle = 'v16' | 'v17';

export interface FakeProxyOptions {
  style: ProxyStyle;
  serverVersion?: string;
  authType?: string;
  connectorName?: string;
  suite?: string;
  defaultSessionTtl?: string;
  privateKeyPolicy?: string;
  /** Added to the `Date` header to fake clock skew. */
  clockOffsetMs?: number;
  /** Replace the ping body entirely (raw text). */
  rawPing?: string;
}

export interface ConsoleCall {
  contentType: string | undefined;
  /** The body as sent (keys as sent). */
  body: Record<string, unknown>;
}

export interface FakeProxy {
  port: number;
  pings: string[];
  consoleCalls: ConsoleCall[];
  close(): Promise<void>;
}

export const IDP_URL = 'https://idp.example.invalid/authorize?client_id=teleport&state=abc';

export function pingBody(options: FakeProxyOptions): Record<string, unknown> {
  const v17 = options.style === 'v17';
  const type = options.authType ?? 'oidc';
  const auth: Record<string, unknown> = {
    type,
    second_factor: 'on',
    preferred_local_mfa: 'webauthn',
    private_key_policy: options.privateKeyPolicy ?? 'none',
    piv_slot: '',
    device_trust: { disabled: false },
    has_motd: false,
    load_all_cas: false,
    default_session_ttl: options.defaultSessionTtl ?? '12h0m0s',
  };
  if (type !== 'local') {
    auth[type] = {
      name: options.connectorName ?? 'keycloak',
      display: 'Keycloak',
      IssuerURL: 'https://idp.example.invalid/realms/x',
    };
  } else {
    auth.local = { name: '' };
  }
  if (v17 && options.suite !== '') auth.signature_algorithm_suite = options.suite ?? 'balanced-v1';
  return {
    auth,
    proxy: {
      kube: { enabled: false },
      db: {},
      tls_routing_enabled: false,
      ssh: {
        listen_addr: '0.0.0.0:3023',
        tunnel_listen_addr: '0.0.0.0:3024',
        web_listen_addr: '0.0.0.0:3080',
        public_addr: 'jump.example.int:443',
        ssh_public_addr: 'jump.example.int:3023',
        dial_timeout: 30_000_000_000,
      },
    },
    server_version: options.serverVersion ?? (v17 ? '17.1.2' : '16.4.7'),
    min_client_version: v17 ? '16.0.0' : '15.0.0',
    cluster_name: 'example-cluster',
    automatic_upgrades: false,
    edition: 'ent',
    fips: false,
  };
}

class BadParameter extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Go `[]byte` from JSON: standard base64 or a decode error. */
function goBytes(value: unknown, field: string): Buffer | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !STD_BASE64.test(value)) {
    throw new BadParameter(`json: cannot decode ${field}: illegal base64 data`);
  }
  return value === '' ? undefined : Buffer.from(value, 'base64');
}

function checkAuthorizedKey(bytes: Buffer, field: string): void {
  const [type = '', blob = ''] = bytes.toString('utf8').trim().split(/\s+/);
  const decoded = Buffer.from(blob, 'base64');
  const inner = decoded.subarray(4, 4 + (decoded.readUInt32BE(0) || 0)).toString();
  if (!type || inner !== type) throw new BadParameter(`${field}: ssh: no key found`);
}

/** lib/client/sso/redirector.go:ValidateClientRedirect for loopback callbacks. */
function validateRedirect(raw: string): void {
  const url = new URL(raw);
  const host = url.hostname;
  const params = [...url.searchParams.keys()];
  if (
    url.protocol !== 'http:' ||
    !['localhost', '127.0.0.1', '[::1]'].includes(host) ||
    url.pathname !== '/callback' ||
    url.hash !== '' ||
    url.username !== '' ||
    url.password !== '' ||
    params.length !== 1 ||
    params[0] !== 'secret_key'
  ) {
    throw new BadParameter(
      "Failed to login due to a disallowed callback URL. Please check Teleport's log for more details.",
      403,
    );
  }
}

function validateConsole(options: FakeProxyOptions, raw: Record<string, unknown>): void {
  // Go's json.Unmarshal: case-insensitive keys, unknown keys ignored.
  const body = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
  const redirect = body.redirect_url;
  const connector = body.connector_id;
  if (typeof redirect !== 'string' || !redirect) throw new BadParameter('missing RedirectURL');
  if (typeof connector !== 'string' || !connector) throw new BadParameter('missing ConnectorID');
  const publicKey = goBytes(body.public_key, 'public_key');
  const sshKey = options.style === 'v17' ? goBytes(body.ssh_pub_key, 'ssh_pub_key') : undefined;
  const tlsKey = options.style === 'v17' ? goBytes(body.tls_pub_key, 'tls_pub_key') : undefined;
  if (options.style === 'v16') {
    if (!publicKey) throw new BadParameter('missing PublicKey');
  } else {
    if (publicKey && sshKey) {
      throw new BadParameter("'pub_key' and 'ssh_pub_key' cannot both be set");
    }
    if (publicKey && tlsKey) {
      throw new BadParameter("'pub_key' and 'tls_pub_key' cannot both be set");
    }
    if (!publicKey && !sshKey && !tlsKey) {
      throw new BadParameter("'ssh_pub_key' or 'tls_pub_key' must be set");
    }
  }
  if (publicKey) checkAuthorizedKey(publicKey, 'public_key');
  if (sshKey) checkAuthorizedKey(sshKey, 'ssh_pub_key');
  if (tlsKey) {
    try {
      createPublicKey(tlsKey.toString('utf8'));
    } catch {
      throw new BadParameter('tls_pub_key: failed to parse PEM public key');
    }
  }
  const ttl = body.cert_ttl;
  // Go decodes a JSON number into int64 only when it is written as an integer.
  if (typeof ttl !== 'number' || !Number.isInteger(ttl)) {
    throw new BadParameter('json: cannot unmarshal number into Go struct field cert_ttl');
  }
  if (ttl < 60e9 || ttl > 30 * 3600e9) throw new BadParameter('wrong CertTTL');
  if (connector !== (options.connectorName ?? 'keycloak')) {
    throw new BadParameter(`oidc connector "${connector}" is not found`, 404);
  }
  validateRedirect(redirect);
}

function json(res: http.ServerResponse, status: number, value: unknown, date?: string): void {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (date) headers.Date = date;
  res.writeHead(status, headers);
  res.end(JSON.stringify(value));
}

export async function startFakeProxy(options: FakeProxyOptions): Promise<FakeProxy> {
  const pings: string[] = [];
  const consoleCalls: ConsoleCall[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const date = new Date(Date.now() + (options.clockOffsetMs ?? 0)).toUTCString();
    if (req.method === 'GET' && /^\/webapi\/ping(\/[^/]+)?$/.test(url.pathname)) {
      pings.push(url.pathname);
      if (options.rawPing !== undefined) {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return res.end(options.rawPing);
      }
      return json(res, 200, pingBody(options), date);
    }
    const consoleMatch = /^\/webapi\/(oidc|saml|github)\/login\/console$/.exec(url.pathname);
    if (req.method === 'POST' && consoleMatch) {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const contentType = req.headers['content-type'];
        try {
          // lib/httplib.ReadJSON refuses anything but application/json.
          if (!contentType?.startsWith('application/json')) {
            throw new BadParameter('invalid request');
          }
          const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
          if (typeof parsed !== 'object' || parsed === null) throw new BadParameter('invalid JSON');
          const body = parsed as Record<string, unknown>;
          consoleCalls.push({ contentType, body });
          validateConsole(options, body);
          json(res, 200, { redirect_url: IDP_URL });
        } catch (error) {
          const status = error instanceof BadParameter ? error.status : 400;
          const message = error instanceof Error ? error.message : String(error);
          json(res, status, { error: { message } });
        }
      });
      return;
    }
    json(res, 404, { error: { message: 'not found' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    pings,
    consoleCalls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
