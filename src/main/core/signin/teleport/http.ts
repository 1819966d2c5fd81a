import net from 'node:net';
import { CANCELLED_MESSAGE, TeleportSignInError } from './errors';
import { formatDuration } from './duration';

/** Where a Teleport proxy's web API listens (`host[:port]`, https on 443 by default). */
export interface ProxyAddress {
  host: string;
  webPort: number;
}

export interface ProxyRequestOptions {
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
  /** Aborting it cancels the request with "Sign-in cancelled.". */
  signal?: AbortSignal;
  /** Gives up after this long; 15 s by default. */
  timeoutMs?: number;
  /** Plain http, but only to a loopback address (tests and local emulators). */
  allowHttpForLoopback?: boolean;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** A ping or console answer is a few KiB; anything far bigger is not Teleport. */
const MAX_BODY_BYTES = 1024 * 1024;

const TLS_TRUST_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Literal loopback addresses only: a name like `localhost` could resolve anywhere. */
export function isLoopbackHost(host: string): boolean {
  const h = bareHost(host);
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

/** `host:port` for messages and URLs, with IPv6 in brackets. */
export function hostPort(proxy: ProxyAddress): string {
  const h = bareHost(proxy.host);
  return `${net.isIPv6(h) ? `[${h}]` : h}:${proxy.webPort}`;
}

/** `https://host:port`; plain http only for a loopback address when the caller allows it. */
export function proxyBaseUrl(proxy: ProxyAddress, allowHttpForLoopback = false): string {
  const scheme = allowHttpForLoopback && isLoopbackHost(proxy.host) ? 'http' : 'https';
  return `${scheme}://${hostPort(proxy)}`;
}

export interface ProxyResponse {
  status: number;
  headers: Headers;
  body: string;
  /** Local clock (ms) when the request was sent and when the answer arrived. */
  sentAt: number;
  receivedAt: number;
}

/**
 * True when an https request reached a server that answers in plain http (TLS "wrong version
 * number"). Only then may a loopback proxy be retried over http — tsh's rule too.
 */
export function answeredInPlainHttp(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = errorCode(e);
    if (code === 'ERR_SSL_WRONG_VERSION_NUMBER') return true;
    if (code === 'EPROTO' && /wrong version number/i.test(String((e as Error).message)))
      return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errors } = error as { code?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  // Node's happy-eyeballs connect gives an AggregateError with one error per address.
  if (Array.isArray(errors)) return errorCode(errors[0]);
  return undefined;
}

function describeFailure(error: unknown, where: string, timeoutMs: number): TeleportSignInError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError') {
    return new TeleportSignInError(
      'unreachable',
      `The Teleport proxy at ${where} did not answer within ${formatDuration(timeoutMs)}; check the address and your network.`,
      { cause: error },
    );
  }
  const cause = error instanceof Error ? error.cause : undefined;
  const code = errorCode(cause) ?? errorCode(error);
  if (code && TLS_TRUST_CODES.has(code)) {
    return new TeleportSignInError(
      'tls',
      `The TLS certificate of ${where} is not trusted (${code}); if your site uses its own certificate authority, point NODE_EXTRA_CA_CERTS at its PEM file.`,
      { cause: error },
    );
  }
  if (code === 'ECONNREFUSED') {
    return new TeleportSignInError(
      'unreachable',
      `Nothing is listening at ${where} (connection refused); check the proxy address and port.`,
      { cause: error },
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new TeleportSignInError(
      'unreachable',
      `The proxy host in ${where} could not be found; check the address and your DNS or VPN.`,
      { cause: error },
    );
  }
  const detail = code ?? (cause instanceof Error ? cause.message : undefined) ?? String(error);
  return new TeleportSignInError(
    'unreachable',
    `The Teleport proxy at ${where} could not be reached (${detail}); check the address and your network.`,
    { cause: error },
  );
}

async function readBounded(response: Response, where: string): Promise<string> {
  const reader = response.body?.getReader() as ReadableStreamDefaultReader<Uint8Array> | undefined;
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Bounded: we stop as soon as the size limit is passed.
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new TeleportSignInError(
        'not-teleport',
        `The server at ${where} sent more than 1 MiB where a Teleport proxy sends a few KiB; check the address.`,
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One request to the proxy's web API, with the network failures turned into plain errors. */
export async function proxyRequest(
  proxy: ProxyAddress,
  path: string,
  init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
  options: ProxyRequestOptions = {},
): Promise<ProxyResponse> {
  const where = hostPort(proxy);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signals = [AbortSignal.timeout(timeoutMs)];
  if (options.signal) signals.push(options.signal);
  const signal = AbortSignal.any(signals);
  const doFetch = options.fetch ?? fetch;
  const url = `${proxyBaseUrl(proxy, options.allowHttpForLoopback)}${path}`;
  const sentAt = Date.now();
  try {
    const response = await doFetch(url, { ...init, signal, redirect: 'manual' });
    const body = await readBounded(response, where);
    return {
      status: response.status,
      headers: response.headers,
      body,
      sentAt,
      receivedAt: Date.now(),
    };
  } catch (error) {
    if (error instanceof TeleportSignInError) throw error;
    if (options.signal?.aborted) {
      throw new TeleportSignInError('cancelled', CANCELLED_MESSAGE, { cause: error });
    }
    throw describeFailure(error, where, timeoutMs);
  }
}

/** Teleport's trace errors: `{"error":{"message":"…"}}`; older ones put `message` at the top. */
export function teleportErrorMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { error, message } = parsed as { error?: unknown; message?: unknown };
  if (typeof error === 'string' && error) return clip(error);
  if (typeof error === 'object' && error !== null) {
    const inner = (error as { message?: unknown }).message;
    if (typeof inner === 'string' && inner) return clip(inner);
  }
  if (typeof message === 'string' && message) return clip(message);
  return undefined;
}

/** Text from the network goes into UI messages: one line, bounded length. */
export function clip(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
