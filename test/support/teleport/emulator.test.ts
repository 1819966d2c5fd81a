/**
 * The emulator's own contract: ping per version, and the console body checks per version
 * (teleport-sso.md §1a–1c, §3, §4). The full sign-in is in test/signin/teleport.test.ts.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTools } from '../tools';
import { startTeleportEmulator, type TeleportEmulator } from './emulator';

const tools = requireTools(['ssh-keygen', 'openssl']);

const IDP = { issuer: 'http://127.0.0.1:9', clientId: 'teleport', clientSecret: 'x' };
const b64 = (text: string) => Buffer.from(text).toString('base64');
const SECRET = 'ab'.repeat(32);
const REDIRECT = `http://127.0.0.1:4242/callback?secret_key=${SECRET}`;

function sshString(data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
}

const field = (value: string | undefined) => Buffer.from(value ?? '', 'base64url');

function ed25519Line(): string {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(field(jwk.x))]);
  return `ssh-ed25519 ${blob.toString('base64')}\n`;
}

function rsaLine(): string {
  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
    format: 'jwk',
  });
  const n = Buffer.concat([Buffer.from([0]), field(jwk.n)]); // the modulus' top bit is set
  const blob = Buffer.concat([
    sshString(Buffer.from('ssh-rsa')),
    sshString(field(jwk.e)),
    sshString(n),
  ]);
  return `ssh-rsa ${blob.toString('base64')}\n`;
}

const P256_PEM = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();

async function post(
  proxy: TeleportEmulator,
  body: unknown,
  contentType = 'application/json',
): Promise<{ status: number; message?: string }> {
  const response = await fetch(`${proxy.webUrl}/webapi/oidc/login/console`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { error?: { message?: string } };
  return { status: response.status, message: json.error?.message };
}

describe.skipIf(tools.skip)(`Teleport proxy emulator${tools.marker}`, () => {
  let v16: TeleportEmulator;
  let v17: TeleportEmulator;

  beforeAll(async () => {
    [v16, v17] = await Promise.all([
      startTeleportEmulator({ version: '16.4.7', idp: IDP }),
      startTeleportEmulator({ version: '17.2.0', suite: 'balanced-v1', idp: IDP }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([v16?.close(), v17?.close()]);
  });

  it('answers ping per version, with a Date header', async () => {
    const r16 = await fetch(`${v16.webUrl}/webapi/ping`);
    const p16 = (await r16.json()) as { auth: Record<string, unknown>; server_version: string };
    expect(r16.headers.get('date')).toBeTruthy();
    expect(p16.server_version).toBe('16.4.7');
    expect(p16.auth).not.toHaveProperty('signature_algorithm_suite');
    expect(p16.auth.default_session_ttl).toBe('12h0m0s');
    expect(p16.auth.oidc).toMatchObject({ name: 'keycloak' });
    const p17 = (await (await fetch(`${v17.webUrl}/webapi/ping/keycloak`)).json()) as {
      auth: Record<string, unknown>;
      cluster_name: string;
    };
    expect(p17.auth.signature_algorithm_suite).toBe('balanced-v1');
    expect(p17.cluster_name).toBe(v17.clusterName);
    expect((await fetch(`${v17.webUrl}/webapi/ping/nope`)).status).toBe(404);
    expect(v17.hostCaPublicKey).toMatch(/^ssh-ed25519 /);
    expect(v16.userCaPublicKey).toMatch(/^ssh-rsa /);
  });

  const ED = b64(ed25519Line());
  const RSA = b64(rsaLine());
  const TTL = 3_600e9;
  const v16Body = {
    redirect_url: REDIRECT,
    public_key: RSA,
    cert_ttl: TTL,
    connector_id: 'keycloak',
  };
  const v17Body = {
    redirect_url: REDIRECT,
    ssh_pub_key: ED,
    tls_pub_key: b64(P256_PEM),
    cert_ttl: TTL,
    connector_id: 'keycloak',
  };
  const { ssh_pub_key: _s, tls_pub_key: _t, ...v17NoKeys } = v17Body;
  const { public_key: _p, ...v16NoKey } = v16Body;

  type Case = [string, '16' | '17', Record<string, unknown>, number, string | RegExp, string?];
  const cases: Case[] = [
    ['a non-JSON content type', '17', v17Body, 400, 'invalid request', 'text/plain'],
    ['no key at all (v17)', '17', v17NoKeys, 400, /'ssh_pub_key' or 'tls_pub_key' must be set/],
    [
      'public_key with ssh_pub_key (v17)',
      '17',
      { ...v17Body, public_key: ED },
      400,
      /cannot both be set/,
    ],
    ['ssh_pub_key sent to v16', '16', { ...v16Body, ssh_pub_key: ED }, 400, /not part of the v16/],
    ['no public_key (v16)', '16', v16NoKey, 400, 'missing PublicKey'],
    [
      'a second redirect parameter',
      '17',
      { ...v17Body, redirect_url: `${REDIRECT}&x=1` },
      403,
      /disallowed callback URL/,
    ],
    [
      'a non-loopback redirect',
      '17',
      { ...v17Body, redirect_url: REDIRECT.replace('127.0.0.1', 'example.org') },
      403,
      /disallowed/,
    ],
    [
      'a redirect path other than /callback',
      '17',
      { ...v17Body, redirect_url: REDIRECT.replace('/callback', '/cb') },
      403,
      /disallowed/,
    ],
    ['a TTL under a minute', '17', { ...v17Body, cert_ttl: 59e9 }, 400, 'wrong CertTTL'],
    ['a TTL over 30 hours', '16', { ...v16Body, cert_ttl: 31 * 3600e9 }, 400, 'wrong CertTTL'],
    ['an unknown connector', '17', { ...v17Body, connector_id: 'github' }, 404, /not found/],
    ['an RSA key for a balanced-v1 cluster', '17', { ...v17Body, ssh_pub_key: RSA }, 400, /suite/],
  ];

  it.each(cases)('refuses %s', async (_title, version, body, status, message, contentType) => {
    const proxy = version === '16' ? v16 : v17;
    const result = await post(proxy, body, contentType);
    expect(result.status).toBe(status);
    if (typeof message === 'string') expect(result.message).toBe(message);
    else expect(result.message).toMatch(message);
    expect(proxy.requests.at(-1)?.status).toBe(status);
  });
});
