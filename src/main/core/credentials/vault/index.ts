/**
 * The credentials vault: envelope-encrypted site credentials (key in the OS keychain, data in
 * `<dataDir>/vault.bin`), or a session-only in-memory vault when no keychain is available.
 * Hosts call openVault({ dir }). Unit tests of other modules may build a keychain-mode vault on
 * `./memorySecretStore` (deliberately not exported here, so production code cannot pick it).
 */
export { openVault, type OpenVaultOptions, type OpenedVault } from './openVault';
export {
  Vault,
  VAULT_FILE,
  vaultKeyAccount,
  type VaultMode,
  type VaultOptions,
  type VaultFs,
} from './vault';
export {
  VaultError,
  VaultCorruptError,
  VaultKeyMissingError,
  VaultWriteError,
  InvalidCredentialsError,
  type VaultErrorCode,
} from './errors';
export {
  KeychainUnavailableError,
  type KeychainUnavailableReason,
  type SecretStore,
} from './secretStore';
export {
  createKeyringSecretStore,
  classifyKeychainError,
  KEYCHAIN_SERVICE,
  type KeyringSecretStoreOptions,
} from './keyringSecretStore';
export {
  SiteCredentialsSchema,
  HostSignerSchema,
  CredentialIssuerSchema,
  type SiteCredentials,
  type HostSigner,
  type CredentialIssuer,
} from './model';
