/**
 * Vault errors. Each carries a stable `code` for programs and a one-sentence `message` for people
 * that names the cause and what to do. Hosts map them to the contract's `storage` error.
 */
export type VaultErrorCode =
  'vault-corrupt' | 'vault-key-missing' | 'vault-write' | 'invalid-credentials';

export class VaultError extends Error {
  readonly code: VaultErrorCode;

  constructor(code: VaultErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'VaultError';
    this.code = code;
  }
}

/** The vault file cannot be decrypted or does not hold what it should (wrong key, tampering). */
export class VaultCorruptError extends VaultError {
  readonly file: string;

  constructor(file: string, detail: string, options?: ErrorOptions) {
    super(
      'vault-corrupt',
      `The credentials vault ${file} cannot be read (${detail}); it was damaged or encrypted with ` +
        'another key — reset the vault and sign in again.',
      options,
    );
    this.name = 'VaultCorruptError';
    this.file = file;
  }
}

/** A vault file exists but its key is gone from the keychain (keychain reset, other machine). */
export class VaultKeyMissingError extends VaultError {
  readonly file: string;

  constructor(file: string) {
    super(
      'vault-key-missing',
      `The vault key is missing from the keychain; the stored credentials cannot be read — sign ` +
        `in again (resetting the vault keeps the unreadable file ${file} aside).`,
    );
    this.name = 'VaultKeyMissingError';
    this.file = file;
  }
}

/** Writing the vault failed; the previous file is untouched. */
export class VaultWriteError extends VaultError {
  readonly file: string;

  constructor(file: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'vault-write',
      `Could not write the credentials vault ${file} (${reason}); the previously stored ` +
        'credentials are unchanged — check the disk space and permissions of the data directory.',
      { cause },
    );
    this.name = 'VaultWriteError';
    this.file = file;
  }
}

/** A caller tried to store a malformed record or an invalid site name. */
export class InvalidCredentialsError extends VaultError {
  readonly fields: Record<string, string>;

  constructor(site: string, fields: Record<string, string>) {
    const [first] = Object.entries(fields);
    const where = first ? `: "${first[0]}" ${first[1]}` : '';
    super('invalid-credentials', `Refusing to store malformed credentials for "${site}"${where}.`);
    this.name = 'InvalidCredentialsError';
    this.fields = fields;
  }
}
