/**
 * OIDC + SSH CA sign-in end to end: a real IdP (oidc-provider), the step-ca emulator signing with
 * ssh-keygen, and the non-interactive browser stand-in as the user's browser.
 */
import net from 'node:net';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  parseCertificateLine,
  parsePrivateKey,
  publicKeysEqual,
  parsePublicKeyLine,
  verifyCertificateSignature,
} from '../../src/main/core/credentials/sshKeys';
import type { SignInInteraction, SignInPhase } from '../../src/main/core/signin/issuer';
import {
  OidcCaIssuer,
  OidcSignInError,
  signUserKey,
  startLoopbackRedirect,
} from '../../src/main/core/signin/oidc';
import { OidcCaSiteSchema, type OidcCaSite } from '../../src/shared/model/settings';
import { visit } from '../support/browserStandIn';
import { nativeClient, startIdp, type Idp } from '../support/idp';
import { startStepCa, type StepCa } from '../support/stepCa';
import { requireTools } from '../support/tools';

const tools = requireTools(['ssh-keygen']);
const CLIENT_ID = 'onehop-desktop';

function makeSite(idp: Idp, ca: StepCa, oidc: Partial<OidcCaSite['oidc']> = {}): OidcCaSite {
  return OidcCaSiteSchema.parse({
    name: 'lab',
    kind: 'oidc-ca',
    oidc: { issuer: idp.issuer, clientId: CLIENT_ID, ...oidc },
    caUrl: ca.url,
    bastion: { host: '127.0.0.1' },
  });
}

interface Recorder {
  interaction: SignInInteraction;
  browser: ReturnType<typeof vi.fn<(url: string) => Promise<void>>>;
  phases: SignInPhase[];
  warnings: string[];
  urls: string[];
  controller: AbortController;
}

/** An interaction whose "browser" is the stand-in, or `browse` for error cases. */
function recorder(
  browse: (url: string) => Promise<void> = async (url) => {
    await visit(url, { timeoutMs: 15_000 });
  },
): Recorder {
  const controller = new AbortController();
  const phases: SignInPhase[] = [];
  const warnings: string[] = [];
  const urls: string[] = [];
  const browser = vi.fn(browse);
  return {
    browser,
    phases,
    warnings,
    urls,
    controller,
    interaction: {
      openBrowser: browser,
      onProgress: (phase, detail) => {
        phases.push(phase);
        if (detail?.url) urls.push(detail.url);
      },
      onWarning: (message) => warnings.push(message),
      signal: controller.signal,
    },
  };
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function rejection(promise: Promise<unknown>): Promise<OidcSignInError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OidcSignInError);
  return error as OidcSignInError;
}

describe.skipIf(tools.skip)(`OIDC + SSH CA sign-in${tools.marker}`, () => {
  let idp: Idp;
  let ca: StepCa;
  const issuer = new OidcCaIssuer();

  beforeAll(async () => {
    idp = await startIdp({
      users: [{ sub: 'u-1', email: 'ada@example.org', name: 'Ada', preferredUsername: 'ada' }],
      clients: [nativeClient(CLIENT_ID)],
    });
    ca = await startStepCa({ idpIssuer: idp.issuer, audience: CLIENT_ID });
  });
  afterAll(async () => {
    await ca?.close();
    await idp?.close();
  });

  it('signs in through the browser and returns a CA-signed certificate for a new key', async () => {
    const r = recorder();
    const before = Date.now();
    const { credentials } = await issuer.signIn(
      makeSite(idp, ca),
      { ttlMs: 3_600_000 },
      r.interaction,
    );

    expect(r.browser).toHaveBeenCalledTimes(1);
    expect(r.urls[0]).toContain(`${idp.issuer}/auth?`);
    expect(new URL(r.urls[0] ?? '').searchParams.get('code_challenge_method')).toBe('S256');
    expect(new URL(r.urls[0] ?? '').searchParams.get('scope')).toBe('openid email profile');
    expect(r.phases).toEqual([
      'discovering',
      'waiting-for-browser',
      'exchanging',
      'generating-keys',
    ]);

    expect(credentials.issuer).toBe('oidc-ca');
    expect(credentials.username).toBe('ada@example.org');
    expect(credentials.refreshToken).toBeUndefined();
    const cert = parseCertificateLine(credentials.certificate);
    expect(cert.type).toBe('user');
    expect(cert.principals).toEqual(['ada']);
    expect(cert.keyId).toBe('ada@example.org');
    expect(verifyCertificateSignature(cert).valid).toBe(true);
    expect(publicKeysEqual(cert.signatureKey, parsePublicKeyLine(ca.userCa.publicKey))).toBe(true);
    const key = parsePrivateKey(credentials.privateKeyPem);
    expect(publicKeysEqual(cert.publicKey, key.publicKey)).toBe(true);
    expect(cert.publicKey.type).toBe('ssh-ed25519');
    const lifetime = (cert.validBefore?.getTime() ?? 0) - before;
    expect(lifetime).toBeGreaterThan(3_500_000);
    expect(lifetime).toBeLessThan(3_700_000);
    expect(credentials.hostSigners).toEqual([
      { clusterName: 'lab', checkingKeys: [ca.hostCa.publicKey], tlsCerts: [] },
    ]);
  });

  it('with offline access, renews with the refresh token: new key and certificate, no browser', async () => {
    const site = makeSite(idp, ca, { allowOfflineAccess: true });
    const r = recorder();
    const first = await issuer.signIn(site, {}, r.interaction);
    const url = new URL(r.urls[0] ?? '');
    expect(url.searchParams.get('scope')).toBe('openid email profile offline_access');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(first.credentials.refreshToken).toEqual(expect.any(String));

    const stored = { ...first.credentials, obtainedAt: new Date().toISOString() };
    const visits = r.browser.mock.calls.length;
    const logins = idp.logins;
    const signs = ca.signRequests;
    const renewed = await issuer.renew(site, stored, { signal: new AbortController().signal });
    expect(r.browser.mock.calls.length).toBe(visits);
    expect(idp.logins).toBe(logins);
    expect(ca.signRequests).toBe(signs + 1);
    const next = renewed?.credentials;
    expect(next?.privateKeyPem).not.toBe(stored.privateKeyPem);
    expect(next?.certificate).not.toBe(stored.certificate);
    const cert = parseCertificateLine(next?.certificate ?? '');
    expect(
      publicKeysEqual(cert.publicKey, parsePrivateKey(next?.privateKeyPem ?? '').publicKey),
    ).toBe(true);
    expect(cert.principals).toEqual(['ada']);
    // oidc-provider rotates refresh tokens of public clients.
    expect(next?.refreshToken).toEqual(expect.any(String));
    expect(next?.refreshToken).not.toBe(stored.refreshToken);

    // The rotated token works again.
    const again = await issuer.renew(
      site,
      { ...stored, ...next, obtainedAt: new Date().toISOString() },
      { signal: new AbortController().signal },
    );
    expect(again?.credentials.certificate).toMatch(/^ssh-ed25519-cert-v01@openssh\.com /);
  });

  it('renew: undefined without a refresh token, a plain error when the IdP refuses it', async () => {
    const site = makeSite(idp, ca, { allowOfflineAccess: true });
    const stored = {
      issuer: 'oidc-ca' as const,
      username: 'ada@example.org',
      privateKeyPem: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----',
      certificate: 'ssh-ed25519-cert-v01@openssh.com AAAA',
      obtainedAt: new Date().toISOString(),
    };
    const signal = new AbortController().signal;
    expect(await issuer.renew(site, stored, { signal })).toBeUndefined();
    const error = await rejection(
      issuer.renew(site, { ...stored, refreshToken: 'not-a-real-token' }, { signal }),
    );
    expect(error.code).toBe('refresh-refused');
    expect(error.message).toMatch(
      /no longer accepts the saved sign-in .*invalid_grant.*; sign in again\.$/,
    );
  });

  it('the CA refuses an ID token for another audience, and says why', async () => {
    const strictCa = await startStepCa({ idpIssuer: idp.issuer, audience: 'someone-else' });
    try {
      const error = await rejection(
        issuer.signIn(makeSite(idp, strictCa), {}, recorder().interaction),
      );
      expect(error.code).toBe('ca-refused');
      expect(error.message).toMatch(
        /^The SSH CA refused to sign the certificate \(HTTP 401: .*aud/,
      );
    } finally {
      await strictCa.close();
    }
  });

  it('the CA refuses tampered and expired ID tokens', async () => {
    const shortIdp = await startIdp({ clients: [nativeClient(CLIENT_ID)], ttl: { idToken: 1 } });
    const shortCa = await startStepCa({ idpIssuer: shortIdp.issuer, audience: CLIENT_ID });
    try {
      // A real ID token, obtained the way the issuer does.
      const config = await client.discovery(
        new URL(shortIdp.issuer),
        CLIENT_ID,
        undefined,
        client.None(),
        {
          execute: [client.allowInsecureRequests],
        },
      );
      const server = await startLoopbackRedirect({
        host: '127.0.0.1',
        path: '/callback',
        expectedState: 's',
      });
      const verifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: server.redirectUri,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: 's',
      });
      const waiting = server.waitForResult({ timeoutMs: 10_000 });
      await visit(url.href);
      const callback = await waiting;
      const tokens = await client.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedState: 's',
      });
      const idToken = tokens.id_token ?? '';
      const publicKeyBlob = parsePublicKeyLine(shortCa.userCa.publicKey).blob;
      const request = { caUrl: shortCa.url, publicKeyBlob, principals: [], ttlMs: 60_000 };

      const [header, payload, signature] = idToken.split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<
        string,
        unknown
      >;
      const forged = Buffer.from(JSON.stringify({ ...claims, email: 'root@example.org' })).toString(
        'base64url',
      );
      const tampered = await rejection(
        signUserKey({ ...request, ott: `${header}.${forged}.${signature}` }),
      );
      expect(tampered.code).toBe('ca-refused');
      expect(tampered.message).toMatch(/HTTP 401: validateToken: signature verification failed/);

      await new Promise((resolve) => setTimeout(resolve, 2100));
      const expired = await rejection(signUserKey({ ...request, ott: idToken }));
      expect(expired.code).toBe('ca-refused');
      expect(expired.message).toMatch(
        /HTTP 401: validateToken: "exp" claim timestamp check failed/,
      );
      expect(shortCa.log.every((entry) => entry.status === 401)).toBe(true);
    } finally {
      await shortCa.close();
      await shortIdp.close();
    }
  });

  it('the IdP refusing the login is a plain error, and the CA is never asked', async () => {
    idp.denyNext('access_denied', 'The user said no.');
    const signs = ca.signRequests;
    const error = await rejection(issuer.signIn(makeSite(idp, ca), {}, recorder().interaction));
    expect(error.code).toBe('denied');
    expect(error.message).toBe(
      'Sign-in was cancelled or refused at the identity provider (The user said no.); sign in again to retry.',
    );
    expect(ca.signRequests).toBe(signs);
  });

  it('cancel through the AbortSignal stops the wait at once', async () => {
    const r = recorder(() => Promise.resolve());
    const started = Date.now();
    const pending = issuer.signIn(
      makeSite(idp, ca),
      {},
      {
        ...r.interaction,
        onProgress: (phase) => {
          if (phase === 'waiting-for-browser') setTimeout(() => r.controller.abort(), 50);
        },
      },
    );
    const error = await rejection(pending);
    expect(error.code).toBe('cancelled');
    expect(error.message).toBe('Sign-in cancelled.');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('gives up when nobody finishes in the browser in time', async () => {
    const error = await rejection(
      issuer.signIn(
        makeSite(idp, ca),
        { callbackTimeoutMs: 300 },
        recorder(() => Promise.resolve()).interaction,
      ),
    );
    expect(error.code).toBe('timeout');
    expect(error.message).toBe(
      'Nobody finished the sign-in in the browser within 300 ms; sign in again.',
    );
  });

  it('refuses a redirect whose state does not match', async () => {
    const r = recorder(async (raw) => {
      const url = new URL(raw);
      url.searchParams.set('state', 'forged-state');
      await visit(url.href);
    });
    const signs = ca.signRequests;
    const error = await rejection(issuer.signIn(makeSite(idp, ca), {}, r.interaction));
    expect(error.code).toBe('state');
    expect(error.message).toMatch(
      /does not belong to this sign-in \(state mismatch\); sign in again\.$/,
    );
    expect(ca.signRequests).toBe(signs);
  });

  it('refuses a certificate for another key, a host certificate and garbage', async () => {
    ca.misbehave('other-key');
    const other = await rejection(issuer.signIn(makeSite(idp, ca), {}, recorder().interaction));
    expect(other.code).toBe('certificate');
    expect(other.message).toMatch(/certificate for a different key/);

    ca.misbehave('host-cert');
    const host = await rejection(issuer.signIn(makeSite(idp, ca), {}, recorder().interaction));
    expect(host.message).toMatch(/host certificate instead of a user certificate/);

    ca.misbehave('garbage');
    const garbage = await rejection(issuer.signIn(makeSite(idp, ca), {}, recorder().interaction));
    expect(garbage.message).toMatch(
      /^The SSH CA returned something that is not a valid SSH certificate/,
    );
  });

  it('names an unreachable IdP, a bad issuer and an unreachable CA plainly', async () => {
    const port = await closedPort();
    const noIdp = makeSite(idp, ca);
    noIdp.oidc.issuer = `http://127.0.0.1:${port}`;
    const unreachable = await rejection(issuer.signIn(noIdp, {}, recorder().interaction));
    expect(unreachable.code).toBe('idp-unreachable');
    expect(unreachable.message).toMatch(
      new RegExp(
        `^The identity provider at http://127.0.0.1:${port} could not be reached \\(.*ECONNREFUSED`,
      ),
    );

    const notIdp = makeSite(idp, ca);
    notIdp.oidc.issuer = ca.url;
    const discovery = await rejection(issuer.signIn(notIdp, {}, recorder().interaction));
    expect(discovery.code).toBe('discovery');
    expect(discovery.message).toMatch(/did not offer a usable OpenID configuration/);

    const noCa = makeSite(idp, ca);
    noCa.caUrl = `http://127.0.0.1:${port}`;
    const r = recorder();
    const caDown = await rejection(issuer.signIn(noCa, {}, r.interaction));
    expect(caDown.code).toBe('ca-unreachable');
    expect(caDown.message).toMatch(/^The SSH CA at http:\/\/127\.0\.0\.1:\d+ could not be reached/);
    expect(r.warnings[0]).toMatch(/Host certificates of this site cannot be checked yet/);

    const remote = makeSite(idp, ca);
    remote.oidc.issuer = 'http://idp.example.org';
    const insecure = await rejection(issuer.signIn(remote, {}, recorder().interaction));
    expect(insecure.code).toBe('invalid-input');
    expect(insecure.message).toMatch(/must use https/);
  });
});
