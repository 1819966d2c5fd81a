/**
 * Where the vault key lives. Production uses the OS keychain (keyringSecretStore.ts); unit tests
 * use memorySecretStore.ts. The vault only ever stores one small secret here — the 32-byte key —
 * because keychains have tight size limits (Windows: 2,560 bytes per secret).
 */
export interface SecretStore {
  /** The secret stored under `account`, or undefined when there is none. */
  get(account: string): Promise<Buffer | undefined>;
  set(account: string, value: Buffer): Promise<void>;
  /** True when a secret was deleted, false when there was none. */
  delete(account: string): Promise<boolean>;
  /** For people: which store this is, e.g. "the Secret Service keyring (D-Bus)". */
  describe(): string;
}

export type KeychainUnavailableReason =
  /** No D-Bus session bus: the variable is unset or its socket does not answer. */
  | 'no-session-bus'
  /** The session bus has no Secret Service provider (gnome-keyring, KeePassXC…). */
  | 'no-provider'
  /** The keyring is locked and could not be unlocked (prompt dismissed or impossible). */
  | 'locked'
  /** The Secret Service has no default keyring to store secrets in. */
  | 'no-keyring'
  /** The native keychain library could not be loaded on this platform. */
  | 'library'
  /** The keychain did not answer in time. */
  | 'timeout'
  /** Anything else the keychain refused. */
  | 'other';

/** The OS keychain cannot be used; `message` says why in one plain sentence. */
export class KeychainUnavailableError extends Error {
  readonly reason: KeychainUnavailableReason;

  constructor(reason: KeychainUnavailableReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KeychainUnavailableError';
    this.reason = reason;
  }
}
