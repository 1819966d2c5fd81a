import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visit, metaRefreshTarget, singlePostForm } from './browserStandIn';
import { nativeClient, startIdp, webClient, type Idp } from './idp';

const execFileAsync = promisify(execFile);

interface Callback {
  url: string;
  received: URLSearchParams[];
  close(): Promise<void>;
}

/** A loopback /callback that records what arrives (GET query or POSTed form). */
async function callbackServer(): Promise<Callback> {
  const received: URLSearchParams[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      for (const [k, v] of url.searchParams) params.append(k, v);
      received.push(params);
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<p>You can close this tab.</p>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('test IdP and browser stand-in', () => {
  let idp: Idp;
  let cb: Callback;

  beforeAll(async () => {
    idp = await startIdp({
      users: [
        { sub: 'alice', email: 'alice@example.org', name: 'Alice', preferredUsername: 'alice' },
        { sub: 'bob', email: 'bob@example.org', name: 'Bob' },
      ],
      clients: [nativeClient('onehop-test')],
    });
    cb = await callbackServer();
  });
  afterAll(async () => {
    await cb.close();
    await idp.close();
  });

  function authUrl(extra: Record<string, string>, challenge: string): string {
    const url = new URL('/auth', idp.issuer);
    url.search = new URLSearchParams({
      client_id: 'onehop-test',
      response_type: 'code',
      redirect_uri: cb.url,
      scope: 'openid email profile',
      state: 'st-1',
      nonce: 'n-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    }).toString();
    return url.href;
  }

  async function redeem(code: string, verifier: string): Promise<Record<string, unknown>> {
    const res = await fetch(new URL('/token', idp.issuer), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: cb.url,
        client_id: 'onehop-test',
        code_verifier: verifier,
      }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  }

  it('logs in without forms, delivers the code to a loopback port, issues a refresh token', async () => {
    const { verifier, challenge } = pkce();
    const before = idp.logins;
    const result = await visit(
      authUrl({ scope: 'openid email profile offline_access', prompt: 'consent' }, challenge),
      { timeoutMs: 10_000 },
    );
    expect(result.reachedCallback).toBe(true);
    expect(result.status).toBe(200);
    expect(result.visited[0]).toContain('/auth');
    expect(idp.logins).toBe(before + 1);
    const params = cb.received.at(-1);
    expect(params?.get('state')).toBe('st-1');
    const tokens = await redeem(params?.get('code') ?? '', verifier);
    expect(typeof tokens.refresh_token).toBe('string');
    const claims = decodeJwt(String(tokens.id_token));
    expect(claims).toMatchObject({
      iss: idp.issuer,
      aud: 'onehop-test',
      sub: 'alice',
      email: 'alice@example.org',
      preferred_username: 'alice',
      nonce: 'n-1',
    });
  });

  it('picks the user from login_hint and issues no refresh token without offline_access', async () => {
    const { verifier, challenge } = pkce();
    const result = await visit(authUrl({ login_hint: 'bob@example.org' }, challenge));
    expect(result.reachedCallback).toBe(true);
    const tokens = await redeem(cb.received.at(-1)?.get('code') ?? '', verifier);
    expect(tokens.refresh_token).toBeUndefined();
    expect(decodeJwt(String(tokens.id_token)).email).toBe('bob@example.org');
  });

  it('denyNext makes the next login end with an OAuth error at the callback', async () => {
    idp.denyNext('access_denied', 'No thanks.');
    const result = await visit(authUrl({}, pkce().challenge));
    expect(result.reachedCallback).toBe(true);
    expect(cb.received.at(-1)?.get('error')).toBe('access_denied');
    expect(cb.received.at(-1)?.get('error_description')).toBe('No thanks.');
    // Only the next one.
    await visit(authUrl({}, pkce().challenge));
    expect(cb.received.at(-1)?.get('code')).toBeTruthy();
  });

  it('submits response_mode=form_post pages', async () => {
    const result = await visit(authUrl({ response_mode: 'form_post' }, pkce().challenge));
    expect(result.reachedCallback).toBe(true);
    expect(cb.received.at(-1)?.get('code')).toBeTruthy();
    expect(cb.received.at(-1)?.get('state')).toBe('st-1');
  });

  it('registers confidential web clients at runtime', async () => {
    await idp.registerClient(webClient('web-rp', 'web-secret', [cb.url]));
    const url = new URL('/auth', idp.issuer);
    url.search = new URLSearchParams({
      client_id: 'web-rp',
      response_type: 'code',
      redirect_uri: cb.url,
      scope: 'openid email',
      state: 'w',
    }).toString();
    await visit(url.href);
    const code = cb.received.at(-1)?.get('code') ?? '';
    const res = await fetch(new URL('/token', idp.issuer), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from('web-rp:web-secret').toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: cb.url }),
    });
    expect(res.status).toBe(200);
  });

  it('refuses non-loopback URLs, also as a redirect target', async () => {
    await expect(visit('https://example.org/')).rejects.toThrow(/non-loopback/);
    const server = http.createServer((_req, res) => {
      res.writeHead(302, { Location: 'http://192.0.2.1/x' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await expect(visit(`http://127.0.0.1:${port}/`)).rejects.toThrow(/non-loopback/);
    server.close();
  });

  it('follows meta refreshes and bounds redirect loops', async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/loop') return res.writeHead(302, { Location: '/loop' }).end();
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(
        `<html><head><meta http-equiv="refresh" content="0;URL='${cb.url}?a=1&amp;b=2'" /></head></html>`,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const result = await visit(`http://127.0.0.1:${port}/meta`);
    expect(result.reachedCallback).toBe(true);
    expect(cb.received.at(-1)?.get('b')).toBe('2');
    await expect(visit(`http://127.0.0.1:${port}/loop`, { maxRedirects: 3 })).rejects.toThrow(
      /Too many redirects/,
    );
    server.close();
  });

  it('parses meta refresh and single post forms', () => {
    expect(metaRefreshTarget('<meta content="0; url=/next" http-equiv="Refresh">')).toBe('/next');
    expect(metaRefreshTarget('<p>nothing</p>')).toBeUndefined();
    const form = singlePostForm(
      '<form method="post" action="/cb"><input type="hidden" name="code" value="a&amp;b"/><button type="submit">Go</button></form>',
    );
    expect(form).toEqual({ action: '/cb', fields: [['code', 'a&b']] });
    expect(singlePostForm('<form method="get"></form>')).toBeUndefined();
  });

  it('the BROWSER wrapper exits 0 on success and 1 with one line otherwise', async () => {
    const script = new URL('./browser-stand-in.mjs', import.meta.url).pathname;
    await execFileAsync(process.execPath, [script, authUrl({}, pkce().challenge)], {
      timeout: 20_000,
    });
    expect(cb.received.at(-1)?.get('code')).toBeTruthy();
    const failed = await execFileAsync(process.execPath, [script, 'https://example.org/'], {
      timeout: 20_000,
    }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr.trim().split('\n')).toHaveLength(1);
    expect((failed as { stderr: string }).stderr).toMatch(/non-loopback/);
  });
});
