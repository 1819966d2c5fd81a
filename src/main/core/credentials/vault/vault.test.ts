import { generateKeyPairSync } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InvalidCredentialsError,
  VaultCorruptError,
  VaultKeyMissingError,
  VaultWriteError,
} from './errors';
import { sealVaultFile } from './format';
import { MemorySecretStoreForTests } from './memorySecretStore';
import type { SiteCredentials } from './model';
import { VAULT_FILE, Vault, vaultKeyAccount, type VaultFs } from './vault';

const posix = process.platform !== 'win32';

function credentials(
  username = 'alice',
  overrides: Partial<SiteCredentials> = {},
): SiteCredentials {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    issuer: 'teleport',
    username,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificate:
      'ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQG9wZW5zc2guY29t',
    tlsCertificatePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    hostSigners: [{ clusterName: 'hpc', checkingKeys: ['ssh-ed25519 AAAAC3Nz'], tlsCerts: [] }],
    refreshToken: 'refresh-token-value',
    obtainedAt: '2025-01-02T03:04:05.000Z',
    extra: { connector: 'keycloak' },
    ...overrides,
  };
}

let dir: string;
let store: MemorySecretStoreForTests;
const file = () => path.join(dir, VAULT_FILE);
const open = (extra: { fs?: VaultFs } = {}) =>
  Vault.open({ dir, mode: 'keychain', secretStore: store, ...extra });

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'onehop-vault-'));
  store = new MemorySecretStoreForTests();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Vault (keychain mode, in-memory test store)', () => {
  it('round-trips credentials through the encrypted file and a second instance', async () => {
    const vault = await open();
    const creds = credentials();
    await vault.put('ecmwf', creds);
    expect(await vault.get('ecmwf')).toEqual(creds);

    const again = await open();
    expect(await again.list()).toEqual(['ecmwf']);
    expect(await again.get('ecmwf')).toEqual(creds);
    expect(await again.get('other')).toBeUndefined();

    const raw = await readFile(file());
    expect(raw.subarray(0, 4).toString('latin1')).toBe('OHV1');
    expect(raw.includes(Buffer.from('refresh-token-value'))).toBe(false);
    expect(raw.includes(Buffer.from('PRIVATE KEY'))).toBe(false);
  });

  it('creates one 32-byte key per data directory, on first open', async () => {
    await open();
    const key = await store.get(vaultKeyAccount(dir));
    expect(key?.length).toBe(32);
    expect(vaultKeyAccount(dir)).toMatch(/^vault-key:[0-9a-f]{16}$/);
    expect(vaultKeyAccount(path.join(dir, 'other'))).not.toBe(vaultKeyAccount(dir));
  });

  it('replaces a whole record on a second put', async () => {
    const vault = await open();
    await vault.put('ecmwf', credentials('alice'));
    const second = credentials('bob', { refreshToken: undefined, extra: undefined });
    delete second.refreshToken;
    delete second.extra;
    await vault.put('ecmwf', second);
    const stored = await vault.get('ecmwf');
    expect(stored).toEqual(second);
    expect(stored).not.toHaveProperty('refreshToken');
  });

  it('keeps the old file byte-identical when the rename fails (a crash mid-write)', async () => {
    const vault = await open();
    await vault.put('ecmwf', credentials('alice'));
    const before = await readFile(file());

    const crashing: VaultFs = {
      ...nodeFs,
      rename: () =>
        Promise.reject(Object.assign(new Error('EIO: simulated crash'), { code: 'EIO' })),
    };
    const broken = await open({ fs: crashing });
    await expect(broken.put('ecmwf', credentials('mallory'))).rejects.toBeInstanceOf(
      VaultWriteError,
    );
    await expect(broken.put('ecmwf', credentials('mallory'))).rejects.toThrow(
      /previously stored credentials are unchanged/,
    );

    expect((await readFile(file())).equals(before)).toBe(true);
    expect(await (await open()).get('ecmwf')).toMatchObject({ username: 'alice' });
    // No temp file is left behind either.
    expect(await readdir(dir)).toEqual([VAULT_FILE]);
  });

  it('keeps the old file when writing the temp file fails', async () => {
    const vault = await open();
    await vault.put('ecmwf', credentials('alice'));
    const before = await readFile(file());
    const failing: VaultFs = {
      ...nodeFs,
      open: async (...args: Parameters<typeof nodeFs.open>) => {
        const handle = await nodeFs.open(...args);
        if (String(args[0]).endsWith('.tmp')) {
          handle.sync = () => Promise.reject(new Error('ENOSPC: no space left on device'));
        }
        return handle;
      },
    };
    const broken = await open({ fs: failing });
    await expect(broken.put('ecmwf', credentials('mallory'))).rejects.toThrow(/ENOSPC/);
    expect((await readFile(file())).equals(before)).toBe(true);
    expect(await readdir(dir)).toEqual([VAULT_FILE]);
  });

  it('rejects a file with one tampered byte, naming the file', async () => {
    const vault = await open();
    await vault.put('ecmwf', credentials());
    const raw = await readFile(file());
    const at = raw.length - 20;
    raw.writeUInt8(raw.readUInt8(at) ^ 0x01, at);
    await writeFile(file(), raw);
    const error = await open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultCorruptError);
    expect((error as VaultCorruptError).file).toBe(file());
    expect((error as Error).message).toContain(file());
    expect((error as Error).message).toMatch(/wrong key or tampered/);
    // An already open vault sees the tampering on its next read.
    await expect(vault.get('ecmwf')).rejects.toBeInstanceOf(VaultCorruptError);
  });

  it('rejects a header taken from another vault file (the header is authenticated)', async () => {
    const vault = await open();
    await vault.put('ecmwf', credentials('alice'));
    const first = await readFile(file());
    await vault.put('ecmwf', credentials('bob'));
    const second = await readFile(file());
    await writeFile(file(), Buffer.concat([first.subarray(0, 16), second.subarray(16)]));
    await expect(open()).rejects.toBeInstanceOf(VaultCorruptError);
  });

  it('rejects a changed version magic', async () => {
    const vault = await open();
    await vault.put('ecmwf', credentials());
    const raw = await readFile(file());
    raw.write('OHV2', 0, 'latin1');
    await writeFile(file(), raw);
    await expect(open()).rejects.toThrow(/format OHV2, written by a newer OneHop/);
  });

  it('rejects a file encrypted with another key', async () => {
    const vault = await open();
    await vault.put('ecmwf', credentials());
    await store.set(vaultKeyAccount(dir), Buffer.alloc(32, 7));
    await expect(open()).rejects.toBeInstanceOf(VaultCorruptError);
  });

  it('rejects a truncated file', async () => {
    await writeFile(file(), Buffer.from('OHV1short'));
    await store.set(vaultKeyAccount(dir), Buffer.alloc(32, 1));
    await expect(open()).rejects.toThrow(/truncated/);
  });

  it('rejects malformed records inside a correctly encrypted file', async () => {
    const key = Buffer.alloc(32, 3);
    await store.set(vaultKeyAccount(dir), key);
    const bad = { ecmwf: { ...credentials(), certificate: 'not a certificate' } };
    await writeFile(file(), sealVaultFile(key, Buffer.from(JSON.stringify(bad))), { mode: 0o600 });
    await expect(open()).rejects.toThrow(/malformed: "ecmwf.certificate"/);

    await writeFile(file(), sealVaultFile(key, Buffer.from('{not json')), { mode: 0o600 });
    await expect(open()).rejects.toThrow(/not JSON/);
  });

  it('refuses to store malformed credentials and invalid site names', async () => {
    const vault = await open();
    const cases: Array<[string, unknown]> = [
      ['ecmwf', { ...credentials(), issuer: 'kerberos' }],
      ['ecmwf', { ...credentials(), username: '' }],
      ['ecmwf', { ...credentials(), privateKeyPem: 'hello' }],
      ['ecmwf', { ...credentials(), obtainedAt: 'yesterday' }],
      ['ecmwf', { ...credentials(), hostSigners: [{ clusterName: 'x' }] }],
      ['ecmwf', { ...credentials(), extra: { n: 1 } }],
      ['bad name', credentials()],
      ['', credentials()],
    ];
    for (const [site, record] of cases) {
      await expect(vault.put(site, record as SiteCredentials)).rejects.toBeInstanceOf(
        InvalidCredentialsError,
      );
    }
    await expect(vault.put('ecmwf', { ...credentials(), username: '' })).rejects.toThrow(
      /Refusing to store malformed credentials for "ecmwf": "username"/,
    );
    expect(await vault.list()).toEqual([]);
  });

  it.skipIf(!posix)('writes the file with mode 0600 even under umask 000', async () => {
    const previous = process.umask(0);
    try {
      const vault = await open();
      await vault.put('ecmwf', credentials());
      expect((await stat(file())).mode & 0o777).toBe(0o600);
      await vault.put('other', credentials());
      expect((await stat(file())).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it.skipIf(!posix)('tightens a vault file found with a loose mode', async () => {
    const vault = await open();
    await vault.put('ecmwf', credentials());
    await nodeFs.chmod(file(), 0o644);
    await open();
    expect((await stat(file())).mode & 0o777).toBe(0o600);
  });

  it('removes one site (sign-out) and clears all', async () => {
    const vault = await open();
    await vault.put('ecmwf', credentials());
    await vault.put('dkrz', credentials('bob'));
    expect(await vault.remove('ecmwf')).toBe(true);
    expect(await vault.remove('ecmwf')).toBe(false);
    expect(await (await open()).list()).toEqual(['dkrz']);
    await vault.clear();
    expect(await (await open()).list()).toEqual([]);
  });

  it('serialises concurrent puts in one process', async () => {
    const vault = await open();
    await Promise.all(['a1', 'a2', 'a3', 'a4'].map((site) => vault.put(site, credentials(site))));
    expect(await (await open()).list()).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('reports a missing key plainly and resets by moving the file aside', async () => {
    const vault = await open();
    await vault.put('ecmwf', credentials());
    const before = await readFile(file());
    await store.delete(vaultKeyAccount(dir));

    const error = await open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultKeyMissingError);
    expect((error as Error).message).toMatch(
      /^The vault key is missing from the keychain; the stored credentials cannot be read — sign in again/,
    );

    const now = () => new Date('2025-03-04T05:06:07.890Z');
    const aside = await Vault.reset({ dir, now });
    expect(aside).toBe(`${file()}.unreadable-2025-03-04T05-06-07-890Z`);
    expect((await readFile(aside ?? '')).equals(before)).toBe(true);

    const fresh = await open();
    expect(await fresh.list()).toEqual([]);
    await fresh.put('ecmwf', credentials());
    expect(await Vault.reset({ dir: path.join(dir, 'nowhere') })).toBeUndefined();
  });

  it('removes temp files left by a crash long ago, not fresh ones', async () => {
    await open();
    const stale = path.join(dir, '.vault.bin.abcdef.tmp');
    const fresh = path.join(dir, '.vault.bin.123456.tmp');
    await writeFile(stale, 'x');
    await writeFile(fresh, 'y');
    const old = new Date(Date.now() - 60 * 60_000);
    await nodeFs.utimes(stale, old, old);
    await open();
    expect((await readdir(dir)).sort()).toEqual(['.vault.bin.123456.tmp']);
  });

  it('describes where the credentials are kept', async () => {
    const vault = await open();
    expect(vault.describe()).toBe(
      `Credentials are encrypted in ${file()}, key in an in-memory test store.`,
    );
  });
});

describe('Vault (session-only mode)', () => {
  it('keeps everything in memory and writes nothing to disk', async () => {
    const target = path.join(dir, 'data');
    const vault = await Vault.open({ dir: target, mode: 'session-only' });
    const creds = credentials();
    await vault.put('ecmwf', creds);
    expect(await vault.get('ecmwf')).toEqual(creds);
    expect(await vault.list()).toEqual(['ecmwf']);
    expect(await vault.remove('ecmwf')).toBe(true);
    await vault.put('dkrz', creds);
    await vault.clear();
    expect(await vault.list()).toEqual([]);
    expect(vault.file).toBeUndefined();
    expect(vault.describe()).toMatch(/in memory until OneHop quits/);
    // Not even the directory was created.
    expect(await readdir(dir)).toEqual([]);
    expect(await store.get(vaultKeyAccount(target))).toBeUndefined();
  });

  it('hands out copies, so callers cannot change stored credentials by mutation', async () => {
    const vault = await Vault.open({ dir, mode: 'session-only' });
    const creds = credentials();
    await vault.put('ecmwf', creds);
    creds.username = 'changed';
    const stored = await vault.get('ecmwf');
    expect(stored?.username).toBe('alice');
    if (stored) stored.username = 'changed again';
    expect((await vault.get('ecmwf'))?.username).toBe('alice');
  });

  it('validates records like the keychain mode', async () => {
    const vault = await Vault.open({ dir, mode: 'session-only' });
    await expect(vault.put('ecmwf', { ...credentials(), certificate: 'x' })).rejects.toBeInstanceOf(
      InvalidCredentialsError,
    );
  });
});
