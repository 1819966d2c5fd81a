import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { durationInWords } from './duration';
import { CANCELLED_MESSAGE, TeleportSignInError } from './errors';
import { clip } from './http';
import { parseLoginResponse, type TeleportLogin } from './loginResponse';
import { newSecretKey, open } from './sealed';

/** tsh waits this long for the browser (`defaults.SSOCallbackTimeout`). */
export const CALLBACK_TIMEOUT_MS = 180_000;
/** A sealed response with certificates for many clusters stays far below this. */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** After the result, slow browser connections get this long before they are cut. */
const CLOSE_GRACE_MS = 1000;

export interface CallbackServerOptions {
  /** `https://proxy:port`: the browser is sent back to its `/web/msg/…` pages. */
  proxyWebUrl: string;
  /** Bound on a POSTed body. */
  maxBodyBytes?: number;
}

export interface WaitOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

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

type Outcome = { ok: true; login: TeleportLogin } | { ok: false; error: TeleportSignInError };

/** `err` wins over `response`, as in tsh (`redirector.go:callback` checks `Has("err")` first). */
function outcomeOf(params: URLSearchParams, secretKey: string): Outcome {
  if (params.has('err')) {
    const reason = clip(params.get('err') ?? '');
    const message = reason
      ? `Teleport reported a sign-in error: ${reason}`
      : 'Teleport reported a sign-in error without details; ask your administrators to check its log.';
    return { ok: false, error: new TeleportSignInError('callback', message) };
  }
  const response = params.get('response');
  if (!response) {
    return {
      ok: false,
      error: new TeleportSignInError(
        'callback',
        'The browser came back without a sign-in response; sign in again.',
      ),
    };
  }
  try {
    return { ok: true, login: parseLoginResponse(open(response, secretKey)) };
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

function listen(server: http.Server): Promise<string> {
  const attempt = (host: string) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  // tsh binds 127.0.0.1 and falls back to [::1] (httptest.NewServer); both pass ValidateClientRedirect.
  return attempt('127.0.0.1').then(
    () => '127.0.0.1',
    () => attempt('::1').then(() => '[::1]'),
  );
}

function isLoopbackHost(hostHeader: string | undefined, server: http.Server): boolean {
  const port = (server.address() as { port: number } | null)?.port;
  return (
    port !== undefined &&
    [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(hostHeader ?? '')
  );
}

/** Starts the loopback server the proxy sends the browser back to (teleport-sso.md §2). */
export async function startCallbackServer(options: CallbackServerOptions): Promise<CallbackServer> {
  const secretKey = newSecretKey();
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const base = options.proxyWebUrl.replace(/\/+$/, '');
  let outcome: Outcome | undefined;
  let onOutcome: ((o: Outcome) => void) | undefined;
  let closing: Promise<void> | undefined;
  let waiting = false;

  const settle = (o: Outcome): boolean => {
    if (outcome) return false;
    outcome = o;
    onOutcome?.(o);
    return true;
  };

  const server = http.createServer((req, res) => {
    // The browser follows a redirect here once; nothing should reuse the connection.
    res.setHeader('Connection', 'close');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Access-Control-Allow-Origin', '*'); // as tsh's wrapCallback
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // Only the browser coming back to this exact loopback address may end the sign-in; a page
    // behind a rebound DNS name (Host: evil.example) could otherwise abort it with a bad answer.
    if (!isLoopbackHost(req.headers.host, server)) return send(res, 403, 'Forbidden.');
    if (url.pathname !== '/callback') return send(res, 404, 'Not found.');
    if (req.method === 'OPTIONS') return send(res, 200, 'OK');
    if (req.method !== 'GET' && req.method !== 'POST') {
      return send(res, 405, 'Method not allowed.', { Allow: 'GET, POST, OPTIONS' });
    }
    const finished = () =>
      send(res, 410, 'This sign-in has already finished; you can close this tab.');
    if (outcome) return finished();
    void (async () => {
      let params = url.searchParams;
      if (req.method === 'POST') {
        const body = await readBody(req, maxBody);
        if (outcome) return finished();
        if (body === undefined) {
          settle({
            ok: false,
            error: new TeleportSignInError(
              'callback',
              `The browser sent a sign-in response larger than ${Math.round(maxBody / 1024)} KiB; sign in again.`,
            ),
          });
          return send(res, 413, 'Sign-in response too large.');
        }
        // Go's r.Form: body values first, then the query.
        const form = req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')
          ? new URLSearchParams(body)
          : new URLSearchParams();
        for (const [key, value] of url.searchParams) form.append(key, value);
        params = form;
      }
      const result = outcomeOf(params, secretKey);
      if (!settle(result)) return finished();
      const page = result.ok ? '/web/msg/info/login_success' : '/web/msg/error/login';
      send(res, 302, 'Redirecting.', { Location: `${base}${page}` });
    })().catch(() => {
      settle({
        ok: false,
        error: new TeleportSignInError(
          'callback',
          'The browser connection failed during sign-in; sign in again.',
        ),
      });
      if (!res.headersSent) send(res, 500, 'Sign-in failed.');
    });
  });

  const host = await listen(server);
  const { port } = server.address() as AddressInfo;

  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
    });
    settle({ ok: false, error: new TeleportSignInError('cancelled', CANCELLED_MESSAGE) });
    return closing;
  };

  const waitForResult = ({ timeoutMs = CALLBACK_TIMEOUT_MS, signal }: WaitOptions = {}) => {
    if (waiting) return Promise.reject(new Error('waitForResult may be called only once.'));
    waiting = true;
    return new Promise<TeleportLogin>((resolve, reject) => {
      const onAbort = () =>
        settle({ ok: false, error: new TeleportSignInError('cancelled', CANCELLED_MESSAGE) });
      const timer = setTimeout(() => {
        settle({
          ok: false,
          error: new TeleportSignInError(
            'timeout',
            `No answer from the browser within ${durationInWords(timeoutMs)} — sign-in cancelled.`,
          ),
        });
      }, timeoutMs);
      const finish = (o: Outcome) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        void close().then(() => (o.ok ? resolve(o.login) : reject(o.error)));
      };
      if (outcome) return finish(outcome);
      onOutcome = finish;
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };

  return {
    redirectUrl: `http://${host}:${port}/callback?secret_key=${secretKey}`,
    secretKey,
    port,
    waitForResult,
    close,
  };
}
