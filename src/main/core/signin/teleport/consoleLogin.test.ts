import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildConsoleRequest, startConsoleLogin } from './consoleLogin';
import { TeleportSignInError } from './errors';
import { buildLoginPlan, type LoginPlan } from './loginPlan';
import { fetchPing } from './ping';
import { IDP_URL, startFakeProxy, type FakeProxyOptions } from './testing/fakeProxy';
import { testKey, type TestKey } from './testing/keys';

const REDIRECT = `http://127.0.0.1:53124/callback?secret_key=${'3f'.repeat(32)}`;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

let rsa: TestKey;
let ed: TestKey;
let ec: TestKey;
beforeAll(() => {
  rsa = testKey('rsa-2048');
  ed = testKey('ed25519');
  ec = testKey('ecdsa-p256');
});

async function setUp(options: FakeProxyOptions) {
  const fake = await startFakeProxy(options);
  cleanups.push(() => fake.close());
  const proxy = { host: '127.0.0.1', webPort: fake.port };
  const { ping } = await fetchPing(proxy, { allowHttpForLoopback: true });
  return { fake, proxy, plan: buildLoginPlan(ping) };
}

const unb64 = (value: unknown) => Buffer.from(String(value), 'base64').toString('utf8');
const bare = (line: string) => `${line.split(' ').slice(0, 2).join(' ')}\n`;

async function failure(promise: Promise<unknown>): Promise<TeleportSignInError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TeleportSignInError);
  return error as TeleportSignInError;
}

describe('startConsoleLogin', () => {
  it('sends the v16 body: public_key only, JSON, ns TTL', async () => {
    const { fake, proxy, plan } = await setUp({ style: 'v16' });
    const result = await startConsoleLogin(proxy, plan, { sshPublicKey: rsa.sshLine }, REDIRECT, {
      allowHttpForLoopback: true,
    });
    expect(result).toEqual({ redirectUrl: IDP_URL });
    const [call] = fake.consoleCalls;
    expect(call?.contentType).toBe('application/json');
    expect(call?.body).toEqual({
      redirect_url: REDIRECT,
      cert_ttl: 43_200_000_000_000,
      connector_id: 'keycloak',
      public_key: expect.any(String) as unknown,
    });
    // Standard base64 of the authorized_keys line as Go marshals it (no comment, newline).
    expect(unb64(call?.body.public_key)).toBe(bare(rsa.sshLine));
  });

  it('sends the v17 body: ssh_pub_key + tls_pub_key (PEM) + PKCE verifier, never public_key', async () => {
    const { fake, proxy, plan } = await setUp({ style: 'v17' });
    expect(plan.keys).toMatchObject({ ssh: 'ed25519', tls: 'ecdsa-p256' });
    await startConsoleLogin(
      proxy,
      plan,
      { sshPublicKey: Buffer.from(ed.sshLine), tlsPublicKeyPem: ec.pem },
      REDIRECT,
      { allowHttpForLoopback: true },
    );
    const body = fake.consoleCalls[0]?.body ?? {};
    expect(Object.keys(body).sort()).toEqual(
      [
        'PKCEVerifier',
        'cert_ttl',
        'connector_id',
        'pkce_verifier',
        'redirect_url',
        'ssh_pub_key',
        'tls_pub_key',
      ].sort(),
    );
    expect(unb64(body.ssh_pub_key)).toBe(bare(ed.sshLine));
    expect(unb64(body.tls_pub_key)).toBe(ec.pem);
    expect(body.pkce_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.PKCEVerifier).toBe(body.pkce_verifier);
  });

  it('uses one RSA key for both on a v17 legacy-suite cluster', async () => {
    const { fake, proxy, plan } = await setUp({ style: 'v17', suite: 'legacy' });
    await startConsoleLogin(
      proxy,
      plan,
      { sshPublicKey: rsa.sshLine, tlsPublicKeyPem: rsa.pem },
      REDIRECT,
      { allowHttpForLoopback: true },
    );
    expect(unb64(fake.consoleCalls[0]?.body.tls_pub_key)).toBe(rsa.pem);
  });

  it('refuses keys that do not match the plan before sending anything', async () => {
    const { fake, proxy, plan } = await setUp({ style: 'v17' });
    const wrongSsh = await failure(
      startConsoleLogin(
        proxy,
        plan,
        { sshPublicKey: rsa.sshLine, tlsPublicKeyPem: ec.pem },
        REDIRECT,
        {
          allowHttpForLoopback: true,
        },
      ),
    );
    expect(wrongSsh.message).toBe(
      'The SSH public key is ssh-rsa, but this Teleport cluster needs ssh-ed25519; this is a bug in OneHop.',
    );
    const noTls = await failure(
      startConsoleLogin(proxy, plan, { sshPublicKey: ed.sshLine }, REDIRECT, {
        allowHttpForLoopback: true,
      }),
    );
    expect(noTls.message).toBe(
      'A TLS public key is required for Teleport 17 and newer; this is a bug in OneHop.',
    );
    const wrongTls = await failure(
      startConsoleLogin(
        proxy,
        plan,
        { sshPublicKey: ed.sshLine, tlsPublicKeyPem: rsa.pem },
        REDIRECT,
        {
          allowHttpForLoopback: true,
        },
      ),
    );
    expect(wrongTls.message).toBe(
      'The TLS public key is not a ecdsa-p256 PEM public key as this Teleport cluster needs; this is a bug in OneHop.',
    );
    expect(fake.consoleCalls).toEqual([]);
  });

  it('explains a refused callback address', async () => {
    const { proxy, plan } = await setUp({ style: 'v16' });
    const error = await failure(
      startConsoleLogin(proxy, plan, { sshPublicKey: rsa.sshLine }, `${REDIRECT}&extra=1`, {
        allowHttpForLoopback: true,
      }),
    );
    expect(error.message).toBe(
      `The Teleport proxy at ${proxy.host}:${proxy.webPort} refused OneHop's callback address http://127.0.0.1:53124/callback; its administrators must allow loopback callbacks (client_redirect_settings).`,
    );
  });

  it('explains an unknown connector', async () => {
    const { proxy, plan } = await setUp({ style: 'v17' });
    const other: LoginPlan = { ...plan, connectorName: 'nope' };
    const error = await failure(
      startConsoleLogin(
        proxy,
        other,
        { sshPublicKey: ed.sshLine, tlsPublicKeyPem: ec.pem },
        REDIRECT,
        {
          allowHttpForLoopback: true,
        },
      ),
    );
    expect(error.code).toBe('http');
    expect(error.message).toBe(
      `The Teleport proxy at 127.0.0.1:${proxy.webPort} has no oidc connector "nope" (HTTP 404): oidc connector "nope" is not found; check --connector.`,
    );
  });

  it('explains a refused certificate lifetime', async () => {
    const { proxy, plan } = await setUp({ style: 'v16' });
    const error = await failure(
      startConsoleLogin(
        proxy,
        { ...plan, certTtlNs: 31 * 3600e9 },
        { sshPublicKey: rsa.sshLine },
        REDIRECT,
        {
          allowHttpForLoopback: true,
        },
      ),
    );
    expect(error.message).toBe(
      `The Teleport proxy at 127.0.0.1:${proxy.webPort} refused the requested sign-in duration: wrong CertTTL; choose between 1 minute and 30 hours.`,
    );
  });

  it('accepts only http(s) IdP addresses', async () => {
    for (const [answer, message] of [
      [
        '{"redirect_url":"javascript:alert(1)"}',
        'returned a sign-in address that is not an http(s) link; OneHop will not open it.',
      ],
      [
        '{"redirect_url":""}',
        'did not return a sign-in address (no redirect_url); check the proxy version.',
      ],
      [
        '{"post_form":"PGZvcm0+"}',
        'wants the browser to post a SAML form, which OneHop cannot do yet; use tsh for this connector.',
      ],
      ['<html>', 'answered the sign-in request with something other than JSON; check the address.'],
    ] as const) {
      const server = http.createServer((_req, res) => res.end(answer));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      const port = (server.address() as AddressInfo).port;
      const plan = buildLoginPlan({
        authType: 'saml',
        connectors: { saml: { name: 'corp' } },
        privateKeyPolicy: 'none',
        proxySsh: {},
        tlsRoutingEnabled: false,
        serverVersion: '16.0.0',
      });
      const error = await failure(
        startConsoleLogin(
          { host: '127.0.0.1', webPort: port },
          plan,
          { sshPublicKey: rsa.sshLine },
          REDIRECT,
          {
            allowHttpForLoopback: true,
          },
        ),
      );
      expect(error.message).toBe(`The Teleport proxy at 127.0.0.1:${port} ${message}`);
    }
  });
});

describe('the test proxy validates bodies as Teleport does', () => {
  async function post(
    style: 'v16' | 'v17',
    body: Record<string, unknown>,
    contentType = 'application/json',
  ) {
    const fake = await startFakeProxy({ style });
    cleanups.push(() => fake.close());
    const response = await fetch(`http://127.0.0.1:${fake.port}/webapi/oidc/login/console`, {
      method: 'POST',
      headers: { 'Content-Type': contentType },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  }
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const base = { redirect_url: REDIRECT, connector_id: 'keycloak', cert_ttl: 3600e9 };

  it('rejects public_key with ssh_pub_key or tls_pub_key, and no key at all (v17)', async () => {
    const both = await post('v17', {
      ...base,
      public_key: b64(ed.sshLine),
      ssh_pub_key: b64(ed.sshLine),
    });
    expect(both.text).toContain("'pub_key' and 'ssh_pub_key' cannot both be set");
    const tls = await post('v17', {
      ...base,
      public_key: b64(ed.sshLine),
      tls_pub_key: b64(ec.pem),
    });
    expect(tls.text).toContain("'pub_key' and 'tls_pub_key' cannot both be set");
    const none = await post('v17', base);
    expect(none.text).toContain("'ssh_pub_key' or 'tls_pub_key' must be set");
  });

  it('needs public_key on v16 and application/json everywhere', async () => {
    const split = await post('v16', { ...base, ssh_pub_key: b64(ed.sshLine) });
    expect(split.status).toBe(400);
    const form = await post('v16', { ...base, public_key: b64(rsa.sshLine) }, 'text/plain');
    expect(form).toEqual({ status: 400, text: '{"error":{"message":"invalid request"}}' });
    const ok = await post('v16', { ...base, public_key: b64(rsa.sshLine) });
    expect(ok.status).toBe(200);
  });

  it('matches what buildConsoleRequest produces for each version', () => {
    const plan16 = buildLoginPlan({
      authType: 'github',
      connectors: { github: { name: 'gh' } },
      privateKeyPolicy: 'none',
      proxySsh: {},
      tlsRoutingEnabled: false,
      serverVersion: '15.2.0',
    });
    expect(
      Object.keys(buildConsoleRequest(plan16, { sshPublicKey: rsa.sshLine }, REDIRECT)),
    ).toEqual(['redirect_url', 'cert_ttl', 'connector_id', 'public_key']);
  });
});
