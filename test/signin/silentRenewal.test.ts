/**
 * Silent renewal, end to end through the sign-in service: an OIDC + SSH CA site signs in once
 * through the (stand-in) browser with offline access; when its short certificate starts
 * expiring, the service renews it with the refresh token — new key, new certificate, no browser —
 * and says so in the status ("renewed automatically at …") and with a `renewed` alert.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcEvent } from '../../src/shared/contract';
import type { SiteStatus } from '../../src/shared/model/certificate';
import { parseCertificateLine } from '../../src/main/core/credentials/sshKeys';
import { Vault } from '../../src/main/core/credentials/vault';
import { MemorySecretStoreForTests } from '../../src/main/core/credentials/vault/memorySecretStore';
import { EventBus } from '../../src/main/core/events/bus';
import { SettingsStore } from '../../src/main/core/settings/store';
import { SignInService } from '../../src/main/core/signin';
import { OidcCaIssuer } from '../../src/main/core/signin/oidc';
import { visit } from '../support/browserStandIn';
import { nativeClient, startIdp, type Idp } from '../support/idp';
import { startStepCa, type StepCa } from '../support/stepCa';
import { requireTools } from '../support/tools';

const tools = requireTools(['ssh-keygen']);
const CLIENT_ID = 'onehop-renewal';

describe.skipIf(tools.skip)(`silent renewal with a refresh token${tools.marker}`, () => {
  let idp: Idp;
  let ca: StepCa;
  let dir: string;

  beforeAll(async () => {
    idp = await startIdp({ clients: [nativeClient(CLIENT_ID)] });
    ca = await startStepCa({ idpIssuer: idp.issuer, audience: CLIENT_ID });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-renewal-'));
  });
  afterAll(async () => {
    await ca?.close();
    await idp?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function setup(siteDir: string) {
    const settings = SettingsStore.open(siteDir);
    settings.update((draft) => {
      draft.sites.push({
        kind: 'oidc-ca',
        name: 'lab',
        hostPatterns: [],
        ssh: { keepaliveIntervalSeconds: 60, rsaSignatureAlgorithms: ['rsa-sha2-512'] },
        handoff: { enabled: true, mode: 'auto' },
        oidc: {
          issuer: idp.issuer,
          clientId: CLIENT_ID,
          redirectHost: '127.0.0.1',
          redirectPath: '/callback',
          allowOfflineAccess: true,
        },
        caUrl: ca.url,
      });
      draft.ui.expiryWarningMinutes = 1;
    });
    const vault = await Vault.open({
      dir: siteDir,
      mode: 'keychain',
      secretStore: new MemorySecretStoreForTests(),
    });
    const bus = new EventBus();
    const events: RpcEvent[] = [];
    bus.subscribe((event) => events.push(event));
    let browserVisits = 0;
    const service = new SignInService({
      settings,
      bus,
      issuers: { 'oidc-ca': new OidcCaIssuer() },
      openVault: () => Promise.resolve({ vault }),
      openUrl: async (url) => {
        browserVisits += 1;
        await visit(url, { timeoutMs: 15_000 });
      },
    });
    const renewed = () =>
      events.some(
        (e) => e.event === 'signin.alert' && (e.payload as { kind: string }).kind === 'renewed',
      );
    return { service, vault, events, renewed, visits: () => browserVisits };
  }

  it('renews an expiring certificate without the browser and shows when', async () => {
    const { service, vault, renewed: hasRenewed, visits } = await setup(dir);
    try {
      // 64 s of validity and "expiring" below 60 s: the renewal is due about 4 s from now.
      const { status } = await service.signIn('lab', { ttlMs: 64_000 });
      expect(status).toMatchObject({ state: 'valid', canRenewSilently: true });
      expect(visits()).toBe(1);
      const first = (await vault.get('lab'))!;
      const loginsBefore = idp.logins;

      await expect.poll(hasRenewed, { timeout: 20_000, interval: 250 }).toBe(true);

      const renewed = (await vault.get('lab'))!;
      expect(visits()).toBe(1); // no browser
      expect(idp.logins).toBe(loginsBefore); // no interactive IdP login either
      expect(renewed.privateKeyPem).not.toBe(first.privateKeyPem); // a new key pair
      const before = parseCertificateLine(first.certificate);
      const after = parseCertificateLine(renewed.certificate);
      expect(after.publicKey.blob.equals(before.publicKey.blob)).toBe(false);
      expect(after.validBefore!.getTime()).toBeGreaterThan(before.validBefore!.getTime());

      const [now] = (await service.statuses()) as [SiteStatus];
      expect(now.renewedAutomaticallyAt).toBe(renewed.extra?.renewedAutomaticallyAt);
      expect(now.renewedAutomaticallyAt).not.toBeNull();
    } finally {
      service.close();
    }
  });

  it('renews at once a certificate that is already expiring', async () => {
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-renewal-late-'));
    const { service, vault, renewed } = await setup(otherDir);
    try {
      // 50 s left with a 60 s threshold: expiring from the start, so no mark lies ahead.
      const { status } = await service.signIn('lab', { ttlMs: 50_000 });
      expect(status.state).toBe('expiring');
      const first = (await vault.get('lab'))!;
      await expect.poll(renewed, { timeout: 10_000, interval: 100 }).toBe(true);
      expect((await vault.get('lab'))!.certificate).not.toBe(first.certificate);
    } finally {
      service.close();
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
