/**
 * The vault file format, version 1:
 *
 *   "OHV1" (4 bytes) | nonce (12 bytes) | AES-256-GCM ciphertext | GCM tag (16 bytes)
 *
 * The header (magic + nonce) is the GCM additional data, so neither the version nor the nonce can
 * be swapped without the tag failing. A new format gets a new magic; readers refuse unknown ones.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const VAULT_MAGIC = Buffer.from('OHV1', 'ascii');
export const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = VAULT_MAGIC.length + NONCE_BYTES;

/** Why a file could not be opened; the vault wraps it in a VaultCorruptError naming the file. */
export class VaultFormatError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'VaultFormatError';
  }
}

export function sealVaultFile(key: Buffer, plaintext: Buffer): Buffer {
  checkKey(key);
  const nonce = randomBytes(NONCE_BYTES);
  const header = Buffer.concat([VAULT_MAGIC, nonce]);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(header);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, ciphertext, cipher.getAuthTag()]);
}

export function unsealVaultFile(key: Buffer, file: Buffer): Buffer {
  checkKey(key);
  if (file.length < HEADER_BYTES + TAG_BYTES) {
    throw new VaultFormatError(`the file is truncated (${file.length} bytes)`);
  }
  const magic = file.subarray(0, VAULT_MAGIC.length);
  if (!magic.equals(VAULT_MAGIC)) {
    const shown = /^OHV\d$/.test(magic.toString('latin1'))
      ? `format ${magic.toString('latin1')}, written by a newer OneHop`
      : 'not a OneHop vault file';
    throw new VaultFormatError(shown);
  }
  const header = file.subarray(0, HEADER_BYTES);
  const nonce = file.subarray(VAULT_MAGIC.length, HEADER_BYTES);
  const tag = file.subarray(file.length - TAG_BYTES);
  const ciphertext = file.subarray(HEADER_BYTES, file.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(header);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (error) {
    throw new VaultFormatError('wrong key or tampered content: the integrity check failed', {
      cause: error,
    });
  }
}

function checkKey(key: Buffer): void {
  // A wrong-sized key means the keychain entry was overwritten by something else.
  if (key.length !== KEY_BYTES) {
    throw new VaultFormatError(`the vault key has ${key.length} bytes instead of ${KEY_BYTES}`);
  }
}
