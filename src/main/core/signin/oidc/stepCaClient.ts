/**
 * The two calls OneHop makes to a step-ca compatible SSH CA (smallstep's `/1.0/ssh/*` API):
 *
 *   POST <ca>/1.0/ssh/sign  {"publicKey": b64(key blob), "ott": <ID token>, "certType": "user",
 *                            "principals": [...], "validAfter": "", "validBefore": "12h0m0s"}
 *                        →  {"crt": b64(certificate blob)}
 *   GET  <ca>/1.0/ssh/roots → {"hostKey": [b64 blobs], "userKey": [b64 blobs]}
 *
 * step-ca answers errors as `{"status": 401, "message": "…"}`; the message is shown to the user.
 */
import { formatPublicKeyLine, parsePublicKeyBlob } from '../../credentials/sshKeys';
import { clip, networkCause, OidcSignInError, cancelled } from './errors';

const REQUEST_TIMEOUT_MS = 30_000;
const MAX_RESPONSE_CHARS = 1024 * 1024;

/** Go's time.Duration.String() for whole seconds: 12h0m0s, 30m0s, 45s. */
export function goDuration(ms: number): string {
  const total = Math.max(1, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h) return `${h}h${m}m${s}s`;
  if (m) return `${m}m${s}s`;
  return `${s}s`;
}

export interface SignRequest {
  caUrl: string;
  /** SSH wire blob of the public key to certify. */
  publicKeyBlob: Uint8Array;
  /** The ID token, which the CA verifies (signature, issuer, audience, expiry). */
  ott: string;
  principals: string[];
  ttlMs: number;
  signal?: AbortSignal;
}

export interface SshRoots {
  /** authorized_keys lines of the CA keys that sign host certificates. */
  hostKeys: string[];
  /** authorized_keys lines of the CA keys that sign user certificates. */
  userKeys: string[];
}

function endpoint(caUrl: string, path: string): URL {
  return new URL(path, caUrl.endsWith('/') ? caUrl : `${caUrl}/`);
}

async function request(
  url: URL,
  init: RequestInit,
  signal: AbortSignal | undefined,
): Promise<{ status: number; body: unknown; text: string }> {
  const signals = [AbortSignal.timeout(REQUEST_TIMEOUT_MS)];
  if (signal) signals.push(signal);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.any(signals) });
    text = (await response.text()).slice(0, MAX_RESPONSE_CHARS);
  } catch (error) {
    if (signal?.aborted) throw cancelled();
    throw new OidcSignInError(
      'ca-unreachable',
      `The SSH CA at ${url.origin} could not be reached (${clip(networkCause(error), 160)}); check the CA URL and your network.`,
      { cause: error },
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

function decodeBase64Strict(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]+=*$/.test(value)) return undefined;
  return Buffer.from(value, 'base64');
}

/** Asks the CA for a user certificate; returns the certificate blob. */
export async function signUserKey(req: SignRequest): Promise<Buffer> {
  const url = endpoint(req.caUrl, '1.0/ssh/sign');
  const { status, body, text } = await request(
    url,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        publicKey: Buffer.from(req.publicKeyBlob).toString('base64'),
        ott: req.ott,
        certType: 'user',
        principals: req.principals,
        validAfter: '',
        validBefore: goDuration(req.ttlMs),
      }),
    },
    req.signal,
  );
  if (status < 200 || status > 299) {
    const message = field(body, 'message');
    const reason = typeof message === 'string' && message ? clip(message) : clip(text, 200);
    if (status >= 400 && status < 500) {
      throw new OidcSignInError(
        'ca-refused',
        `The SSH CA refused to sign the certificate (HTTP ${status}${reason ? `: ${reason}` : ''}); sign in again, or ask the CA's administrators.`,
      );
    }
    throw new OidcSignInError(
      'ca-unreachable',
      `The SSH CA failed to sign the certificate (HTTP ${status}${reason ? `: ${reason}` : ''}); try again later.`,
    );
  }
  const crt = decodeBase64Strict(field(body, 'crt'));
  if (!crt || crt.length === 0) {
    throw new OidcSignInError(
      'certificate',
      'The SSH CA answered without a certificate ("crt"); check that the CA URL points to a step-ca compatible CA.',
    );
  }
  return crt;
}

function keyLines(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`${what} is not a list`);
  return value.map((entry) => {
    const blob = decodeBase64Strict(entry);
    if (!blob) throw new Error(`${what} holds something that is not base64`);
    return formatPublicKeyLine(parsePublicKeyBlob(blob));
  });
}

/** The CA's public keys (`GET /1.0/ssh/roots`), as authorized_keys lines. */
export async function fetchSshRoots(caUrl: string, signal?: AbortSignal): Promise<SshRoots> {
  const url = endpoint(caUrl, '1.0/ssh/roots');
  const { status, body, text } = await request(
    url,
    { headers: { Accept: 'application/json' } },
    signal,
  );
  if (status !== 200) {
    const message = field(body, 'message');
    const reason = typeof message === 'string' && message ? clip(message) : clip(text, 200);
    throw new OidcSignInError(
      status >= 500 ? 'ca-unreachable' : 'ca-refused',
      `The SSH CA did not list its host keys (HTTP ${status}${reason ? `: ${reason}` : ''}).`,
    );
  }
  try {
    return {
      hostKeys: keyLines(field(body, 'hostKey'), 'hostKey'),
      userKeys: keyLines(field(body, 'userKey'), 'userKey'),
    };
  } catch (error) {
    throw new OidcSignInError(
      'certificate',
      `The SSH CA listed unusable keys (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
}
