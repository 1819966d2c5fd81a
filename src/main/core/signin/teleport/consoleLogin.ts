import { createPublicKey } from 'node:crypto';
import { TeleportSignInError } from './errors';
import {
  hostPort,
  proxyRequest,
  teleportErrorMessage,
  type ProxyAddress,
  type ProxyRequestOptions,
} from './http';
import type { KeyAlgorithm, LoginPlan } from './loginPlan';

/** The public halves of the keys generated for this sign-in. */
export interface SignInPublicKeys {
  /** OpenSSH authorized_keys line (`ssh-ed25519 AAAA… [comment]`). */
  sshPublicKey: string | Buffer;
  /** PEM public key for the TLS certificate (PKIX `PUBLIC KEY` or PKCS#1); v17+ only. */
  tlsPublicKeyPem?: string | Buffer;
}

const SSH_KEY_TYPE: Record<KeyAlgorithm, string> = {
  'rsa-2048': 'ssh-rsa',
  ed25519: 'ssh-ed25519',
  'ecdsa-p256': 'ecdsa-sha2-nistp256',
};

/** The line as Go's ssh.MarshalAuthorizedKey writes it: `type base64\n`, no comment. */
function normalizeSshKey(raw: string | Buffer, expected: KeyAlgorithm): string {
  const [type = '', blob = ''] = raw.toString('utf8').trim().split(/\s+/);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) {
    throw new TeleportSignInError(
      'invalid-input',
      'The SSH public key is not an authorized_keys line ("type base64"); this is a bug in OneHop.',
    );
  }
  if (type !== SSH_KEY_TYPE[expected]) {
    throw new TeleportSignInError(
      'invalid-input',
      `The SSH public key is ${type || 'empty'}, but this Teleport cluster needs ${SSH_KEY_TYPE[expected]}; this is a bug in OneHop.`,
    );
  }
  return `${type} ${blob}\n`;
}

function checkTlsKey(pem: string | Buffer | undefined, expected: KeyAlgorithm): string {
  if (!pem) {
    throw new TeleportSignInError(
      'invalid-input',
      'A TLS public key is required for Teleport 17 and newer; this is a bug in OneHop.',
    );
  }
  const text = pem.toString('utf8');
  let ok: boolean;
  try {
    const key = createPublicKey(text);
    ok =
      expected === 'rsa-2048'
        ? key.asymmetricKeyType === 'rsa'
        : expected === 'ecdsa-p256'
          ? key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
          : key.asymmetricKeyType === 'ed25519';
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new TeleportSignInError(
      'invalid-input',
      `The TLS public key is not a ${expected} PEM public key as this Teleport cluster needs; this is a bug in OneHop.`,
    );
  }
  return text;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * The JSON body of `POST /webapi/<type>/login/console` (teleport-sso.md §1a–1d). Go `[]byte`
 * fields are standard base64; `cert_ttl` is a `time.Duration` in nanoseconds.
 */
export function buildConsoleRequest(
  plan: LoginPlan,
  keys: SignInPublicKeys,
  redirectUrl: string,
): Record<string, string | number> {
  const ssh = normalizeSshKey(keys.sshPublicKey, plan.keys.ssh);
  const common = {
    redirect_url: redirectUrl,
    cert_ttl: plan.certTtlNs,
    connector_id: plan.connectorName,
  };
  if (plan.requestShape === 'single-key') return { ...common, public_key: b64(ssh) };
  const body: Record<string, string | number> = {
    ...common,
    ssh_pub_key: b64(ssh),
    tls_pub_key: b64(checkTlsKey(keys.tlsPublicKeyPem, plan.keys.tls)),
  };
  if (plan.pkceVerifier) {
    // The verifier's JSON tag is UNVERIFIED (§1c). Its struct mixes tagged fields with untagged
    // ones (`RouteToCluster`), and Go matches keys case-insensitively and ignores unknown ones,
    // so sending both likely spellings is harmless and covers either.
    body.pkce_verifier = plan.pkceVerifier;
    body.PKCEVerifier = plan.pkceVerifier;
  }
  return body;
}

function consoleError(
  status: number,
  body: string,
  plan: LoginPlan,
  redirectUrl: string,
  where: string,
): TeleportSignInError {
  const message = teleportErrorMessage(body);
  const detail = message ? `: ${message}` : '';
  if (
    message &&
    /callback|redirect/i.test(message) &&
    /disallowed|invalid|not allowed/i.test(message)
  ) {
    return new TeleportSignInError(
      'http',
      `The Teleport proxy at ${where} refused OneHop's callback address ${redirectUrl.split('?')[0]}; its administrators must allow loopback callbacks (client_redirect_settings).`,
    );
  }
  if (message && /certttl/i.test(message)) {
    return new TeleportSignInError(
      'http',
      `The Teleport proxy at ${where} refused the requested sign-in duration${detail}; choose between 1 minute and 30 hours.`,
    );
  }
  if (status === 404) {
    return new TeleportSignInError(
      'http',
      `The Teleport proxy at ${where} has no ${plan.connectorType} connector "${plan.connectorName}" (HTTP 404)${detail}; check --connector.`,
    );
  }
  if (status === 403) {
    return new TeleportSignInError(
      'http',
      `The Teleport proxy at ${where} refused to start sign-in with connector "${plan.connectorName}" (HTTP 403)${detail}; ask your administrators to check Teleport's log.`,
    );
  }
  return new TeleportSignInError(
    'http',
    `The Teleport proxy at ${where} could not start sign-in (HTTP ${status})${detail || '; it gave no reason'}.`,
  );
}

/** Starts SSO console login; resolves with the IdP URL to open in the browser. */
export async function startConsoleLogin(
  proxy: ProxyAddress,
  plan: LoginPlan,
  keys: SignInPublicKeys,
  redirectUrl: string,
  options: ProxyRequestOptions = {},
): Promise<{ redirectUrl: string }> {
  const where = hostPort(proxy);
  const body = JSON.stringify(buildConsoleRequest(plan, keys, redirectUrl));
  const response = await proxyRequest(
    proxy,
    `/webapi/${plan.connectorType}/login/console`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body,
    },
    options,
  );
  if (response.status !== 200) {
    throw consoleError(response.status, response.body, plan, redirectUrl, where);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body) as unknown;
  } catch {
    throw new TeleportSignInError(
      'not-teleport',
      `The Teleport proxy at ${where} answered the sign-in request with something other than JSON; check the address.`,
    );
  }
  const record = typeof parsed === 'object' && parsed !== null ? parsed : {};
  const url = (record as { redirect_url?: unknown }).redirect_url;
  if (typeof url !== 'string' || url === '') {
    // Newer SAML connectors may answer with a POST form instead (§1e; tag UNVERIFIED).
    if (Object.keys(record).some((key) => /post_?form/i.test(key))) {
      throw new TeleportSignInError(
        'unsupported',
        `The Teleport proxy at ${where} wants the browser to post a SAML form, which OneHop cannot do yet; use tsh for this connector.`,
      );
    }
    throw new TeleportSignInError(
      'not-teleport',
      `The Teleport proxy at ${where} did not return a sign-in address (no redirect_url); check the proxy version.`,
    );
  }
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw new TeleportSignInError(
      'callback',
      `The Teleport proxy at ${where} returned a sign-in address that is not an http(s) link; OneHop will not open it.`,
    );
  }
  return { redirectUrl: url };
}
