import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TeleportSignInError } from './errors';

/**
 * Teleport's `lib/secret` box (teleport-sso.md §2b, §2d): a 32-byte AES-256 key written as 64
 * lowercase hex chars; `Seal` = AES-256-GCM, 12-byte random nonce, no AAD, 16-byte tag appended,
 * wrapped as JSON `{"ciphertext": base64std, "nonce": base64std}`.
 */
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A fresh `secret_key`: 32 random bytes as lowercase hex. */
export function newSecretKey(): string {
  return randomBytes(32).toString('hex');
}

function keyBytes(keyHex: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(keyHex)) {
    throw new TeleportSignInError(
      'invalid-input',
      'The sign-in secret is not 64 hex characters; this is a bug in OneHop.',
    );
  }
  return Buffer.from(keyHex, 'hex');
}

/** What the proxy puts in `?response=` (the test proxy uses it). */
export function seal(plaintext: string | Buffer, keyHex: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyBytes(keyHex), nonce, {
    authTagLength: TAG_BYTES,
  });
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const ciphertext = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
  return JSON.stringify({
    ciphertext: ciphertext.toString('base64'),
    nonce: nonce.toString('base64'),
  });
}

const malformed = () =>
  new TeleportSignInError(
    'callback',
    'The sign-in response from the proxy is malformed (not the sealed JSON Teleport sends); sign in again.',
  );

function decodeField(value: unknown): Buffer {
  if (typeof value !== 'string') throw malformed();
  // Go's decoder skips newlines inside base64; nothing else is allowed.
  const compact = value.replace(/[\r\n]/g, '');
  if (!STD_BASE64.test(compact)) throw malformed();
  return Buffer.from(compact, 'base64');
}

/** Opens a sealed response; any tampering or a wrong key gives one plain error. */
export function open(sealed: string, keyHex: string): Buffer {
  const key = keyBytes(keyHex);
  let json: unknown;
  try {
    json = JSON.parse(sealed) as unknown;
  } catch {
    throw malformed();
  }
  if (typeof json !== 'object' || json === null) throw malformed();
  const { ciphertext, nonce } = json as { ciphertext?: unknown; nonce?: unknown };
  const box = decodeField(ciphertext);
  const iv = decodeField(nonce);
  if (iv.length !== NONCE_BYTES || box.length < TAG_BYTES) throw malformed();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(box.subarray(box.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(box.subarray(0, box.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch (error) {
    throw new TeleportSignInError(
      'callback',
      'The sign-in response could not be decrypted: it was altered on the way or sealed for another sign-in; sign in again.',
      { cause: error },
    );
  }
}
