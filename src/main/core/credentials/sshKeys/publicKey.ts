/**
 * OpenSSH public keys: authorized_keys lines (`type base64 comment`), wire blobs, node
 * `KeyObject`s, and the SHA256 fingerprint exactly as `ssh-keygen -l` prints it.
 */
import { createHash, type KeyObject } from 'node:crypto';
import {
  encodeKeyParts,
  isSshKeyType,
  keyObjectToParts,
  keyPartsToKeyObject,
  readKeyParts,
  type KeyParts,
  type SshKeyType,
} from './keyTypes';
import { decodeBase64, SshFormatError, SshReader } from './wire';

export interface SshPublicKey {
  type: SshKeyType;
  /** The wire encoding (`string type` + key fields): what goes into certificates and base64. */
  blob: Buffer;
  /** The authorized_keys comment, '' when there is none. */
  comment: string;
}

/** Parses a public key wire blob; the whole blob must be one key of a supported type. */
export function parsePublicKeyBlob(blob: Uint8Array, comment = ''): SshPublicKey {
  const { type, blob: normalised } = decodePublicKeyBlob(blob);
  return { type, blob: normalised, comment };
}

/** The blob's parts as well as its normalised form (used by the private key reader). */
export function decodePublicKeyBlob(blob: Uint8Array): {
  type: SshKeyType;
  blob: Buffer;
  parts: KeyParts;
} {
  const data = Buffer.from(blob);
  const reader = new SshReader(data, 'public key');
  const type = reader.text('the key type');
  if (!isSshKeyType(type)) {
    throw new SshFormatError(`The public key type "${type}" is not supported.`);
  }
  const parts = readKeyParts(reader, type);
  reader.end();
  // Re-encoded, as OpenSSH does before fingerprinting: mpints with extra leading zeros would
  // otherwise give another fingerprint for the same key.
  return { type, blob: encodeKeyParts(parts), parts };
}

/**
 * Parses one authorized_keys / `.pub` line: `type base64 [comment]`. Option prefixes
 * (`from=... ssh-ed25519 ...`) are not accepted: these lines come from key files, not
 * authorized_keys. The type in the text must match the type inside the blob.
 */
export function parsePublicKeyLine(line: string): SshPublicKey {
  const trimmed = line.trim();
  const match = /^(\S+)\s+(\S+)(?:\s+(.*))?$/.exec(trimmed);
  if (!match) {
    throw new SshFormatError('The public key line must be "type base64 [comment]".');
  }
  const [, type = '', base64 = '', comment = ''] = match;
  const key = parsePublicKeyBlob(decodeBase64(base64, 'public key'), comment.trim());
  if (key.type !== type) {
    throw new SshFormatError(`The public key line says "${type}" but holds a ${key.type} key.`);
  }
  return key;
}

/** `type base64 comment` (no trailing newline); the comment is omitted when empty. */
export function formatPublicKeyLine(
  key: Pick<SshPublicKey, 'type' | 'blob'>,
  comment = '',
): string {
  const line = `${key.type} ${key.blob.toString('base64')}`;
  const oneLine = comment.replace(/[\r\n]+/g, ' ').trim();
  return oneLine === '' ? line : `${line} ${oneLine}`;
}

/** `SHA256:` + unpadded base64 of sha256(blob), as OpenSSH prints fingerprints. */
export function fingerprintSha256(blob: Uint8Array): string {
  const digest = createHash('sha256').update(blob).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** Two keys are the same key when their wire blobs are byte-identical. */
export function publicKeysEqual(
  a: Uint8Array | SshPublicKey,
  b: Uint8Array | SshPublicKey,
): boolean {
  const blobA = a instanceof Uint8Array ? a : a.blob;
  const blobB = b instanceof Uint8Array ? b : b.blob;
  return Buffer.from(blobA).equals(Buffer.from(blobB));
}

/** The node:crypto public key for a blob (EC points are checked to lie on the curve). */
export function publicKeyToKeyObject(key: Uint8Array | SshPublicKey): KeyObject {
  return keyPartsToKeyObject(decodePublicKeyBlob(key instanceof Uint8Array ? key : key.blob).parts);
}

/** The SSH public key of a node key (private keys give their public half). */
export function publicKeyFromKeyObject(key: KeyObject, comment = ''): SshPublicKey {
  const parts = keyObjectToParts(key);
  return { type: parts.type, blob: encodeKeyParts(parts), comment };
}
