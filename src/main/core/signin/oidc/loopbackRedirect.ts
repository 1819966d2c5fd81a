/**
 * The RFC 8252 loopback redirect for the OIDC sign-in: a one-shot HTTP server on a random port of
 * the loopback address the site names, waiting for the browser to come back from the identity
 * provider with `?code=…&state=…` (or `?error=…`).
 *
 * One result only: the first request to the redirect path settles the sign-in (success or error)
 * and later ones get "already finished". The state is checked here, before anything is
 * exchanged; a wrong state ends the sign-in rather than waiting on, because the port is new for
 * every sign-in, so only a stale or forged request can carry one.
 */
import type http from 'node:http';
import {
  startOneShotServer,
  type Outcome,
  type Verdict,
  type WaitOptions,
} from '../loopback/oneShotServer';
import { durationInWords } from '../teleport/duration';
import { cancelled, clip, OidcSignInError } from './errors';

/** How long the browser gets, as tsh's SSO callback timeout. */
export const REDIRECT_TIMEOUT_MS = 180_000;

export type RedirectHost = '127.0.0.1' | 'localhost' | '[::1]';

export interface LoopbackRedirectOptions {
  host: RedirectHost;
  /** Path of the redirect URI, e.g. `/callback`. */
  path: string;
  /** The `state` sent in the authorization request. */
  expectedState: string;
}

export type { WaitOptions };

export interface LoopbackRedirect {
  /** `http://<host>:<port><path>`: the redirect_uri to send. */
  redirectUri: string;
  port: number;
  /**
   * Resolves with the full callback URL (for openid-client's authorizationCodeGrant) once the
   * browser returned with a code and the right state; rejects with an OidcSignInError otherwise.
   * Always closes the server.
   */
  waitForResult(options?: WaitOptions): Promise<URL>;
  /** Stops listening; a pending wait settles as cancelled. Idempotent. */
  close(): Promise<void>;
}

function outcomeOf(url: URL, expectedState: string): Outcome<URL> {
  const params = url.searchParams;
  const error = params.get('error');
  if (error !== null) {
    const description = clip(params.get('error_description') ?? '');
    if (error === 'access_denied') {
      return {
        ok: false,
        error: new OidcSignInError(
          'denied',
          `Sign-in was cancelled or refused at the identity provider${description ? ` (${description})` : ''}; sign in again to retry.`,
        ),
      };
    }
    return {
      ok: false,
      error: new OidcSignInError(
        'denied',
        `The identity provider refused the sign-in: ${clip(error, 100)}${description ? ` (${description})` : ''}.`,
      ),
    };
  }
  if (params.get('state') !== expectedState) {
    return {
      ok: false,
      error: new OidcSignInError(
        'state',
        'The browser came back with a sign-in response that does not belong to this sign-in (state mismatch); sign in again.',
      ),
    };
  }
  if (!params.get('code')) {
    return {
      ok: false,
      error: new OidcSignInError(
        'callback',
        'The browser came back from the identity provider without an authorization code; sign in again.',
      ),
    };
  }
  return { ok: true, value: url };
}

function verdictOf(url: URL, expectedState: string): Verdict<URL> {
  const outcome = outcomeOf(url, expectedState);
  return {
    outcome,
    answer: (res) =>
      outcome.ok
        ? page(res, 200, 'Signed in', 'You can close this tab and return to OneHop.')
        : page(res, 400, 'Sign-in failed', `${outcome.error.message} You can close this tab.`),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(res: http.ServerResponse, status: number, title: string, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'",
    'Referrer-Policy': 'no-referrer',
  });
  res.end(
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
      `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>\n`,
  );
}

function bindAddress(host: RedirectHost): string {
  // `localhost` is bound on IPv4: browsers fall back to 127.0.0.1 when ::1 refuses.
  return host === '[::1]' ? '::1' : '127.0.0.1';
}

export async function startLoopbackRedirect(
  options: LoopbackRedirectOptions,
): Promise<LoopbackRedirect> {
  const server = await startOneShotServer<URL>({
    bindHosts: [bindAddress(options.host)],
    forbidden: (res) =>
      page(res, 403, 'Forbidden', 'This address only accepts the sign-in redirect.'),
    finished: (res) => page(res, 410, 'Sign-in already finished', 'You can close this tab.'),
    route: (req, port) => {
      const url = new URL(req.url ?? '/', `http://${options.host}:${port}`);
      if (url.pathname !== options.path) {
        return { answer: (res) => page(res, 404, 'Not found', 'Nothing here.') };
      }
      if (req.method !== 'GET') {
        return {
          answer: (res) => {
            res.setHeader('Allow', 'GET');
            page(res, 405, 'Method not allowed', 'The sign-in redirect is a GET request.');
          },
        };
      }
      return { decide: () => verdictOf(url, options.expectedState) };
    },
    cancelledError: cancelled,
    timeoutError: (timeoutMs) =>
      new OidcSignInError(
        'timeout',
        `Nobody finished the sign-in in the browser within ${durationInWords(timeoutMs)}; sign in again.`,
      ),
    defaultTimeoutMs: REDIRECT_TIMEOUT_MS,
  });
  return {
    redirectUri: `http://${options.host}:${server.port}${options.path}`,
    port: server.port,
    waitForResult: server.waitForResult,
    close: server.close,
  };
}
