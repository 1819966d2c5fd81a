/**
 * An in-memory SecretStore FOR UNIT TESTS ONLY. It forgets everything when the process exits, so
 * a vault built on it could never be read again. The production composition (openVault.ts)
 * never uses it: when the keychain is unavailable it falls back to the session-only vault, which
 * keeps no key at all.
 */
import type { SecretStore } from './secretStore';

export class MemorySecretStoreForTests implements SecretStore {
  private readonly secrets = new Map<string, Buffer>();

  get(account: string): Promise<Buffer | undefined> {
    const value = this.secrets.get(account);
    return Promise.resolve(value ? Buffer.from(value) : undefined);
  }

  set(account: string, value: Buffer): Promise<void> {
    this.secrets.set(account, Buffer.from(value));
    return Promise.resolve();
  }

  delete(account: string): Promise<boolean> {
    return Promise.resolve(this.secrets.delete(account));
  }

  describe(): string {
    return 'an in-memory test store';
  }
}
