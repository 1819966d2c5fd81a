import { randomBytes } from 'node:crypto';
import { formatDuration, parseGoDuration } from './duration';
import { TeleportSignInError } from './errors';
import type { ConnectorType, TeleportPing } from './ping';

/** Teleport majors this code was checked against (teleport-sso.md covers v13 to v18). */
export const OLDEST_TESTED_MAJOR = 13;
export const NEWEST_TESTED_MAJOR = 18;

export const MIN_CERT_TTL_MS = 60_000; // api/types MinCertDuration
export const MAX_CERT_TTL_MS = 30 * 3_600_000; // MaxCertDuration
export const DEFAULT_CERT_TTL_MS = 12 * 3_600_000; // CertDuration

export type KeyAlgorithm = 'rsa-2048' | 'ed25519' | 'ecdsa-p256';

/** teleport-sso.md §5a. */
export interface KeyChoice {
  suite: 'legacy' | 'balanced-v1' | 'hsm-v1' | 'fips-v1';
  ssh: KeyAlgorithm;
  tls: KeyAlgorithm;
  /** One key pair for SSH and TLS (`GenerateUserSSHAndTLSKey` with the legacy suite). */
  shared: boolean;
}

/**
 * §1d: `single-key` = v13–v16 body (`public_key`); `split-keys` = v17+ (`ssh_pub_key` +
 * `tls_pub_key`, never `public_key`).
 */
export type RequestShape = 'single-key' | 'split-keys';

export interface LoginPlan {
  connectorType: ConnectorType;
  connectorName: string;
  connectorDisplay?: string;
  serverVersion: string;
  serverMajor: number;
  keys: KeyChoice;
  requestShape: RequestShape;
  certTtlMs: number;
  /** `cert_ttl` as sent: Go `time.Duration` nanoseconds (≤ 1.08e14, exact in a double). */
  certTtlNs: number;
  /** RFC 7636 verifier (43 base64url chars) for v17+ proxies; see consoleLogin.ts. */
  pkceVerifier?: string;
  /** Things to tell the user that do not stop sign-in. */
  warnings: string[];
}

export interface LoginPlanOptions {
  /** `--connector`; should also have been passed to fetchPing so the type matches. */
  connector?: string;
  /** `--ttl`: a Go-style duration (`12h`, `90m`) or milliseconds. */
  ttl?: string | number;
  /** Replaces crypto randomness (tests). */
  randomBytes?: (size: number) => Buffer;
}

const CONNECTOR_TYPES: readonly ConnectorType[] = ['oidc', 'saml', 'github'];

/** Major of `16.4.7`, `v17.0.0-dev`…; undefined when unreadable. */
export function serverMajor(version: string): number | undefined {
  const match = /^v?(\d+)\./.exec(version.trim());
  return match ? Number(match[1]) : undefined;
}

function chooseConnector(ping: TeleportPing, options: LoginPlanOptions) {
  const type = ping.authType;
  if (type === 'local') {
    throw new TeleportSignInError(
      'unsupported',
      'This Teleport proxy uses password login, which is not supported yet; ask your administrators for SSO or use tsh.',
    );
  }
  if (!(CONNECTOR_TYPES as readonly string[]).includes(type)) {
    throw new TeleportSignInError(
      'unsupported',
      `This Teleport proxy uses the sign-in type "${type}", which OneHop does not support; use tsh.`,
    );
  }
  const connectorType = type as ConnectorType;
  const info = ping.connectors[connectorType];
  // tsh: `--auth` asks /webapi/ping/<name> and then uses that name; otherwise the ping's connector.
  const connectorName = options.connector?.trim() || info?.name;
  if (!connectorName) {
    throw new TeleportSignInError(
      'unsupported',
      `The Teleport proxy did not name its ${connectorType} connector; give one with --connector.`,
    );
  }
  return { connectorType, connectorName, connectorDisplay: info?.display };
}

function chooseKeys(major: number, suite: string | undefined, warnings: string[]): KeyChoice {
  const legacy: KeyChoice = { suite: 'legacy', ssh: 'rsa-2048', tls: 'rsa-2048', shared: true };
  if (major <= 16 || !suite || suite === 'legacy') return legacy;
  if (suite === 'balanced-v1' || suite === 'hsm-v1') {
    return { suite, ssh: 'ed25519', tls: 'ecdsa-p256', shared: false };
  }
  if (suite === 'fips-v1') return { suite, ssh: 'ecdsa-p256', tls: 'ecdsa-p256', shared: false };
  // A suite newer than this code: balanced-v1 is the v17+ default, the likeliest to be accepted.
  warnings.push(
    `The Teleport cluster uses the key suite "${suite}", which OneHop does not know; trying Ed25519 and ECDSA P-256 keys.`,
  );
  return { suite: 'balanced-v1', ssh: 'ed25519', tls: 'ecdsa-p256', shared: false };
}

function userTtlMs(ttl: string | number): number {
  let ms: number;
  if (typeof ttl === 'number') {
    ms = ttl;
  } else {
    try {
      ms = parseGoDuration(ttl);
    } catch {
      throw new TeleportSignInError(
        'invalid-input',
        `The sign-in duration "${ttl}" is not valid; write it like 12h, 90m or 1h30m.`,
      );
    }
  }
  const shown = typeof ttl === 'string' ? ttl.trim() : formatDuration(ms);
  if (!Number.isFinite(ms) || ms < MIN_CERT_TTL_MS) {
    throw new TeleportSignInError(
      'invalid-input',
      `The sign-in duration ${shown} is too short; Teleport accepts 1 minute to 30 hours.`,
    );
  }
  if (ms > MAX_CERT_TTL_MS) {
    throw new TeleportSignInError(
      'invalid-input',
      `The sign-in duration ${shown} is too long; Teleport accepts 1 minute to 30 hours.`,
    );
  }
  return ms;
}

/** The proxy's default is not the user's fault: clamp it (the auth server would refuse it). */
function defaultTtlMs(ping: TeleportPing, warnings: string[]): number {
  const ms = ping.defaultSessionTtlMs;
  if (ms === undefined || ms <= 0) return DEFAULT_CERT_TTL_MS;
  const clamped = Math.min(MAX_CERT_TTL_MS, Math.max(MIN_CERT_TTL_MS, ms));
  if (clamped !== ms) {
    warnings.push(
      `The proxy's default session length (${formatDuration(ms)}) is outside Teleport's 1 minute to 30 hours; asking for ${formatDuration(clamped)} instead.`,
    );
  }
  return clamped;
}

/** Everything decided before keys are generated and the console request is sent. */
export function buildLoginPlan(ping: TeleportPing, options: LoginPlanOptions = {}): LoginPlan {
  const warnings: string[] = [];
  const connector = chooseConnector(ping, options);
  if (ping.privateKeyPolicy !== 'none') {
    throw new TeleportSignInError(
      'unsupported',
      `This Teleport cluster requires hardware-backed keys (private_key_policy "${ping.privateKeyPolicy}"), which OneHop does not support; use tsh with your hardware key.`,
    );
  }
  const major = serverMajor(ping.serverVersion);
  if (major === undefined) {
    throw new TeleportSignInError(
      'not-teleport',
      `The proxy reported a version OneHop cannot read ("${ping.serverVersion}"); check that the address is a Teleport proxy.`,
    );
  }
  if (major > NEWEST_TESTED_MAJOR) {
    warnings.push(
      `Teleport ${ping.serverVersion} is newer than the newest version OneHop was tested with (${NEWEST_TESTED_MAJOR}); sign-in may still work, but report any problem.`,
    );
  } else if (major < OLDEST_TESTED_MAJOR) {
    warnings.push(
      `Teleport ${ping.serverVersion} is older than the oldest version OneHop was tested with (${OLDEST_TESTED_MAJOR}); sign-in may fail.`,
    );
  }
  const certTtlMs =
    options.ttl !== undefined ? userTtlMs(options.ttl) : defaultTtlMs(ping, warnings);
  const requestShape: RequestShape = major <= 16 ? 'single-key' : 'split-keys';
  const random = options.randomBytes ?? randomBytes;
  return {
    ...connector,
    serverVersion: ping.serverVersion,
    serverMajor: major,
    keys: chooseKeys(major, ping.signatureAlgorithmSuite, warnings),
    requestShape,
    certTtlMs,
    certTtlNs: Math.round(certTtlMs * 1e6),
    // oauth2.GenerateVerifier: 32 random bytes, base64url without padding.
    pkceVerifier: requestShape === 'split-keys' ? random(32).toString('base64url') : undefined,
    warnings,
  };
}
