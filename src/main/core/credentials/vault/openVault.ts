/**
 * The production composition, used by every host: the OS keychain when it works, otherwise a
 * session-only vault and a plain warning to show the user. It never picks the in-memory test
 * store: without a keychain there is no key to keep, so nothing goes to disk at all.
 */
import { createKeyringSecretStore, type KeyringSecretStoreOptions } from './keyringSecretStore';
import { KeychainUnavailableError, type SecretStore } from './secretStore';
import { Vault, type VaultFs } from './vault';

export interface OpenVaultOptions {
  dir: string;
  /** Options for the keychain store (service name, timeout). */
  keyring?: KeyringSecretStoreOptions;
  /** Replaces the keychain store; integration tests of hosts only. */
  secretStore?: SecretStore;
  fs?: VaultFs;
}

export interface OpenedVault {
  vault: Vault;
  /** Set when the keychain is unavailable and the vault is session-only: show it to the user. */
  warning?: string;
  /** Why the keychain is unavailable, for programs. */
  keychainError?: KeychainUnavailableError;
}

/**
 * Opens the vault of a data directory. VaultKeyMissingError and VaultCorruptError pass through:
 * the host explains them and offers Vault.reset({ dir }) before opening again.
 */
export async function openVault(options: OpenVaultOptions): Promise<OpenedVault> {
  try {
    const secretStore = options.secretStore ?? (await createKeyringSecretStore(options.keyring));
    const vault = await Vault.open({
      dir: options.dir,
      mode: 'keychain',
      secretStore,
      ...(options.fs ? { fs: options.fs } : {}),
    });
    return { vault };
  } catch (error) {
    if (!(error instanceof KeychainUnavailableError)) throw error;
    const vault = await Vault.open({ dir: options.dir, mode: 'session-only' });
    return {
      vault,
      warning: `${error.message} Until then, credentials will be kept in memory until OneHop quits.`,
      keychainError: error,
    };
  }
}
