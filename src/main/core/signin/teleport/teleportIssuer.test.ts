import { afterEach, describe, expect, it } from 'vitest';
import { OidcCaSiteSchema, TeleportSiteSchema } from '../../../../shared/model/settings';
import type { SignInInteraction } from '../issuer';
import { TeleportSignInError } from './errors';
import { seal } from './sealed';
import { TeleportIssuer } from './teleportIssuer';
import { startFakeProxy, type FakeProxy, type FakeProxyOptions } from './testing/fakeProxy';
import { loginResponseJson } from './testing/loginFixture';

let proxy: FakeProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

async function start(options: FakeProxyOptions, connector?: string) {
  proxy = await startFakeProxy(options);
  const site = TeleportSiteSchema.parse({
    name: 'fake',
    kind: 'teleport',
    proxy: { host: '127.0.0.1', webPort: proxy.port },
    ...(connector ? { connector } : {}),
  });
  return { proxy, site };
}

/** A "browser" that answers the callback with `query` built from the console request. */
function interaction(deliver?: (redirectUrl: string) => string) {
  const controller = new AbortController();
  const seen = { opened: [] as string[], warnings: [] as string[] };
  const value: SignInInteraction = {
    signal: controller.signal,
    async openBrowser(url) {
      seen.opened.push(url);
      const redirect = proxy?.consoleCalls.at(-1)?.body.redirect_url;
      if (deliver && typeof redirect === 'string') await fetch(deliver(redirect));
    },
    onProgress: () => {},
    onWarning: (message) => seen.warnings.push(message),
  };
  return { value, seen, controller };
}

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as TeleportSignInError,
  );

describe('TeleportIssuer', () => {
  it('refuses a site that is not a Teleport site', async () => {
    const site = OidcCaSiteSchema.parse({
      name: 'oidc',
      kind: 'oidc-ca',
      oidc: { issuer: 'https://idp.example.org', clientId: 'x' },
      caUrl: 'https://ca.example.org',
      bastion: { host: 'bastion.example.org' },
    });
    const error = await errorOf(new TeleportIssuer().signIn(site, {}, interaction().value));
    expect(error.code).toBe('invalid-input');
  });

  it('refuses password login before starting a console login or a browser', async () => {
    const { site, proxy } = await start({ style: 'v16', authType: 'local' });
    const { value, seen } = interaction();
    const error = await errorOf(new TeleportIssuer().signIn(site, {}, value));
    expect(error.code).toBe('unsupported');
    expect(seen.opened).toEqual([]);
    expect(proxy.consoleCalls).toEqual([]);
  });

  it('does not open the browser when the proxy refuses the console request', async () => {
    const { site, proxy } = await start({ style: 'v17' }, 'other-connector');
    const { value, seen } = interaction();
    const error = await errorOf(new TeleportIssuer().signIn(site, {}, value));
    expect(error.code).toBe('http');
    expect(error.message).toMatch(/no oidc connector "other-connector"/);
    expect(proxy.pings).toEqual(['/webapi/ping/other-connector']);
    expect(seen.opened).toEqual([]);
  });

  it('sends split keys to a v17 proxy and reports an err= callback', async () => {
    const { site, proxy } = await start({ style: 'v17', suite: 'balanced-v1' });
    const { value, seen } = interaction(
      (redirect) => `${redirect}&err=${encodeURIComponent('no roles mapped')}`,
    );
    const error = await errorOf(new TeleportIssuer().signIn(site, {}, value));
    expect(error.message).toBe('Teleport reported a sign-in error: no roles mapped');
    expect(seen.opened).toHaveLength(1);
    const body = proxy.consoleCalls[0]?.body ?? {};
    expect(Buffer.from(String(body.ssh_pub_key), 'base64').toString()).toMatch(/^ssh-ed25519 /);
    expect(Buffer.from(String(body.tls_pub_key), 'base64').toString()).toMatch(/PUBLIC KEY/);
  });

  it('refuses a response whose certificate cannot be read', async () => {
    const { site } = await start({ style: 'v16' });
    const { value } = interaction((redirect) => {
      const url = new URL(redirect);
      const key = url.searchParams.get('secret_key') ?? '';
      url.search = new URLSearchParams({ response: seal(loginResponseJson(), key) }).toString();
      return url.href;
    });
    const error = await errorOf(new TeleportIssuer().signIn(site, {}, value));
    expect(error.code).toBe('callback');
    expect(error.message).toMatch(/SSH certificate that cannot be read; nothing was stored/);
  });

  it('times out when the browser never returns', async () => {
    const { site } = await start({ style: 'v17' });
    const error = await errorOf(
      new TeleportIssuer().signIn(site, { callbackTimeoutMs: 200 }, interaction().value),
    );
    expect(error.code).toBe('timeout');
  });
});
