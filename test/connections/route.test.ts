/**
 * Where a destination is reached: site choice, login, and the jump (the proxy's SSH address
 * learnt at sign-in, TLS routing, an OIDC bastion, direct hosts, the proxy itself as the via).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRoute } from '../../src/main/core/connections';
import type { SiteCredentials } from '../../src/main/core/credentials/vault';
import { SettingsSchema, type Settings } from '../../src/shared/model/settings';
import { generateKey, signUserKey } from '../support/sshd';
import { requireTools } from '../support/tools';

const tools = requireTools(['ssh-keygen']);

describe.skipIf(tools.skip)(`route resolution${tools.marker}`, () => {
  let dir = '';
  let credentials: SiteCredentials;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-route-'));
    const [ca, key] = await Promise.all([generateKey(dir, 'ca'), generateKey(dir, 'id')]);
    const cert = await signUserKey({
      ca,
      publicKeyPath: key.publicKeyPath,
      principals: ['-teleport-internal-join', 'alice', 'ops'],
    });
    credentials = {
      issuer: 'teleport',
      username: 'alice@example.org',
      privateKeyPem: readFileSync(key.privateKeyPath, 'utf8'),
      certificate: cert.certificate,
      obtainedAt: new Date().toISOString(),
      extra: { sshProxy: 'ssh.example.int:3023' },
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const settings = (extra: Partial<Settings> = {}): Settings =>
    SettingsSchema.parse({
      version: 1,
      sites: [
        {
          kind: 'teleport',
          name: 'hpc',
          proxy: { host: 'jump.example.int' },
          hostPatterns: ['hpc-*'],
        },
        {
          kind: 'oidc-ca',
          name: 'lab',
          oidc: { issuer: 'https://idp.example.int', clientId: 'x' },
          caUrl: 'https://ca.example.int',
          bastion: { host: 'bastion.lab.int', port: 2222 },
          hostPatterns: ['lab-*'],
        },
      ],
      hosts: [{ name: 'box', hostName: 'box.lab.int', site: 'lab', route: 'direct', login: 'ops' }],
      ...extra,
    });
  const lookup = (site: string) => Promise.resolve(site === 'nobody' ? undefined : credentials);

  it('picks the site by host pattern, the first real principal as login, and the learnt SSH proxy', async () => {
    const route = await resolveRoute(settings(), { hostName: 'hpc-login' }, lookup);
    expect(route.site?.name).toBe('hpc');
    expect(route.login).toBe('alice');
    expect(route.jump).toEqual({
      host: 'ssh.example.int',
      port: 3023,
      login: 'alice',
      tlsRouting: false,
    });
    expect(route.title).toBe('alice@hpc-login');
  });

  it("uses an OIDC site's bastion, and dials a direct host itself", async () => {
    const viaBastion = await resolveRoute(
      settings(),
      { hostName: 'lab-gpu1', login: 'ops', port: 2200 },
      lookup,
    );
    expect(viaBastion.jump).toMatchObject({ host: 'bastion.lab.int', port: 2222, login: 'ops' });
    const direct = await resolveRoute(settings(), { host: 'box' }, lookup);
    expect(direct).toMatchObject({
      host: 'box.lab.int',
      login: 'ops',
      jump: undefined,
      savedHost: 'box',
    });
  });

  it('does not jump through the proxy to the proxy itself', async () => {
    const route = await resolveRoute(
      settings(),
      { hostName: 'ssh.example.int', port: 3023, site: 'hpc' },
      lookup,
    );
    expect(route.jump).toBeUndefined();
  });

  it('names what is missing: an ambiguous site, no sign-in, an unknown saved host', async () => {
    await expect(resolveRoute(settings(), { hostName: 'elsewhere' }, lookup)).rejects.toThrow(
      /could belong to more than one site \(hpc, lab\); say which with --site/,
    );
    await expect(resolveRoute(settings({ sites: [] }), { hostName: 'x' }, lookup)).rejects.toThrow(
      /No site is set up yet/,
    );
    await expect(resolveRoute(settings(), { host: 'nope' }, lookup)).rejects.toThrow(
      /no saved host named "nope"/,
    );
    const none = () => Promise.resolve(undefined);
    await expect(resolveRoute(settings(), { hostName: 'hpc-login' }, none)).rejects.toMatchObject({
      code: 'not-signed-in',
    });
  });
});
