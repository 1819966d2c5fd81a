import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { OidcSignInError } from './errors';
import { startLoopbackRedirect } from './loopbackRedirect';

/** A raw GET with a chosen Host header (fetch does not allow setting it). */
function get(
  port: number,
  path: string,
  host = `127.0.0.1:${port}`,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function failure(promise: Promise<unknown>): Promise<OidcSignInError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OidcSignInError);
  return error as OidcSignInError;
}

describe('loopback redirect', () => {
  it('resolves with the callback URL once, answers with a close-this-tab page', async () => {
    const server = await startLoopbackRedirect({
      host: '127.0.0.1',
      path: '/cb',
      expectedState: 'st',
    });
    expect(server.redirectUri).toBe(`http://127.0.0.1:${server.port}/cb`);
    const waiting = server.waitForResult({ timeoutMs: 5000 });
    const answer = await get(server.port, '/cb?code=abc&state=st');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('You can close this tab');
    const url = await waiting;
    expect(url.searchParams.get('code')).toBe('abc');
    expect(url.href).toBe(`http://127.0.0.1:${server.port}/cb?code=abc&state=st`);
  });

  it('refuses foreign Host headers and other paths without settling', async () => {
    const server = await startLoopbackRedirect({
      host: 'localhost',
      path: '/callback',
      expectedState: 'st',
    });
    expect(server.redirectUri).toMatch(/^http:\/\/localhost:\d+\/callback$/);
    const waiting = server.waitForResult({ timeoutMs: 5000 });
    expect(
      (await get(server.port, '/callback?code=x&state=st', `evil.example:${server.port}`)).status,
    ).toBe(403);
    expect(
      (await get(server.port, '/other?code=x&state=st', `localhost:${server.port}`)).status,
    ).toBe(404);
    expect(
      (await get(server.port, '/callback?code=x&state=st', `localhost:${server.port}`)).status,
    ).toBe(200);
    expect((await waiting).searchParams.get('code')).toBe('x');
  });

  it('surfaces the IdP error plainly and escapes it in the page', async () => {
    const server = await startLoopbackRedirect({
      host: '127.0.0.1',
      path: '/callback',
      expectedState: 'st',
    });
    const waiting = failure(server.waitForResult({ timeoutMs: 5000 }));
    const answer = await get(
      server.port,
      '/callback?error=invalid_scope&error_description=%3Cb%3Eno%3C%2Fb%3E&state=st',
    );
    expect(answer.status).toBe(400);
    expect(answer.body).not.toContain('<b>');
    const error = await waiting;
    expect(error.code).toBe('denied');
    expect(error.message).toBe(
      'The identity provider refused the sign-in: invalid_scope (<b>no</b>).',
    );
  });

  it('ends on a state mismatch and a missing code', async () => {
    const a = await startLoopbackRedirect({
      host: '127.0.0.1',
      path: '/callback',
      expectedState: 'st',
    });
    const waitingA = failure(a.waitForResult({ timeoutMs: 5000 }));
    await get(a.port, '/callback?code=x&state=other');
    expect((await waitingA).code).toBe('state');

    const b = await startLoopbackRedirect({
      host: '127.0.0.1',
      path: '/callback',
      expectedState: 'st',
    });
    const waitingB = failure(b.waitForResult({ timeoutMs: 5000 }));
    await get(b.port, '/callback?state=st');
    expect((await waitingB).code).toBe('callback');
  });

  it('times out and cancels plainly, and stops listening', async () => {
    const slow = await startLoopbackRedirect({
      host: '127.0.0.1',
      path: '/callback',
      expectedState: 'st',
    });
    const timeout = await failure(slow.waitForResult({ timeoutMs: 50 }));
    expect(timeout.code).toBe('timeout');
    expect(timeout.message).toBe(
      'Nobody finished the sign-in in the browser within 50 ms; sign in again.',
    );
    await expect(get(slow.port, '/callback')).rejects.toThrow(/ECONNREFUSED/);

    const controller = new AbortController();
    const cancelled = await startLoopbackRedirect({
      host: '127.0.0.1',
      path: '/callback',
      expectedState: 'st',
    });
    const waiting = cancelled.waitForResult({ timeoutMs: 5000, signal: controller.signal });
    controller.abort();
    const error = await failure(waiting);
    expect(error.message).toBe('Sign-in cancelled.');
  });
});
