import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startCallbackServer, type CallbackServer } from './callbackServer';
import { TeleportSignInError } from './errors';
import { newSecretKey, seal } from './sealed';
import { loginResponseJson, SSH_CERT_LINE } from './testing/loginFixture';

const PROXY = 'https://jump.example.int:443';
const SUCCESS = `${PROXY}/web/msg/info/login_success`;
const ERROR_PAGE = `${PROXY}/web/msg/error/login`;

const servers: CallbackServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function start(): Promise<CallbackServer> {
  const server = await startCallbackServer({ proxyWebUrl: PROXY, maxBodyBytes: 64 * 1024 });
  servers.push(server);
  return server;
}

interface Answer {
  status: number;
  location?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Raw HTTP like a browser: no redirect following. */
function request(
  url: string,
  init: { method?: string; body?: string; contentType?: string; host?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: init.method ?? 'GET',
        headers: {
          ...(init.contentType ? { 'Content-Type': init.contentType } : {}),
          ...(init.host ? { Host: init.host } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** What the proxy does: seal with the secret from the redirect URL, replace the whole query. */
function callbackUrl(
  server: CallbackServer,
  plaintext = loginResponseJson(),
  key?: string,
): string {
  const secret = key ?? new URL(server.redirectUrl).searchParams.get('secret_key') ?? '';
  const url = new URL(server.redirectUrl);
  url.search = new URLSearchParams({ response: seal(plaintext, secret) }).toString();
  return url.toString();
}

async function rejection(promise: Promise<unknown>): Promise<TeleportSignInError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TeleportSignInError);
  return error as TeleportSignInError;
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const UNDECRYPTABLE =
  'The sign-in response could not be decrypted: it was altered on the way or sealed for another sign-in; sign in again.';

describe('callback server', () => {
  it('offers exactly the redirect URL ValidateClientRedirect accepts', async () => {
    const server = await start();
    expect(server.redirectUrl).toBe(
      `http://127.0.0.1:${server.port}/callback?secret_key=${server.secretKey}`,
    );
    expect(server.secretKey).toMatch(/^[0-9a-f]{64}$/);
    expect([...new URL(server.redirectUrl).searchParams.keys()]).toEqual(['secret_key']);
  });

  it('opens a good sealed response, sends the browser to login_success, and closes', async () => {
    const server = await start();
    const waiting = server.waitForResult();
    const answer = await request(callbackUrl(server));
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(SUCCESS);
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    const login = await waiting;
    expect(login.username).toBe('alice@example.com');
    expect(login.sshCertificate).toBe(SSH_CERT_LINE);
    expect(login.hostSigners[0]?.clusterName).toBe('example-cluster');
    expect(await connects(server.port)).toBe(false);
  });

  it('accepts the response as a POST form', async () => {
    const server = await start();
    const response = new URL(callbackUrl(server)).searchParams.get('response') ?? '';
    const answer = await request(`http://127.0.0.1:${server.port}/callback`, {
      method: 'POST',
      contentType: 'application/x-www-form-urlencoded',
      body: new URLSearchParams({ response }).toString(),
    });
    expect(answer.location).toBe(SUCCESS);
    expect((await server.waitForResult()).username).toBe('alice@example.com');
  });

  it('refuses an oversized POST body', async () => {
    const server = await start();
    const answer = await request(`http://127.0.0.1:${server.port}/callback`, {
      method: 'POST',
      contentType: 'application/x-www-form-urlencoded',
      body: `response=${'A'.repeat(70 * 1024)}`,
    });
    expect(answer.status).toBe(413);
    const error = await rejection(server.waitForResult());
    expect(error.message).toBe(
      'The browser sent a sign-in response larger than 64 KiB; sign in again.',
    );
  });

  it('refuses a tampered ciphertext', async () => {
    const server = await start();
    const url = new URL(callbackUrl(server));
    const box = JSON.parse(url.searchParams.get('response') ?? '') as Record<string, string>;
    const bytes = Buffer.from(box.ciphertext ?? '', 'base64');
    bytes[3] = (bytes[3] ?? 0) ^ 0x40;
    url.searchParams.set(
      'response',
      JSON.stringify({ ...box, ciphertext: bytes.toString('base64') }),
    );
    const answer = await request(url.toString());
    expect(answer.location).toBe(ERROR_PAGE);
    const error = await rejection(server.waitForResult());
    expect(error.code).toBe('callback');
    expect(error.message).toBe(UNDECRYPTABLE);
  });

  it('refuses a response sealed with another key', async () => {
    const server = await start();
    const answer = await request(callbackUrl(server, loginResponseJson(), newSecretKey()));
    expect(answer.location).toBe(ERROR_PAGE);
    expect((await rejection(server.waitForResult())).message).toBe(UNDECRYPTABLE);
  });

  it('surfaces err=, which wins over response', async () => {
    const server = await start();
    const url = new URL(callbackUrl(server));
    url.searchParams.set('err', 'user alice has no roles mapped');
    url.searchParams.set('secret_key', server.secretKey);
    const answer = await request(url.toString());
    expect(answer.location).toBe(ERROR_PAGE);
    const error = await rejection(server.waitForResult());
    expect(error.code).toBe('callback');
    expect(error.message).toBe('Teleport reported a sign-in error: user alice has no roles mapped');
  });

  it('refuses malformed JSON inside and outside the box', async () => {
    const outer = await start();
    await request(`http://127.0.0.1:${outer.port}/callback?response=%7Bnot-json`);
    expect((await rejection(outer.waitForResult())).message).toBe(
      'The sign-in response from the proxy is malformed (not the sealed JSON Teleport sends); sign in again.',
    );
    const inner = await start();
    await request(callbackUrl(inner, '{"username":'));
    expect((await rejection(inner.waitForResult())).message).toBe(
      'The sign-in response from the proxy is incomplete (not JSON); sign in again, and ask your administrators if it keeps failing.',
    );
  });

  it('answers OPTIONS with 200 and unknown paths with 404, without ending the sign-in', async () => {
    const server = await start();
    const options = await request(`http://127.0.0.1:${server.port}/callback`, {
      method: 'OPTIONS',
    });
    expect(options.status).toBe(200);
    expect(options.headers['access-control-allow-origin']).toBe('*');
    expect((await request(`http://127.0.0.1:${server.port}/favicon.ico`)).status).toBe(404);
    expect(
      (await request(`http://127.0.0.1:${server.port}/callback`, { method: 'PUT' })).status,
    ).toBe(405);
    const answer = await request(callbackUrl(server));
    expect(answer.location).toBe(SUCCESS);
    expect((await server.waitForResult()).username).toBe('alice@example.com');
  });

  it('ignores requests that name another host (DNS rebinding) without ending the sign-in', async () => {
    const server = await start();
    const rebound = await request(callbackUrl(server), { host: `evil.example:${server.port}` });
    expect(rebound.status).toBe(403);
    expect((await request(callbackUrl(server))).location).toBe(SUCCESS);
    expect((await server.waitForResult()).username).toBe('alice@example.com');
  });

  it('answers a second request with 410 and keeps the first result', async () => {
    const server = await start();
    expect((await request(callbackUrl(server))).location).toBe(SUCCESS);
    const second = await request(
      `http://127.0.0.1:${server.port}/callback?err=late&secret_key=${server.secretKey}`,
    );
    expect(second.status).toBe(410);
    expect(second.body).toBe('This sign-in has already finished; you can close this tab.\n');
    expect((await server.waitForResult()).username).toBe('alice@example.com');
    expect(await connects(server.port)).toBe(false);
  });

  it('gives up after the timeout with a plain message and closes', async () => {
    const server = await start();
    const error = await rejection(server.waitForResult({ timeoutMs: 150 }));
    expect(error.code).toBe('timeout');
    expect(error.message).toBe('No answer from the browser within 150 ms — sign-in cancelled.');
    expect(await connects(server.port)).toBe(false);
  });

  it('says "3 minutes" for the default timeout', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const server = await start();
      const waiting = rejection(server.waitForResult());
      await vi.advanceTimersByTimeAsync(180_000);
      await vi.advanceTimersByTimeAsync(2000); // the close grace timer
      const error = await waiting;
      expect(error.message).toBe(
        'No answer from the browser within 3 minutes — sign-in cancelled.',
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('is cancelled by an AbortSignal, also one aborted before waiting', async () => {
    const server = await start();
    const controller = new AbortController();
    const waiting = rejection(server.waitForResult({ signal: controller.signal }));
    controller.abort();
    const error = await waiting;
    expect(error.code).toBe('cancelled');
    expect(error.message).toBe('Sign-in cancelled.');
    expect(await connects(server.port)).toBe(false);

    const early = await start();
    const error2 = await rejection(early.waitForResult({ signal: AbortSignal.abort() }));
    expect(error2.message).toBe('Sign-in cancelled.');
    expect(await connects(early.port)).toBe(false);
  });
});
