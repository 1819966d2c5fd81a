/**
 * A one-shot HTTP server on a loopback address, the mechanism under both browser sign-ins (the
 * Teleport SSO callback and the OIDC RFC 8252 redirect): it waits for the browser to come back,
 * settles exactly one outcome, answers later requests with "already finished" and always closes.
 * The protocol modules keep their own parsing, messages, errors and HTTP answers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** After the result, slow browser connections get this long before they are cut. */
const CLOSE_GRACE_MS = 1000;

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error };

/** Writes one complete HTTP answer. */
export type Answer = (res: http.ServerResponse) => void;

/** The sign-in request's decision; `answer` is sent only if this request settled the sign-in. */
export interface Verdict<T> {
  outcome: Outcome<T>;
  answer: Answer;
}

/**
 * What a request that passed the Host check is: not the sign-in's (answered, keep waiting), or
 * the sign-in's, decided by `decide` unless another request already settled it.
 */
export type Route<T> = { answer: Answer } | { decide: () => Verdict<T> | Promise<Verdict<T>> };

export interface WaitOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface OneShotServerOptions<T> {
  /** Addresses to bind in order (port 0); the first that works is used. */
  bindHosts: readonly [string, ...string[]];
  /** Set on every answer, after `Connection: close` and `Cache-Control: no-store`. */
  headers?: Readonly<Record<string, string>>;
  route(req: http.IncomingMessage, port: number): Route<T>;
  /** The answer to a request whose Host header is not this listener. */
  forbidden: Answer;
  /** The answer to the sign-in's request once the sign-in has been settled. */
  finished: Answer;
  cancelledError(): Error;
  timeoutError(timeoutMs: number): Error;
  defaultTimeoutMs: number;
}

export interface OneShotServer<T> {
  port: number;
  /** The address from `bindHosts` that was bound. */
  boundHost: string;
  /** Resolves with the one outcome's value or rejects with its error; always closes the server. */
  waitForResult: (options?: WaitOptions) => Promise<T>;
  /** Stops listening (settles a pending wait as cancelled). Idempotent. */
  close: () => Promise<void>;
}

async function listen(server: http.Server, hosts: readonly string[]): Promise<string> {
  let failure: unknown;
  for (const host of hosts) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      return host;
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}

export async function startOneShotServer<T>(
  options: OneShotServerOptions<T>,
): Promise<OneShotServer<T>> {
  let outcome: Outcome<T> | undefined;
  let onOutcome: ((o: Outcome<T>) => void) | undefined;
  let closing: Promise<void> | undefined;
  let waiting = false;

  const settle = (o: Outcome<T>): boolean => {
    if (outcome) return false;
    outcome = o;
    onOutcome?.(o);
    return true;
  };

  const server = http.createServer((req, res) => {
    // The browser comes here once; nothing should reuse the connection or cache the answer.
    res.setHeader('Connection', 'close');
    res.setHeader('Cache-Control', 'no-store');
    for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
    const port = (server.address() as AddressInfo | null)?.port;
    // Only a request addressed to this loopback listener may end the sign-in; a page behind a
    // rebound DNS name (Host: evil.example) must not.
    const allowed = ['127.0.0.1', 'localhost', '[::1]'].map((h) => `${h}:${port}`);
    if (port === undefined || !allowed.includes(req.headers.host ?? '')) {
      return options.forbidden(res);
    }
    const route = options.route(req, port);
    if ('answer' in route) return route.answer(res);
    if (outcome) return options.finished(res);
    void (async () => {
      const verdict = await route.decide();
      (settle(verdict.outcome) ? verdict.answer : options.finished)(res);
    })().catch((error: unknown) => {
      // `decide` answers its own failures; reaching this is a bug, so fail rather than hang.
      settle({ ok: false, error: error instanceof Error ? error : new Error(String(error)) });
      res.destroy();
    });
  });

  const boundHost = await listen(server, options.bindHosts);
  const { port } = server.address() as AddressInfo;

  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
    });
    settle({ ok: false, error: options.cancelledError() });
    return closing;
  };

  const waitForResult = ({ timeoutMs = options.defaultTimeoutMs, signal }: WaitOptions = {}) => {
    if (waiting) return Promise.reject(new Error('waitForResult may be called only once.'));
    waiting = true;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => settle({ ok: false, error: options.cancelledError() });
      const timer = setTimeout(
        () => settle({ ok: false, error: options.timeoutError(timeoutMs) }),
        timeoutMs,
      );
      const finish = (o: Outcome<T>) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        void close().then(() => (o.ok ? resolve(o.value) : reject(o.error)));
      };
      if (outcome) return finish(outcome);
      onOutcome = finish;
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };

  return { port, boundHost, waitForResult, close };
}
