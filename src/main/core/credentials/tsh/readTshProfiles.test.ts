import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTools } from '../../../../../test/support/tools';
import { parsePrivateKey } from '../sshKeys';
import { SiteCredentialsSchema } from '../vault/model';
import {
  defaultTshHome,
  parseAddress,
  readTshProfiles,
  type TshProfile,
  type TshProfileProblem,
  type TshProfileReady,
} from './readTshProfiles';
import {
  knownHostsLine,
  signUser,
  snapshotTree,
  sshKey,
  tlsCertificate,
  writeTree,
  type KeyFiles,
} from './tshHome.testkit';

const tools = requireTools(['ssh-keygen', 'openssl']);

function profileYaml(web: string, user: string, cluster: string, extra = ''): string {
  // The keys tsh (yaml.v2) writes, in its order (teleport-sso.md §6).
  const host = web.split(':')[0] ?? web;
  return [
    `web_proxy_addr: ${web}`,
    `ssh_proxy_addr: ${host}:3023`,
    `kube_proxy_addr: ${host}:3026`,
    `user: ${user}`,
    `cluster: ${cluster}`,
    'tls_routing_enabled: false',
    'tls_routing_conn_upgrade_required: false',
    'load_all_cas: false',
    'mfa_mode: ""',
    'private_key_policy: none',
    'piv_slot: ""',
    'saml_slo_enabled: false',
    'ssh_dial_timeout: 30s',
    extra,
  ].join('\n');
}

function ready(profiles: TshProfile[], name: string): TshProfileReady {
  const profile = profiles.find((p) => p.name === name);
  if (!profile?.ok) {
    throw new Error(`expected ${name} to be ready: ${profile ? profile.error : 'absent'}`);
  }
  return profile;
}

function problem(profiles: TshProfile[], name: string): TshProfileProblem {
  const profile = profiles.find((p) => p.name === name);
  if (!profile || profile.ok) throw new Error(`expected ${name} to be a problem`);
  return profile;
}

describe('parseAddress and defaultTshHome', () => {
  it('reads host:port, [v6]:port and a bare host', () => {
    expect(parseAddress('jump.example.int:443', 3080)).toEqual({
      host: 'jump.example.int',
      port: 443,
    });
    expect(parseAddress('[::1]:3023', 1)).toEqual({ host: '::1', port: 3023 });
    expect(parseAddress('jump', 443)).toEqual({ host: 'jump', port: 443 });
    expect(parseAddress('', 443)).toBeUndefined();
    expect(parseAddress('a:99999', 443)).toBeUndefined();
  });

  it('honours TELEPORT_HOME as the directory itself, else ~/.tsh', () => {
    expect(defaultTshHome({ TELEPORT_HOME: '/srv/tsh' })).toBe('/srv/tsh');
    expect(defaultTshHome({})).toBe(path.join(os.homedir(), '.tsh'));
  });
});

describe('readTshProfiles without a tsh directory', () => {
  it('returns an empty list when the directory does not exist', async () => {
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'onehop-tsh-none-'));
    try {
      await expect(readTshProfiles(path.join(scratch, '.tsh'))).resolves.toEqual([]);
      expect(await snapshotTree(scratch)).toEqual({ '.': expect.any(String) as string });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});

describe.skipIf(tools.skip)(`readTshProfiles on ssh-keygen fixtures${tools.marker}`, () => {
  let scratch: string;
  let goodHome: string;
  let badHome: string;
  let userCa: KeyFiles;
  let hostCa16: KeyFiles;
  let hostCa17: KeyFiles;
  let leafCa17: KeyFiles;
  let rsa16: KeyFiles;
  let ed17: KeyFiles;
  let cert16: string;
  let cert17: string;
  let goodBefore: Record<string, string>;
  let badBefore: Record<string, string>;
  let good: TshProfile[];
  let bad: TshProfile[];

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'onehop-tsh-'));
    const keys = path.join(scratch, 'keys');
    await writeTree(keys, { '.keep': '' });
    goodHome = path.join(scratch, 'good', '.tsh');
    badHome = path.join(scratch, 'bad', '.tsh');

    [userCa, hostCa16, hostCa17, leafCa17] = await Promise.all([
      sshKey(keys, 'user-ca', 'ed25519'),
      sshKey(keys, 'host-ca-16', 'rsa'),
      sshKey(keys, 'host-ca-17', 'ed25519'),
      sshKey(keys, 'leaf-ca-17', 'ecdsa'),
    ]);
    const principals = ['alice', 'root', '-teleport-internal-join'];

    // tsh ≤ 16: one RSA key (PKCS#1) for SSH and TLS, TLS cert in -x509.pem, CAs in certs.pem.
    rsa16 = await sshKey(keys, 'rsa16', 'rsa', { format: 'pem' });
    cert16 = await signUser(userCa, rsa16, { keyId: 'alice@example.com', principals });
    const keys16 = 'keys/proxy16.example.test';
    // tsh ≥ 17 (balanced-v1): Ed25519 SSH key in OpenSSH format, separate ECDSA TLS key (.key).
    ed17 = await sshKey(keys, 'ed17', 'ed25519');
    const tlsKey17 = await sshKey(keys, 'tls17', 'ecdsa', { format: 'pkcs8' });
    cert17 = await signUser(userCa, ed17, { keyId: 'bob', principals: ['bob'] });
    const keys17 = 'keys/proxy17.example.test';
    const [tlsCa16, tlsUser16, tlsCa17, tlsLeaf17, tlsUser17] = await Promise.all([
      tlsCertificate(keys, 'cluster16'),
      tlsCertificate(keys, 'alice@example.com'),
      tlsCertificate(keys, 'cluster17'),
      tlsCertificate(keys, 'leaf17'),
      tlsCertificate(keys, 'bob'),
    ]);

    await writeTree(goodHome, {
      'current-profile': 'proxy17.example.test\n',
      'proxy16.example.test.yaml': profileYaml(
        'proxy16.example.test:443',
        'alice@example.com',
        'cluster16',
        'auth_connector: keycloak\n',
      ),
      'proxy17.example.test.yaml': profileYaml('proxy17.example.test:3080', 'bob', 'cluster17'),
      known_hosts: [
        knownHostsLine('proxy16.example.test', 'cluster16', hostCa16.publicKey),
        knownHostsLine('proxy17.example.test', 'cluster17', hostCa17.publicKey),
        knownHostsLine('proxy17.example.test', 'leaf17', leafCa17.publicKey),
        knownHostsLine('other.example.test', 'other', userCa.publicKey),
        'plain.example.test ssh-ed25519 AAAAbroken\n',
      ].join(''),
      'config/config.yaml': 'not: a profile\n',
      [`${keys16}/alice@example.com`]: rsa16.privateKey,
      [`${keys16}/alice@example.com.pub`]: rsa16.publicKey,
      [`${keys16}/alice@example.com-x509.pem`]: tlsUser16,
      [`${keys16}/alice@example.com-ssh/cluster16-cert.pub`]: cert16,
      [`${keys16}/certs.pem`]: tlsCa16,
      [`${keys17}/bob`]: ed17.privateKey,
      [`${keys17}/bob.pub`]: ed17.publicKey,
      [`${keys17}/bob.key`]: tlsKey17.privateKey,
      [`${keys17}/bob.crt`]: tlsUser17,
      [`${keys17}/bob-ssh/cluster17-cert.pub`]: cert17,
      [`${keys17}/cas/cluster17.pem`]: tlsCa17,
      [`${keys17}/cas/leaf17.pem`]: tlsLeaf17,
    });

    // One home with a broken profile of each kind beside two usable ones.
    const expiredKey = await sshKey(keys, 'expired', 'ed25519');
    const expiredCert = await signUser(userCa, expiredKey, {
      keyId: 'carol',
      principals: ['carol'],
      validity: '20200101:20200102',
    });
    const otherKey = await sshKey(keys, 'other', 'ed25519');
    const otherCert = await signUser(userCa, otherKey, { keyId: 'dave', principals: ['dave'] });
    const lockedKey = await sshKey(keys, 'locked', 'ed25519', { passphrase: 'secret phrase' });
    const legacyKey = await sshKey(keys, 'legacy', 'rsa', { format: 'pem' });
    const legacyCert = await signUser(userCa, legacyKey, { keyId: 'gina', principals: ['gina'] });
    const profiles: Record<string, string> = {};
    for (const [host, user] of [
      ['expired', 'carol'],
      ['mismatch', 'dave'],
      ['missingcert', 'erin'],
      ['locked', 'frank'],
      ['hardware', 'hana'],
      ['legacy17', 'gina'],
      ['nokey', 'ivan'],
    ] as const) {
      profiles[`${host}.example.test.yaml`] = profileYaml(`${host}.example.test:443`, user, 'c1');
    }
    await writeTree(badHome, {
      ...profiles,
      'broken.yaml': 'user: nobody\ncluster: c1\n',
      'keys/expired.example.test/carol': expiredKey.privateKey,
      'keys/expired.example.test/carol-ssh/c1-cert.pub': expiredCert,
      'keys/mismatch.example.test/dave': ed17.privateKey,
      'keys/mismatch.example.test/dave-ssh/c1-cert.pub': otherCert,
      'keys/missingcert.example.test/erin': otherKey.privateKey,
      'keys/nokey.example.test/ivan-ssh/c1-cert.pub': otherCert,
      'keys/locked.example.test/frank': lockedKey.privateKey,
      'keys/locked.example.test/frank-ssh/c1-cert.pub': otherCert,
      'keys/hardware.example.test/hana':
        '-----BEGIN PIV YUBIKEY PRIVATE KEY-----\nAAAA\n-----END PIV YUBIKEY PRIVATE KEY-----\n',
      'keys/hardware.example.test/hana-ssh/c1-cert.pub': otherCert,
      // v17 with the legacy suite, `<user>` gone: the same RSA key as `<user>.key` stands in.
      'keys/legacy17.example.test/gina.key': legacyKey.privateKey,
      'keys/legacy17.example.test/gina.pub': legacyKey.publicKey,
      'keys/legacy17.example.test/gina-ssh/c1-cert.pub': legacyCert,
    });

    // Make every mtime distinguishable from "now", so a touch would show.
    await new Promise((resolve) => setTimeout(resolve, 20));
    goodBefore = await snapshotTree(goodHome);
    badBefore = await snapshotTree(badHome);
    good = await readTshProfiles(goodHome);
    bad = await readTshProfiles(badHome);
  }, 60_000);

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('leaves both tsh directories byte-identical, mtimes included', async () => {
    expect(await snapshotTree(goodHome)).toEqual(goodBefore);
    expect(await snapshotTree(badHome)).toEqual(badBefore);
    expect(Object.keys(goodBefore)).toContain('keys/proxy17.example.test/cas/leaf17.pem');
  });

  it('lists one profile per <proxy>.yaml and marks the current-profile', () => {
    expect(good.map((p) => [p.name, p.isCurrent, p.ok])).toEqual([
      ['proxy16.example.test', false, true],
      ['proxy17.example.test', true, true],
    ]);
  });

  it('reads the ≤ 16 layout: PKCS#1 RSA key, -x509.pem, certs.pem, known_hosts', () => {
    const p = ready(good, 'proxy16.example.test');
    expect(p).toMatchObject({
      layout: 'v16',
      proxy: { host: 'proxy16.example.test', webPort: 443 },
      sshProxy: { host: 'proxy16.example.test', port: 3023 },
      username: 'alice@example.com',
      cluster: 'cluster16',
      certificate: {
        keyId: 'alice@example.com',
        principals: ['alice', 'root', '-teleport-internal-join'],
        keyType: 'ssh-rsa',
      },
    });
    const c = p.credentials;
    expect(SiteCredentialsSchema.parse(c)).toEqual(c);
    expect(c.issuer).toBe('tsh');
    expect(c.certificate).toBe(cert16.trim().split(' ').slice(0, 2).join(' '));
    expect(parsePrivateKey(c.privateKeyPem).publicKey.blob).toEqual(
      parsePrivateKey(rsa16.privateKey).publicKey.blob,
    );
    expect(c.tlsCertificatePem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(c.hostSigners).toEqual([
      {
        clusterName: 'cluster16',
        checkingKeys: [hostCa16.publicKey.trim().split(' ').slice(0, 2).join(' ')],
        tlsCerts: [expect.stringMatching(/^-----BEGIN CERTIFICATE-----/) as string],
      },
    ]);
    expect(p.files.tlsCertificate).toMatch(/alice@example\.com-x509\.pem$/);
  });

  it('reads the ≥ 17 layout: OpenSSH Ed25519 key, .crt, cas/, leaf cluster CAs', () => {
    const p = ready(good, 'proxy17.example.test');
    expect(p).toMatchObject({
      layout: 'v17',
      proxy: { host: 'proxy17.example.test', webPort: 3080 },
      username: 'bob',
      cluster: 'cluster17',
      certificate: { principals: ['bob'], keyType: 'ssh-ed25519' },
    });
    const before = Date.parse(p.certificate.validBefore ?? '');
    expect(before - Date.now()).toBeGreaterThan(11 * 3600_000);
    expect(p.credentials.certificate).toBe(cert17.trim().split(' ').slice(0, 2).join(' '));
    expect(p.files.privateKey).toMatch(/\/bob$/);
    expect(p.files.tlsCertificate).toMatch(/\/bob\.crt$/);
    const signers = p.credentials.hostSigners ?? [];
    expect(signers.map((s) => [s.clusterName, s.checkingKeys.length, s.tlsCerts.length])).toEqual([
      ['cluster17', 1, 1],
      ['leaf17', 1, 1],
    ]);
    expect(signers[1]?.checkingKeys[0]).toMatch(/^ecdsa-sha2-nistp256 /);
    expect(p.credentials.obtainedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('imports an expired certificate and reports its dates', () => {
    const p = ready(bad, 'expired.example.test');
    expect(p.certificate.validBefore).toMatch(/^2020-01-0[12]T/);
    expect(Date.parse(p.certificate.validBefore ?? '')).toBeLessThan(Date.now());
  });

  it('uses <user>.key when <user> is missing and it is the certified key (v17, legacy)', () => {
    const p = ready(bad, 'legacy17.example.test');
    expect(p.layout).toBe('v17');
    expect(p.files.privateKey).toMatch(/gina\.key$/);
    expect(p.certificate.keyType).toBe('ssh-rsa');
  });

  it('reports each broken profile plainly without failing the others', () => {
    expect(bad).toHaveLength(8);
    expect(problem(bad, 'nokey.example.test').error).toMatch(
      /keys\/nokey\.example\.test\/ivan is missing; run tsh login again\.$/,
    );
    expect(problem(bad, 'mismatch.example.test').error).toMatch(
      /^The certificate .*dave-ssh\/c1-cert\.pub does not belong to the key .*\/dave; run tsh login again\.$/,
    );
    expect(problem(bad, 'missingcert.example.test').error).toMatch(
      /keys\/missingcert\.example\.test\/erin-ssh\/c1-cert\.pub is missing; run tsh login --proxy=missingcert\.example\.test again\.$/,
    );
    expect(problem(bad, 'locked.example.test').error).toMatch(
      /frank is protected by a passphrase; OneHop cannot use it/,
    );
    expect(problem(bad, 'hardware.example.test').error).toMatch(
      /hana lives on a hardware key \(PIV\/YubiKey\); OneHop cannot use it/,
    );
    expect(problem(bad, 'broken').error).toMatch(/broken\.yaml has no valid web_proxy_addr/);
    // No current-profile file: nothing is current, as tsh status says "not logged in".
    expect(bad.every((p) => !p.isCurrent)).toBe(true);
  });

  it('reads $TELEPORT_HOME-style homes whose current-profile names a missing profile', async () => {
    const home = path.join(scratch, 'stale', '.tsh');
    await writeTree(home, {
      'current-profile': 'gone.example.test\n',
      'proxy17.example.test.yaml': profileYaml('proxy17.example.test:443', 'bob', 'cluster17'),
      'keys/proxy17.example.test/bob': ed17.privateKey,
      'keys/proxy17.example.test/bob-ssh/cluster17-cert.pub': cert17,
    });
    const profiles = await readTshProfiles(home);
    expect(profiles.map((p) => [p.name, p.isCurrent, p.ok])).toEqual([
      ['proxy17.example.test', false, true],
    ]);
    expect(ready(profiles, 'proxy17.example.test').layout).toBe('v16');
  });

  it('finds the certificate when the profile names no cluster', async () => {
    const home = path.join(scratch, 'nocluster', '.tsh');
    await writeTree(home, {
      'p.example.test.yaml': 'web_proxy_addr: p.example.test:443\nuser: bob\n',
      'keys/p.example.test/bob': ed17.privateKey,
      'keys/p.example.test/bob-ssh/cluster17-cert.pub': cert17,
    });
    await writeFile(path.join(home, 'current-profile'), 'p.example.test');
    const [profile] = await readTshProfiles(home);
    expect(profile).toMatchObject({ ok: true, cluster: 'cluster17', isCurrent: true });
  });
});
