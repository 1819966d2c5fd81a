import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requireTool } from '../../../../../test/support/tools';
import { TeleportSignInError } from './errors';
import { proxyBaseUrl } from './http';
import { fetchPing } from './ping';
import { startFakeProxy, type FakeProxy } from './testing/fakeProxy';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function fake(options: Parameters<typeof startFakeProxy>[0]): Promise<FakeProxy> {
  const proxy = await startFakeProxy(options);
  cleanups.push(() => proxy.close());
  return proxy;
}

const local = (port: number) => ({ host: '127.0.0.1', webPort: port });

async function failure(promise: Promise<unknown>): Promise<TeleportSignInError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TeleportSignInError);
  return error as TeleportSignInError;
}

/** A server that accepts connections and never answers. */
async function silentServer(): Promise<number> {
  const server = http.createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return (server.address() as AddressInfo).port;
}

describe('fetchPing', () => {
  it('parses a v16-style ping', async () => {
    const proxy = await fake({ style: 'v16' });
    const { ping } = await fetchPing(local(proxy.port), { allowHttpForLoopback: true });
    expect(proxy.pings).toEqual(['/webapi/ping']);
    expect(ping).toEqual({
      authType: 'oidc',
      connectors: { oidc: { name: 'keycloak', display: 'Keycloak' } },
      privateKeyPolicy: 'none',
      defaultSessionTtlMs: 12 * 3_600_000,
      signatureAlgorithmSuite: undefined,
      proxySsh: {
        publicAddr: 'jump.example.int:443',
        sshPublicAddr: 'jump.example.int:3023',
        listenAddr: '0.0.0.0:3023',
        webListenAddr: '0.0.0.0:3080',
      },
      tlsRoutingEnabled: false,
      serverVersion: '16.4.7',
      minClientVersion: '15.0.0',
      clusterName: 'example-cluster',
    });
  });

  it('parses a v17-style ping with its suite, and asks /webapi/ping/<connector> when named', async () => {
    const proxy = await fake({ style: 'v17', authType: 'saml', connectorName: 'corp sso' });
    const { ping } = await fetchPing(local(proxy.port), {
      allowHttpForLoopback: true,
      connector: 'corp sso',
    });
    expect(proxy.pings).toEqual(['/webapi/ping/corp%20sso']);
    expect(ping.authType).toBe('saml');
    expect(ping.connectors.saml).toEqual({ name: 'corp sso', display: 'Keycloak' });
    expect(ping.signatureAlgorithmSuite).toBe('balanced-v1');
    expect(ping.serverVersion).toBe('17.1.2');
  });

  it('reports the clock skew from the Date header', async () => {
    const ahead = await fake({ style: 'v17', clockOffsetMs: 5 * 60_000 });
    const { clockSkewMs } = await fetchPing(local(ahead.port), { allowHttpForLoopback: true });
    // Date has whole seconds: the skew is exact to about one second.
    expect(clockSkewMs).toBeGreaterThan(5 * 60_000 - 1500);
    expect(clockSkewMs).toBeLessThan(5 * 60_000 + 1500);

    const behind = await fake({ style: 'v16', clockOffsetMs: -3 * 60_000 });
    const second = await fetchPing(local(behind.port), { allowHttpForLoopback: true });
    expect(second.clockSkewMs).toBeLessThan(-3 * 60_000 + 1500);
    expect(second.clockSkewMs).toBeGreaterThan(-3 * 60_000 - 1500);
  });

  it('tolerates a proxy without a usable default_session_ttl or suite', async () => {
    const proxy = await fake({ style: 'v17', defaultSessionTtl: 'forever', suite: '' });
    const { ping } = await fetchPing(local(proxy.port), { allowHttpForLoopback: true });
    expect(ping.defaultSessionTtlMs).toBeUndefined();
    expect(ping.signatureAlgorithmSuite).toBeUndefined();
  });

  it('uses https unless the host is loopback and http is allowed', async () => {
    const urls: string[] = [];
    const spy: typeof fetch = (input) => {
      urls.push(input instanceof Request ? input.url : input.toString());
      return Promise.reject(new Error('stop'));
    };
    for (const [host, allow] of [
      ['127.0.0.1', false],
      ['127.0.0.1', true],
      ['::1', true],
      ['proxy.example.org', true],
      ['localhost', true],
    ] as const) {
      await failure(fetchPing({ host, webPort: 443 }, { fetch: spy, allowHttpForLoopback: allow }));
    }
    expect(urls).toEqual([
      'https://127.0.0.1:443/webapi/ping',
      'http://127.0.0.1:443/webapi/ping',
      'http://[::1]:443/webapi/ping',
      'https://proxy.example.org:443/webapi/ping',
      'https://localhost:443/webapi/ping',
    ]);
    expect(proxyBaseUrl({ host: '[::1]', webPort: 3080 })).toBe('https://[::1]:3080');
  });
});

describe('fetchPing errors', () => {
  it('names host:port when nothing listens', async () => {
    // A port that was just free: listen, note it, close.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await failure(fetchPing(local(port), { allowHttpForLoopback: true }));
    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(
      `Nothing is listening at 127.0.0.1:${port} (connection refused); check the proxy address and port.`,
    );
  });

  it('says when the host is unknown', async () => {
    const notFound: typeof fetch = () =>
      Promise.reject(
        new TypeError('fetch failed', {
          cause: Object.assign(new Error('getaddrinfo ENOTFOUND nope.invalid'), {
            code: 'ENOTFOUND',
          }),
        }),
      );
    const error = await failure(
      fetchPing({ host: 'nope.invalid', webPort: 443 }, { fetch: notFound }),
    );
    expect(error.message).toBe(
      'The proxy host in nope.invalid:443 could not be found; check the address and your DNS or VPN.',
    );
  });

  it('gives up after the timeout', async () => {
    const port = await silentServer();
    const error = await failure(
      fetchPing(local(port), { allowHttpForLoopback: true, timeoutMs: 200 }),
    );
    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(
      `The Teleport proxy at 127.0.0.1:${port} did not answer within 200 ms; check the address and your network.`,
    );
  });

  it('is cancelled by the signal', async () => {
    const port = await silentServer();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(
      fetchPing(local(port), { allowHttpForLoopback: true, signal: controller.signal }),
    );
    expect(error.code).toBe('cancelled');
    expect(error.message).toBe('Sign-in cancelled.');
  });

  it('refuses a server that is not Teleport', async () => {
    const html = await fake({ style: 'v16', rawPing: '<html>Welcome to nginx</html>' });
    const error = await failure(fetchPing(local(html.port), { allowHttpForLoopback: true }));
    expect(error.code).toBe('not-teleport');
    expect(error.message).toBe(
      `The server at 127.0.0.1:${html.port} is not a Teleport proxy (its /webapi/ping answer is not JSON); check the address and port.`,
    );

    const other = await fake({ style: 'v16', rawPing: '{"status":"ok"}' });
    const second = await failure(fetchPing(local(other.port), { allowHttpForLoopback: true }));
    expect(second.message).toBe(
      `The server at 127.0.0.1:${other.port} is not a Teleport proxy (its /webapi/ping answer lacks "auth"); check the address and port.`,
    );
  });

  it("shows Teleport's error message for HTTP errors", async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"error":{"message":"connector \\"nope\\" not found"}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;
    const error = await failure(
      fetchPing(local(port), { allowHttpForLoopback: true, connector: 'nope' }),
    );
    expect(error.code).toBe('http');
    expect(error.message).toBe(
      `The Teleport proxy at 127.0.0.1:${port} refused discovery for connector "nope" (HTTP 404): connector "nope" not found`,
    );
  });

  it('says a plain 404 page is not Teleport', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(404);
      res.end('Not Found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as AddressInfo).port;
    const error = await failure(fetchPing(local(port), { allowHttpForLoopback: true }));
    expect(error.message).toBe(
      `The server at 127.0.0.1:${port} is not a Teleport proxy (HTTP 404 for /webapi/ping); check the address and port.`,
    );
  });

  const openssl = requireTool('openssl');
  it.skipIf(openssl.skip)(
    `points at NODE_EXTRA_CA_CERTS for an untrusted certificate${openssl.marker}`,
    async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-tls-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      execFileSync(
        openssl.paths.openssl ?? 'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          path.join(dir, 'key.pem'),
          '-out',
          path.join(dir, 'cert.pem'),
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      const server = https.createServer(
        {
          key: readFileSync(path.join(dir, 'key.pem')),
          cert: readFileSync(path.join(dir, 'cert.pem')),
        },
        (_req, res) => res.end('{}'),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      cleanups.push(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      );
      const port = (server.address() as AddressInfo).port;
      const error = await failure(fetchPing(local(port)));
      expect(error.code).toBe('tls');
      expect(error.message).toBe(
        `The TLS certificate of 127.0.0.1:${port} is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT); if your site uses its own certificate authority, point NODE_EXTRA_CA_CERTS at its PEM file.`,
      );
    },
  );
});
