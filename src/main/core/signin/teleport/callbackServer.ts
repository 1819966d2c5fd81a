import type http from 'node:http';
import {
  startOneShotServer,
  type Outcome,
  type Verdict,
  type WaitOptions,
} from '../loopback/oneShotServer';
import { durationInWords } from './duration';
import { CANCELLED_MESSAGE, TeleportSignInError } from './errors';
import { clip } from './http';
import { parseLoginResponse, type TeleportLogin } from './loginResponse';
import { newSecretKey, open } from './sealed';

/** tsh waits this long for the browser (`defaults.SSOCallbackTimeout`). */
export const CALLBACK_TIMEOUT_MS = 180_000;
/** A sealed response with certificates for many clusters stays far below this. */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface CallbackServerOptions {
  /** `https://proxy:port`: the browser is sent back to its `/web/msg/…` pages. */
  proxyWebUrl: string;
  /** Bound on a POSTed body. */
  maxBodyBytes?: number;
}

export type { WaitOptions };

export interface CallbackServer {
  /** `http://127.0.0.1:<port>/callback?secret_key=<64 hex>`: exactly what ValidateClientRedirect accepts. */
  redirectUrl: string;
  /** Lowercase hex AES-256 key the proxy seals the response with. */
  secretKey: string;
  port: number;
  /** Resolves with the one login, or rejects with a TeleportSignInError; always closes the server. */
  waitForResult(options?: WaitOptions): Promise<TeleportLogin>;
  /** Stops listening (settles a pending wait as cancelled). Idempotent. */
  close(): Promise<void>;
}

const failure = (message: string): Outcome<TeleportLogin> => ({
  ok: false,
  error: new TeleportSignInError('callback', message),
});

/** `err` wins over `response`, as in tsh (`redirector.go:callback` checks `Has("err")` first). */
function outcomeOf(params: URLSearchParams, secretKey: string): Outcome<TeleportLogin> {
  if (params.has('err')) {
    const reason = clip(params.get('err') ?? '');
    const message = reason
      ? `Teleport reported a sign-in error: ${reason}`
      : 'Teleport reported a sign-in error without details; ask your administrators to check its log.';
    return failure(message);
  }
  const response = params.get('response');
  if (!response) return failure('The browser came back without a sign-in response; sign in again.');
  try {
    return { ok: true, value: parseLoginResponse(open(response, secretKey)) };
  } catch (error) {
    if (error instanceof TeleportSignInError) return { ok: false, error };
    throw error;
  }
}

function send(res: http.ServerResponse, status: number, text: string, headers = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(`${text}\n`);
}

/** Reads a form body up to `max` bytes; undefined when it is larger. */
function readBody(req: http.IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume(); // drain without keeping it
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts the loopback server the proxy sends the browser back to (teleport-sso.md §2). */
export async function startCallbackServer(options: CallbackServerOptions): Promise<CallbackServer> {
  const secretKey = newSecretKey();
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const base = options.proxyWebUrl.replace(/\/+$/, '');

  const decide = async (req: http.IncomingMessage, url: URL): Promise<Verdict<TeleportLogin>> => {
    try {
      let params = url.searchParams;
      if (req.method === 'POST') {
        const body = await readBody(req, maxBody);
        if (body === undefined) {
          return {
            outcome: failure(
              `The browser sent a sign-in response larger than ${Math.round(maxBody / 1024)} KiB; sign in again.`,
            ),
            answer: (res) => send(res, 413, 'Sign-in response too large.'),
          };
        }
        // Go's r.Form: body values first, then the query.
        const form = req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')
          ? new URLSearchParams(body)
          : new URLSearchParams();
        for (const [key, value] of url.searchParams) form.append(key, value);
        params = form;
      }
      const outcome = outcomeOf(params, secretKey);
      const page = outcome.ok ? '/web/msg/info/login_success' : '/web/msg/error/login';
      return {
        outcome,
        answer: (res) => send(res, 302, 'Redirecting.', { Location: `${base}${page}` }),
      };
    } catch {
      return {
        outcome: failure('The browser connection failed during sign-in; sign in again.'),
        answer: (res) => send(res, 500, 'Sign-in failed.'),
      };
    }
  };

  const server = await startOneShotServer<TeleportLogin>({
    // tsh binds 127.0.0.1 and falls back to [::1] (httptest.NewServer); both pass ValidateClientRedirect.
    bindHosts: ['127.0.0.1', '::1'],
    headers: { 'Access-Control-Allow-Origin': '*' }, // as tsh's wrapCallback
    forbidden: (res) => send(res, 403, 'Forbidden.'),
    finished: (res) => send(res, 410, 'This sign-in has already finished; you can close this tab.'),
    route: (req) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/callback') return { answer: (res) => send(res, 404, 'Not found.') };
      if (req.method === 'OPTIONS') return { answer: (res) => send(res, 200, 'OK') };
      if (req.method !== 'GET' && req.method !== 'POST') {
        return {
          answer: (res) => send(res, 405, 'Method not allowed.', { Allow: 'GET, POST, OPTIONS' }),
        };
      }
      return { decide: () => decide(req, url) };
    },
    cancelledError: () => new TeleportSignInError('cancelled', CANCELLED_MESSAGE),
    timeoutError: (timeoutMs) =>
      new TeleportSignInError(
        'timeout',
        `No answer from the browser within ${durationInWords(timeoutMs)} — sign-in cancelled.`,
      ),
    defaultTimeoutMs: CALLBACK_TIMEOUT_MS,
  });
  const host = server.boundHost === '::1' ? '[::1]' : server.boundHost;
  const { port, waitForResult, close } = server;

  return {
    redirectUrl: `http://${host}:${port}/callback?secret_key=${secretKey}`,
    secretKey,
    port,
    waitForResult,
    close,
  };
}
