/**
 * Teleport SSO sign-in end to end: TeleportIssuer against the proxy emulator (real ssh-keygen and
 * openssl certificates), a real OIDC provider, and the non-interactive browser stand-in.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeleportSiteSchema, type TeleportSite } from '../../src/shared/model/settings';
import {
  parseCertificateLine,
  parsePrivateKey,
  publicKeysEqual,
  parsePublicKeyLine,
  verifyCertificateSignature,
} from '../../src/main/core/credentials/sshKeys';
import type {
  SignInInteraction,
  SignInOptions,
  SignInPhase,
} from '../../src/main/core/signin/issuer';
import { TeleportSignInError } from '../../src/main/core/signin/teleport';
import { TeleportIssuer } from '../../src/main/core/signin/teleport/teleportIssuer';
import { visit } from '../support/browserStandIn';
import { startIdp, webClient, type Idp } from '../support/idp';
import {
  startTeleportEmulator,
  type TeleportEmulator,
  type TeleportEmulatorOptions,
} from '../support/teleport/emulator';
import { requireTools } from '../support/tools';

const tools = requireTools(['ssh-keygen', 'openssl']);

const HOUR = 3_600_000;
const USER = 'alice@example.org';

interface Recorder {
  interaction: SignInInteraction;
  controller: AbortController;
  phases: SignInPhase[];
  urls: string[];
  warnings: string[];
  browserOpened: number;
}

/** An interaction whose "browser" is the stand-in (or `open`, when a test wants another). */
function recorder(open?: (url: string, controller: AbortController) => Promise<void>): Recorder {
  const controller = new AbortController();
  const rec: Recorder = {
    controller,
    phases: [],
    urls: [],
    warnings: [],
    browserOpened: 0,
    interaction: {
      signal: controller.signal,
      async openBrowser(url) {
        rec.browserOpened += 1;
        if (open) return open(url, controller);
        await visit(url, { timeoutMs: 20_000 });
      },
      onProgress(phase, detail) {
        rec.phases.push(phase);
        if (detail?.url) rec.urls.push(detail.url);
      },
      onWarning(message) {
        rec.warnings.push(message);
      },
    },
  };
  return rec;
}

function siteFor(emulator: TeleportEmulator): TeleportSite {
  return TeleportSiteSchema.parse({
    name: 'emulated',
    kind: 'teleport',
    proxy: { host: '127.0.0.1', webPort: emulator.port },
  });
}

describe.skipIf(tools.skip)(`Teleport sign-in against the emulator${tools.marker}`, () => {
  let idp: Idp;
  const emulators: TeleportEmulator[] = [];
  let clients = 0;

  async function emulator(
    options: Omit<TeleportEmulatorOptions, 'idp'>,
  ): Promise<TeleportEmulator> {
    clients += 1;
    const clientId = `teleport-${clients}`;
    const clientSecret = `secret-${clients}-0123456789abcdef`;
    const proxy = await startTeleportEmulator({
      ...options,
      idp: { issuer: idp.issuer, clientId, clientSecret },
    });
    emulators.push(proxy);
    await idp.registerClient(webClient(clientId, clientSecret, [proxy.oidcRedirectUri]));
    return proxy;
  }

  async function signIn(proxy: TeleportEmulator, rec = recorder(), options: SignInOptions = {}) {
    return new TeleportIssuer().signIn(siteFor(proxy), options, rec.interaction);
  }

  beforeAll(async () => {
    idp = await startIdp({ clients: [] });
  });

  afterAll(async () => {
    await Promise.all(emulators.map((e) => e.close()));
    await idp?.close();
  });

  /** The checks every successful sign-in must pass. */
  function checkCertificate(
    proxy: TeleportEmulator,
    certificateLine: string,
    privateKeyPem: string,
    ttlMs: number,
  ) {
    const cert = parseCertificateLine(certificateLine);
    expect(cert.type).toBe('user');
    expect(cert.keyId).toBe(USER);
    expect(cert.principals).toEqual(['alice', '-teleport-internal-join']);
    expect([...cert.extensions.keys()].sort()).toEqual([
      'permit-agent-forwarding',
      'permit-port-forwarding',
      'permit-pty',
      'teleport-roles',
      'teleport-route-to-cluster',
    ]);
    expect(cert.criticalOptions.size).toBe(0);
    const now = Date.now();
    expect(Math.abs((cert.validAfter?.getTime() ?? 0) - (now - 60_000))).toBeLessThan(30_000);
    expect(Math.abs((cert.validBefore?.getTime() ?? 0) - (now + ttlMs))).toBeLessThan(30_000);
    // Signed by the emulator's user CA, and certifies the key we hold.
    expect(publicKeysEqual(cert.signatureKey, parsePublicKeyLine(proxy.userCaPublicKey))).toBe(
      true,
    );
    expect(verifyCertificateSignature(cert).valid).toBe(true);
    expect(cert.publicKey.blob.equals(parsePrivateKey(privateKeyPem).publicKey.blob)).toBe(true);
    return cert;
  }

  function checkTls(proxy: TeleportEmulator, pem: string, keyType: 'rsa' | 'ec') {
    const tls = new X509Certificate(pem);
    expect(tls.subject).toContain(`CN=${USER}`);
    expect(tls.issuer).toContain(`CN=${proxy.clusterName}`);
    expect(tls.verify(new X509Certificate(proxy.tlsCaPem).publicKey)).toBe(true);
    expect(tls.publicKey.asymmetricKeyType).toBe(keyType);
    return tls;
  }

  it('signs in to Teleport 16 with one RSA key sent as public_key', async () => {
    const proxy = await emulator({ version: '16.4.7' });
    const rec = recorder();
    const { credentials, clockSkewMs } = await signIn(proxy, rec);

    expect(rec.phases).toEqual([
      'discovering',
      'generating-keys',
      'waiting-for-browser',
      'exchanging',
    ]);
    expect(rec.browserOpened).toBe(1);
    expect(rec.warnings).toEqual([]);
    expect(Math.abs(clockSkewMs ?? Infinity)).toBeLessThan(2_000);

    const [request] = proxy.requests;
    expect(proxy.requests).toHaveLength(1);
    expect(request?.path).toBe('/webapi/oidc/login/console');
    expect(request?.contentType).toMatch(/^application\/json/);
    expect(request?.status).toBe(200);
    const body = request?.body ?? {};
    expect(Object.keys(body).sort()).toEqual([
      'cert_ttl',
      'connector_id',
      'public_key',
      'redirect_url',
    ]);
    expect(body.cert_ttl).toBe(12 * HOUR * 1e6);
    expect(body.connector_id).toBe('keycloak');
    expect(body.redirect_url).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/callback\?secret_key=[0-9a-f]{64}$/,
    );
    const publicKey = Buffer.from(String(body.public_key), 'base64').toString('utf8');
    expect(publicKey).toMatch(/^ssh-rsa AAAA[A-Za-z0-9+/]+=*\n$/);

    expect(credentials.issuer).toBe('teleport');
    expect(credentials.username).toBe(USER);
    // One key for SSH and TLS: no separate TLS key stored; the proxy's SSH address is (ping §4).
    expect(credentials.extra?.tlsPrivateKeyPem).toBeUndefined();
    expect(credentials.extra?.sshProxy).toBe('127.0.0.1:3023');
    const cert = checkCertificate(
      proxy,
      credentials.certificate,
      credentials.privateKeyPem,
      12 * HOUR,
    );
    expect(cert.certType).toBe('ssh-rsa-cert-v01@openssh.com');
    expect(cert.publicKey.blob.equals(parsePublicKeyLine(publicKey).blob)).toBe(true);
    // ≤ v16: the TLS certificate is for the same RSA key.
    const tls = checkTls(proxy, credentials.tlsCertificatePem ?? '', 'rsa');
    expect(tls.publicKey.export({ format: 'jwk' }).n).toBe(
      parsePrivateKey(credentials.privateKeyPem).privateKey.export({ format: 'jwk' }).n,
    );
    expect(credentials.hostSigners).toEqual([
      {
        clusterName: proxy.clusterName,
        checkingKeys: [proxy.hostCaPublicKey],
        tlsCerts: [proxy.tlsCaPem],
      },
    ]);
  });

  it('signs in to Teleport 17 (balanced-v1) with an Ed25519 SSH key and a P-256 TLS key', async () => {
    const proxy = await emulator({ version: '17.2.0', suite: 'balanced-v1' });
    const { credentials } = await signIn(proxy, recorder(), { ttlMs: 2 * HOUR });

    const body = proxy.requests[0]?.body ?? {};
    expect(body).not.toHaveProperty('public_key');
    expect(body.cert_ttl).toBe(2 * HOUR * 1e6);
    const sshKey = Buffer.from(String(body.ssh_pub_key), 'base64').toString('utf8');
    const tlsKey = Buffer.from(String(body.tls_pub_key), 'base64').toString('utf8');
    expect(sshKey).toMatch(/^ssh-ed25519 /);
    expect(tlsKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(body.pkce_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const cert = checkCertificate(
      proxy,
      credentials.certificate,
      credentials.privateKeyPem,
      2 * HOUR,
    );
    expect(cert.certType).toBe('ssh-ed25519-cert-v01@openssh.com');
    expect(cert.signatureKey.type).toBe('ssh-ed25519'); // balanced-v1 host/user CAs are Ed25519
    const tls = checkTls(proxy, credentials.tlsCertificatePem ?? '', 'ec');
    const tlsPrivate = credentials.extra?.tlsPrivateKeyPem ?? '';
    expect(tlsPrivate).toMatch(/-----BEGIN PRIVATE KEY-----/);
    const tlsJwk = tls.publicKey.export({ format: 'jwk' });
    expect(tlsJwk.crv).toBe('P-256');
    expect(credentials.hostSigners?.[0]?.checkingKeys).toEqual([proxy.hostCaPublicKey]);
  });

  it('sends a PKCE verifier that Teleport 18 uses at the IdP', async () => {
    const proxy = await emulator({ version: '18.0.0', suite: 'balanced-v1', pkceMode: 'enabled' });
    const rec = recorder();
    const { credentials } = await signIn(proxy, rec);

    const body = proxy.requests[0]?.body ?? {};
    const verifier = String(body.pkce_verifier);
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body).not.toHaveProperty('public_key');
    expect(body).not.toHaveProperty('pub_key');
    // The IdP URL carries the S256 challenge of exactly that verifier.
    const idpUrl = new URL(rec.urls[0] ?? '');
    expect(idpUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(idpUrl.searchParams.get('code_challenge')).toBe(
      createHash('sha256').update(verifier).digest('base64url'),
    );
    checkCertificate(proxy, credentials.certificate, credentials.privateKeyPem, 12 * HOUR);
  });

  it('keeps the certificate within the role cap and the proxy default TTL', async () => {
    const proxy = await emulator({
      version: '17.2.0',
      suite: 'legacy',
      defaultSessionTtlMs: 8 * HOUR,
      certTtlCapMs: 1 * HOUR,
    });
    const { credentials } = await signIn(proxy);
    expect(proxy.requests[0]?.body?.cert_ttl).toBe(8 * HOUR * 1e6);
    const cert = checkCertificate(proxy, credentials.certificate, credentials.privateKeyPem, HOUR);
    expect(cert.certType).toBe('ssh-rsa-cert-v01@openssh.com');
    // legacy suite on 17: split fields, but one shared RSA key.
    expect(credentials.extra?.tlsPrivateKeyPem).toBeUndefined();
  });

  describe('refuses bad answers and stores nothing', () => {
    let proxy: TeleportEmulator;
    beforeAll(async () => {
      proxy = await emulator({ version: '17.2.0', suite: 'balanced-v1' });
    });

    const cases = [
      ['tampered', /could not be decrypted: it was altered on the way/],
      ['wrong-key', /could not be decrypted: it was altered on the way or sealed for another/],
      ['malformed-json', /response from the proxy is incomplete \(not JSON\)/],
      ['err', /Teleport reported a sign-in error: Failed to login/],
      ['cert-for-other-key', /certificate for a different key; nothing was stored/],
    ] as const;

    for (const [fault, message] of cases) {
      it(`${fault}`, async () => {
        proxy.nextResponse = fault;
        const rec = recorder();
        const error = await signIn(proxy, rec).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TeleportSignInError);
        expect((error as TeleportSignInError).code).toBe('callback');
        expect((error as Error).message).toMatch(message);
        expect(rec.phases).toContain('waiting-for-browser');
      });
    }

    it('an IdP refusal arrives as err= and becomes a clear error', async () => {
      idp.denyNext('access_denied', 'The user said no.');
      const error = await signIn(proxy).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TeleportSignInError);
      expect((error as Error).message).toMatch(
        /Teleport reported a sign-in error: .*access_denied.*The user said no/,
      );
    });

    it('gives up when the browser never comes back', async () => {
      const rec = recorder(async () => {});
      const started = Date.now();
      const error = await signIn(proxy, rec, { callbackTimeoutMs: 400 }).catch((e: unknown) => e);
      expect((error as TeleportSignInError).code).toBe('timeout');
      expect((error as Error).message).toMatch(/No answer from the browser within/);
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it('stops at once when cancelled, and closes the callback listener', async () => {
      const rec = recorder((_url, controller) => {
        setTimeout(() => controller.abort(), 50);
        return Promise.resolve();
      });
      const error = await signIn(proxy, rec).catch((e: unknown) => e);
      expect((error as TeleportSignInError).code).toBe('cancelled');
      const redirect = String(proxy.requests.at(-1)?.body?.redirect_url);
      await expect(fetch(redirect.replace(/\?.*/, ''))).rejects.toThrow();
    });

    it('does nothing when cancelled before it starts', async () => {
      const rec = recorder();
      rec.controller.abort();
      const before = proxy.requests.length;
      const error = await signIn(proxy, rec).catch((e: unknown) => e);
      expect((error as TeleportSignInError).code).toBe('cancelled');
      expect(proxy.requests.length).toBe(before);
    });
  });

  it('refuses a hardware-key cluster before any browser opens', async () => {
    const proxy = await emulator({ version: '17.2.0', privateKeyPolicy: 'hardware_key_touch' });
    const rec = recorder();
    const error = await signIn(proxy, rec).catch((e: unknown) => e);
    expect((error as TeleportSignInError).code).toBe('unsupported');
    expect((error as Error).message).toMatch(/hardware-backed keys/);
    expect(rec.browserOpened).toBe(0);
    expect(proxy.requests).toHaveLength(0);
  });

  it('refuses password (local) login before any browser opens', async () => {
    const proxy = await emulator({ version: '16.4.7', authType: 'local' });
    const rec = recorder();
    const error = await signIn(proxy, rec).catch((e: unknown) => e);
    expect((error as TeleportSignInError).code).toBe('unsupported');
    expect((error as Error).message).toMatch(/password login/);
    expect(rec.browserOpened).toBe(0);
    expect(proxy.requests).toHaveLength(0);
  });

  it('warns about a Teleport newer than tested; a failing browser command does not stop sign-in', async () => {
    const proxy = await emulator({ version: '19.0.1', suite: 'balanced-v1', pkceMode: 'enabled' });
    const rec = recorder(async (url) => {
      // Deliver the login, then report failure as a BROWSER command that exits non-zero would.
      await visit(url, { timeoutMs: 20_000 });
      throw new Error('xdg-open exited with 3');
    });
    await signIn(proxy, rec);
    expect(rec.warnings.join('\n')).toMatch(/Teleport 19\.0\.1 is newer than the newest version/);
  });
});
