/**
 * The sign-in service around an issuer: progress, storage guard, cancel, sign-out, the clock-driven
 * status changes and alerts, clock skew. The issuer here is a small test issuer that really
 * generates a key and has it signed by ssh-keygen; the Teleport and OIDC issuers have their own
 * end-to-end tests against the emulators.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RpcEvent } from '../../src/shared/contract';
import { ContractError } from '../../src/shared/contract';
import type { SiteStatus } from '../../src/shared/model/certificate';
import {
  generateKeyPair,
  parseCertificateLine,
  parsePrivateKey,
} from '../../src/main/core/credentials/sshKeys';
import { Vault } from '../../src/main/core/credentials/vault';
import { MemorySecretStoreForTests } from '../../src/main/core/credentials/vault/memorySecretStore';
import { EventBus } from '../../src/main/core/events/bus';
import { SettingsStore } from '../../src/main/core/settings/store';
import { SignInService, type Issuer, type SignInInteraction } from '../../src/main/core/signin';
import { generateKey, signUserKey, type KeyPair } from '../support/sshd';
import { requireTools } from '../support/tools';

const tools = requireTools(['ssh-keygen']);

interface Harness {
  service: SignInService;
  settings: SettingsStore;
  vault: Vault;
  events: RpcEvent[];
  opened: string[];
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-signin-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface TestIssuerOptions {
  validity?: string;
  principals?: string[];
  /** Sign another key than the one generated. */
  certifyOtherKey?: boolean;
  /** Wait for cancel instead of finishing. */
  hang?: boolean;
  clockSkewMs?: number;
}

function testIssuer(ca: KeyPair, options: TestIssuerOptions = {}): Issuer {
  return {
    kind: 'teleport',
    async signIn(_site, _opts, interaction: SignInInteraction) {
      interaction.onProgress('generating-keys');
      const key = await generateKeyPair({ type: 'ssh-ed25519', comment: 'alice' });
      const dir = tempDir();
      const certified = options.certifyOtherKey
        ? (await generateKeyPair({ type: 'ssh-ed25519' })).publicKeyLine
        : key.publicKeyLine;
      fs.writeFileSync(path.join(dir, 'user.pub'), `${certified}\n`);
      const url = 'https://idp.example.invalid/authorize?x=1';
      interaction.onProgress('waiting-for-browser', { url });
      await interaction.openBrowser(url);
      if (options.hang) {
        await new Promise((_resolve, reject) => {
          interaction.signal.addEventListener('abort', () =>
            reject(interaction.signal.reason as Error),
          );
        });
      }
      const cert = await signUserKey({
        ca,
        publicKeyPath: path.join(dir, 'user.pub'),
        principals: options.principals ?? ['alice', '-teleport-internal-join'],
        identity: 'alice@example.com',
        validity: options.validity ?? '+12h',
      });
      return {
        credentials: {
          issuer: 'teleport',
          username: 'alice@example.com',
          privateKeyPem: key.privateKeyPem,
          certificate: cert.certificate,
          hostSigners: [],
        },
        clockSkewMs: options.clockSkewMs,
      };
    },
  };
}

let ca: KeyPair;

async function harness(issuer: Issuer, expiryWarningMinutes = 60): Promise<Harness> {
  const dir = tempDir();
  const settings = SettingsStore.open(dir);
  settings.update((draft) => {
    draft.sites.push({
      kind: 'teleport',
      name: 'lab',
      proxy: { host: '127.0.0.1', webPort: 3080, sshPort: 3023 },
      hostPatterns: [],
      ssh: { keepaliveIntervalSeconds: 60, rsaSignatureAlgorithms: ['rsa-sha2-512'] },
      handoff: { enabled: true, mode: 'auto' },
    });
    draft.ui.expiryWarningMinutes = expiryWarningMinutes;
  });
  const vault = await Vault.open({
    dir,
    mode: 'keychain',
    secretStore: new MemorySecretStoreForTests(),
  });
  const bus = new EventBus();
  const events: RpcEvent[] = [];
  bus.subscribe((event) => events.push(event));
  const opened: string[] = [];
  const service = new SignInService({
    settings,
    bus,
    issuers: { teleport: issuer },
    openVault: () => Promise.resolve({ vault }),
    openUrl: (url) => {
      opened.push(url);
      return Promise.resolve();
    },
  });
  cleanups.push(() => service.close());
  return { service, settings, vault, events, opened };
}

function statusesOf(events: RpcEvent[]): SiteStatus[][] {
  return events
    .filter((e) => e.event === 'signin.status')
    .map((e) => (e.payload as { sites: SiteStatus[] }).sites);
}

describe.skipIf(tools.skip)(`sign-in service${tools.marker}`, () => {
  let caDir: string;
  beforeAll(async () => {
    // Lives for the whole file (tempDir() would be cleaned after the first test).
    caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-signin-ca-'));
    ca = await generateKey(caDir, 'ca');
  });
  afterAll(() => fs.rmSync(caDir, { recursive: true, force: true }));

  it('signs in, shows progress with the link, stores the credentials and reports the status', async () => {
    const h = await harness(testIssuer(ca));
    const { status, warnings } = await h.service.signIn('lab', {});

    expect(warnings).toEqual([]);
    expect(h.opened).toEqual(['https://idp.example.invalid/authorize?x=1']);
    const waiting = statusesOf(h.events).find(
      (s) => s[0]?.signingIn?.phase === 'waiting-for-browser',
    );
    expect(waiting?.[0]?.signingIn?.url).toBe('https://idp.example.invalid/authorize?x=1');

    expect(status).toMatchObject({
      site: 'lab',
      state: 'valid',
      user: 'alice@example.com',
      logins: ['alice'], // the Teleport-internal principal is hidden
      keyType: 'ssh-ed25519',
      signingIn: null,
      problem: null,
      permissions: { pty: true, portForwarding: true },
    });
    expect(status.remainingSeconds).toBeGreaterThan(11 * 3600);
    expect((await h.vault.get('lab'))?.username).toBe('alice@example.com');
  });

  it('stores nothing when the certificate is for another key, and says so', async () => {
    const h = await harness(testIssuer(ca, { certifyOtherKey: true }));
    const error = await h.service.signIn('lab', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).message).toMatch(
      /not for the key OneHop generated; nothing was stored/,
    );
    expect(await h.vault.get('lab')).toBeUndefined();
    const [status] = await h.service.statuses();
    expect(status).toMatchObject({
      state: 'signed-out',
      problem: expect.stringMatching(/nothing was stored/) as string,
    });
  });

  it('is cancelled at once, stores nothing, and refuses a second concurrent sign-in', async () => {
    const h = await harness(testIssuer(ca, { hang: true }));
    const first = h.service.signIn('lab', {});
    await expect
      .poll(() => statusesOf(h.events).at(-1)?.[0]?.signingIn?.phase)
      .toBe('waiting-for-browser');
    await expect(h.service.signIn('lab', {})).rejects.toThrow(/already in progress/);
    expect(h.service.cancel('lab')).toBe(true);
    await expect(first).rejects.toMatchObject({ code: 'cancelled', message: 'Sign-in cancelled.' });
    expect(await h.vault.get('lab')).toBeUndefined();
    const [status] = await h.service.statuses();
    expect(status).toMatchObject({ state: 'signed-out', signingIn: null, problem: null });
  });

  it('replaces the first credentials with the second sign-in as a whole', async () => {
    const h = await harness(testIssuer(ca, { principals: ['alice'] }));
    await h.service.signIn('lab', {});
    const first = (await h.vault.get('lab'))!;
    // Sign in again to the same site and vault, now granted one more login.
    const service = new SignInService({
      settings: h.settings,
      bus: new EventBus(),
      issuers: { teleport: testIssuer(ca, { principals: ['alice', 'hpcuser'] }) },
      openVault: () => Promise.resolve({ vault: h.vault }),
      openUrl: () => Promise.resolve(),
    });
    cleanups.push(() => service.close());
    const { status } = await service.signIn('lab', {});
    const replaced = (await h.vault.get('lab'))!;
    expect(status.logins).toEqual(['alice', 'hpcuser']);
    expect(replaced.privateKeyPem).not.toBe(first.privateKeyPem);
    expect(replaced.certificate).not.toBe(first.certificate);
    // Key and certificate belong together (never the new key with the old certificate).
    const cert = parseCertificateLine(replaced.certificate);
    expect(cert.publicKey.blob.equals(parsePrivateKey(replaced.privateKeyPem).publicKey.blob)).toBe(
      true,
    );
  });

  it('signs out by removing the site from the vault', async () => {
    const h = await harness(testIssuer(ca));
    await h.service.signIn('lab', {});
    const status = await h.service.signOut('lab');
    expect(status.state).toBe('signed-out');
    expect(await h.vault.get('lab')).toBeUndefined();
  });

  it('turns expiring, then expired, by the clock, with one alert each', async () => {
    // Valid for 4 s, and "expiring" means less than 1 minute left: expiring at once.
    const h = await harness(testIssuer(ca, { validity: '-1m:+4s' }), 1);
    const { status } = await h.service.signIn('lab', {});
    expect(status.state).toBe('expiring');
    await expect
      .poll(() => statusesOf(h.events).at(-1)?.[0]?.state, { timeout: 8000, interval: 200 })
      .toBe('expired');
    const alerts = h.events
      .filter((e) => e.event === 'signin.alert')
      .map((e) => e.payload as { kind: string });
    expect(alerts.map((a) => a.kind)).toEqual(['expired']);
  });

  it('warns about clock skew above two minutes', async () => {
    const h = await harness(testIssuer(ca, { clockSkewMs: 5 * 60 * 1000 }));
    const { warnings } = await h.service.signIn('lab', {});
    expect(warnings).toEqual([
      expect.stringMatching(/clock is about 5 min behind the sign-in server/),
    ]);
  });

  it('names an unknown site', async () => {
    const h = await harness(testIssuer(ca));
    await expect(h.service.signIn('nope', {})).rejects.toMatchObject({ code: 'not-found' });
  });
});
