import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecretStoreForTests } from './memorySecretStore';
import { openVault } from './openVault';
import { KeychainUnavailableError, type SecretStore } from './secretStore';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'onehop-openvault-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function failingStore(error: Error): SecretStore {
  return {
    get: () => Promise.reject(error),
    set: () => Promise.reject(error),
    delete: () => Promise.reject(error),
    describe: () => 'a broken keychain',
  };
}

describe('openVault', () => {
  it('uses the keychain when it works', async () => {
    const { vault, warning } = await openVault({
      dir,
      secretStore: new MemorySecretStoreForTests(),
    });
    expect(vault.mode).toBe('keychain');
    expect(warning).toBeUndefined();
  });

  it('falls back to a session-only vault with a plain warning when the keychain is unavailable', async () => {
    const unavailable = new KeychainUnavailableError(
      'locked',
      'The keychain is locked and could not be unlocked; unlock your login keyring and try again.',
    );
    const { vault, warning, keychainError } = await openVault({
      dir,
      secretStore: failingStore(unavailable),
    });
    expect(vault.mode).toBe('session-only');
    expect(keychainError).toBe(unavailable);
    expect(warning).toMatch(/^The keychain is locked/);
    expect(warning).toMatch(/credentials will be kept in memory until OneHop quits/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('does not hide other failures behind the session-only mode', async () => {
    await expect(openVault({ dir, secretStore: failingStore(new Error('bug')) })).rejects.toThrow(
      'bug',
    );
  });
});
