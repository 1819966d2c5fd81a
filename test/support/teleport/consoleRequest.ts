/**
 * `POST /webapi/<type>/login/console` body checks, per Teleport version (teleport-sso.md §1a–1d,
 * §3): what `httplib.ReadJSON`, `SSOLoginConsoleReq.CheckAndSetDefaults`,
 * `ValidateClientRedirect` and the auth server's `CertTTL` check refuse. Go's `json.Unmarshal`
 * matches keys case-insensitively (last one wins) and ignores unknown keys; so does this.
 */
import { createPublicKey } from 'node:crypto';

/** A Teleport trace error: HTTP status plus the `{"error":{"message":…}}` text. */
export class ProxyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ProxyError';
  }
}

const bad = (message: string) => new ProxyError(400, message);

/** `lib/web` SSOLoginFailureInvalidRedirect. */
export const INVALID_REDIRECT_MESSAGE =
  "Failed to login due to a disallowed callback URL. Please check Teleport's log for more details.";

export const MIN_CERT_TTL_NS = 60e9;
export const MAX_CERT_TTL_NS = 30 * 3600e9;

export type KeyKind = 'ssh-rsa' | 'ssh-ed25519' | 'ecdsa-sha2-nistp256';

export interface ConsoleRules {
  major: number;
  connectorName: string;
  /** SSH and TLS key algorithms the suite expects; undefined = do not check. */
  expectedSshKey?: KeyKind;
  expectedTlsKey?: 'rsa' | 'ec' | 'ed25519';
  /** The OIDC connector has `pkce_mode: enabled`. */
  pkceRequired: boolean;
}

export interface ConsoleLogin {
  redirectUrl: string;
  secretKey: string;
  connectorId: string;
  certTtlNs: number;
  /** authorized_keys line to certify. */
  sshPublicKey: string;
  /** PEM public key for the TLS certificate; undefined for ≤ v16 (the SSH key is reused). */
  tlsPublicKeyPem?: string;
  pkceVerifier?: string;
}

/** Go's case-insensitive key lookup; the last matching key wins, as in encoding/json. */
function field(body: Record<string, unknown>, tag: string): unknown {
  let value: unknown;
  for (const [key, v] of Object.entries(body)) {
    if (key.toLowerCase() === tag.toLowerCase()) value = v;
  }
  return value;
}

const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A Go `[]byte`: standard base64 with padding, or a decode error; '' and null mean unset. */
function goBytes(body: Record<string, unknown>, tag: string): string | undefined {
  const value = field(body, tag);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !STD_BASE64.test(value)) {
    throw bad(`json: cannot unmarshal ${tag}: illegal base64 data`);
  }
  return Buffer.from(value, 'base64').toString('utf8');
}

function goString(body: Record<string, unknown>, tag: string): string {
  const value = field(body, tag);
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') {
    throw bad(`json: cannot unmarshal ${typeof value} into Go struct field ${tag} of type string`);
  }
  return value;
}

/** ssh.ParseAuthorizedKey: `type base64`, the blob must start with the same type name. */
function authorizedKeyType(line: string, tag: string): string {
  const [type = '', blob = ''] = line.trim().split(/\s+/);
  const decoded = Buffer.from(blob, 'base64');
  const length = decoded.length >= 4 ? decoded.readUInt32BE(0) : 0;
  const inner = decoded.subarray(4, 4 + length).toString('latin1');
  if (!type || inner !== type || !STD_BASE64.test(blob)) {
    throw bad(`${tag}: ssh: no key found`);
  }
  return type;
}

/** lib/client/sso/redirector.go:ValidateClientRedirect, loopback part. */
export function validateClientRedirect(raw: string): string {
  const refuse = () => new ProxyError(403, INVALID_REDIRECT_MESSAGE);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse();
  }
  const keys = [...url.searchParams.keys()];
  if (
    url.protocol !== 'http:' ||
    !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) ||
    url.pathname !== '/callback' ||
    url.hash !== '' ||
    raw.includes('#') ||
    url.username !== '' ||
    url.password !== '' ||
    keys.length !== 1 ||
    keys[0] !== 'secret_key'
  ) {
    throw refuse();
  }
  const secretKey = url.searchParams.get('secret_key') ?? '';
  // lib/secret ParseKey: hex of a 32-byte key; ConstructSSHResponse fails otherwise.
  if (!/^[0-9a-fA-F]{64}$/.test(secretKey)) throw refuse();
  return secretKey;
}

function checkTlsKey(pem: string, expected: ConsoleRules['expectedTlsKey']): void {
  let type: string | undefined;
  try {
    type = createPublicKey(pem).asymmetricKeyType;
  } catch {
    throw bad('tls_pub_key: failed to parse PEM public key');
  }
  if (expected && type !== expected) {
    throw bad(`tls_pub_key: the ${type ?? 'unknown'} key does not match the cluster's suite`);
  }
}

/** Validates a parsed console body; throws ProxyError with Teleport's status and message. */
export function validateConsoleRequest(
  raw: Record<string, unknown>,
  rules: ConsoleRules,
): ConsoleLogin {
  const redirectUrl = goString(raw, 'redirect_url');
  const connectorId = goString(raw, 'connector_id');
  // ≤ v16 and v17 tag the single key `public_key`; the newest code tags it `pub_key` (§1c).
  const singleTag = rules.major >= 18 ? 'pub_key' : 'public_key';
  const single = goBytes(raw, singleTag);
  let sshKey: string | undefined;
  let tlsKey: string | undefined;

  if (!redirectUrl) throw bad('missing RedirectURL');
  if (rules.major <= 16) {
    // Real v16 proxies ignore these unknown keys; the emulator refuses them so that a client
    // sending the v17 shape to a v16 proxy is caught by the tests.
    if (field(raw, 'ssh_pub_key') !== undefined || field(raw, 'tls_pub_key') !== undefined) {
      throw bad('emulator (Teleport 16): ssh_pub_key/tls_pub_key are not part of the v16 request');
    }
    if (!single) throw bad('missing PublicKey');
    sshKey = single;
  } else {
    sshKey = goBytes(raw, 'ssh_pub_key');
    tlsKey = goBytes(raw, 'tls_pub_key');
    if (single && sshKey) throw bad(`'${singleTag}' and 'ssh_pub_key' cannot both be set`);
    if (single && tlsKey) throw bad(`'${singleTag}' and 'tls_pub_key' cannot both be set`);
    if (!single && !sshKey && !tlsKey) throw bad("'ssh_pub_key' or 'tls_pub_key' must be set");
    if (single) sshKey = single;
    if (!sshKey) throw bad('emulator: a TLS-only login cannot get an SSH certificate');
  }
  if (!connectorId) throw bad('missing ConnectorID');

  const sshType = authorizedKeyType(sshKey, rules.major <= 16 ? 'public_key' : 'ssh_pub_key');
  if (rules.expectedSshKey && sshType !== rules.expectedSshKey) {
    throw bad(`ssh_pub_key: a ${sshType} key does not match the cluster's suite`);
  }
  if (tlsKey) checkTlsKey(tlsKey, rules.expectedTlsKey);

  const ttl = field(raw, 'cert_ttl');
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isInteger(ttl))) {
    throw bad('json: cannot unmarshal number into Go struct field cert_ttl of type time.Duration');
  }
  const certTtlNs = typeof ttl === 'number' ? ttl : 0;

  let pkceVerifier: string | undefined = goString(raw, 'pkce_verifier') || undefined;
  if (rules.major < 17) pkceVerifier = undefined; // no such field before v17

  // CreateOIDCAuthRequest: redirect, TTL, PKCE, then the connector.
  const secretKey = validateClientRedirect(redirectUrl);
  if (certTtlNs < MIN_CERT_TTL_NS || certTtlNs > MAX_CERT_TTL_NS) throw bad('wrong CertTTL');
  if (rules.pkceRequired && !pkceVerifier) {
    throw bad('pkce code verifier must not be empty');
  }
  if (pkceVerifier !== undefined && !/^[A-Za-z0-9._~-]{43,128}$/.test(pkceVerifier)) {
    throw bad('invalid pkce code verifier');
  }
  if (connectorId !== rules.connectorName) {
    throw new ProxyError(404, `oidc connector "${connectorId}" is not found`);
  }
  return {
    redirectUrl,
    secretKey: secretKey.toLowerCase(),
    connectorId,
    certTtlNs,
    sshPublicKey: sshKey.trim(),
    tlsPublicKeyPem: tlsKey,
    pkceVerifier,
  };
}
