/**
 * The `-----BEGIN OPENSSH PRIVATE KEY-----` format (OpenSSH PROTOCOL.key), unencrypted only.
 *
 * Reading: ssh-keygen's default output since OpenSSH 7.8, so users' existing keys are in it.
 * Writing: OpenSSH (9.2 at least) cannot load PKCS#8 Ed25519 keys, so a key OneHop hands to
 * `ssh -i` must be in this format.
 */
import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import {
  ECDSA_CURVES,
  encodeKeyParts,
  keyObjectToParts,
  keyPartsToJwk,
  padStart,
  readKeyParts,
  writeKeyParts,
  type KeyParts,
  type SshKeyType,
} from './keyTypes';
import { decodePublicKeyBlob } from './publicKey';
import { SshFormatError, SshReader, SshWriter } from './wire';

const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
const BLOCK = 8; // the cipher block size of "none"
const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';

/** The key is encrypted; OneHop does not ask for passphrases of keys it only reads. */
export class KeyPassphraseError extends Error {
  constructor(what: string) {
    super(`The private key ${what} is protected by a passphrase; use an unencrypted key.`);
    this.name = 'KeyPassphraseError';
  }
}

export interface OpenSshPrivateKey {
  privateKey: KeyObject;
  /** The public key blob stored in the file (checked to match the private key). */
  publicKeyBlob: Buffer;
  comment: string;
}

export function isOpenSshPrivateKeyPem(text: string): boolean {
  return text.includes(BEGIN);
}

function pemBody(text: string): Buffer {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END, start);
  if (start < 0 || end < 0) throw new SshFormatError('The OpenSSH private key has no END line.');
  const base64 = text.slice(start + BEGIN.length, end).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
    throw new SshFormatError('The OpenSSH private key is not valid base64.');
  }
  return Buffer.from(base64, 'base64');
}

const toBig = (data: Buffer): bigint =>
  data.length === 0 ? 0n : BigInt(`0x${data.toString('hex')}`);
function fromBig(value: bigint): Buffer {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
}
const b64url = (value: bigint | Buffer): string =>
  (typeof value === 'bigint' ? fromBig(value) : value).toString('base64url');
const fromB64url = (value: string | undefined): Buffer => {
  if (value === undefined) throw new SshFormatError('The private key lacks a JWK field.');
  return Buffer.from(value, 'base64url');
};

/** The public fields at the start of the private section, in that section's order. */
function readPrivateKeyParts(reader: SshReader, type: SshKeyType): KeyParts {
  if (type !== 'ssh-rsa') return readKeyParts(reader, type);
  const n = reader.mpint('the RSA modulus');
  const e = reader.mpint('the RSA exponent');
  return { type, e, n };
}

/** Reads the private fields after the key type and builds a node private key from them. */
function readPrivate(reader: SshReader, parts: KeyParts): KeyObject {
  const jwk = keyPartsToJwk(parts);
  if (parts.type === 'ssh-ed25519') {
    // OpenSSH stores seed || public key as the 64-byte "secret key".
    const secret = reader.bytes('the Ed25519 secret key');
    if (secret.length !== 64 || !secret.subarray(32).equals(parts.publicKey)) {
      throw new SshFormatError('The Ed25519 secret key does not match its public key.');
    }
    jwk.d = b64url(secret.subarray(0, 32));
  } else if (parts.type === 'ssh-rsa') {
    const d = toBig(reader.mpint('the RSA private exponent'));
    const qi = reader.mpint('the RSA coefficient');
    const p = toBig(reader.mpint('the RSA prime p'));
    const q = toBig(reader.mpint('the RSA prime q'));
    if (p < 2n || q < 2n) throw new SshFormatError('The RSA private key has invalid primes.');
    // JWK also wants d mod (p-1) and d mod (q-1), which OpenSSH recomputes rather than stores.
    Object.assign(jwk, { d: b64url(d), p: b64url(p), q: b64url(q), qi: b64url(qi) });
    Object.assign(jwk, { dp: b64url(d % (p - 1n)), dq: b64url(d % (q - 1n)) });
  } else {
    const d = reader.mpint('the EC private scalar');
    jwk.d = b64url(padStart(d, ECDSA_CURVES[parts.type].size));
  }
  try {
    return createPrivateKey({ key: jwk, format: 'jwk' });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SshFormatError(
      `The OpenSSH private key is not a valid ${parts.type} key (${reason}).`,
    );
  }
}

/** Parses an unencrypted OpenSSH private key; `what` names it in error messages. */
export function parseOpenSshPrivateKey(text: string, what = 'key'): OpenSshPrivateKey {
  const data = pemBody(text);
  if (data.length < MAGIC.length || !data.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new SshFormatError('The OpenSSH private key does not start with "openssh-key-v1".');
  }
  const outer = new SshReader(data.subarray(MAGIC.length), 'OpenSSH private key');
  const cipher = outer.text('the cipher name');
  const kdf = outer.text('the KDF name');
  outer.bytes('the KDF options');
  if (cipher !== 'none' || kdf !== 'none') throw new KeyPassphraseError(what);
  const count = outer.uint32('the key count');
  if (count !== 1)
    throw new SshFormatError(`The OpenSSH private key file holds ${count} keys, not 1.`);
  const publicKey = decodePublicKeyBlob(outer.bytes('the public key'));
  const secret = outer.bytes('the private section');
  outer.end();
  if (secret.length % BLOCK !== 0) {
    throw new SshFormatError('The OpenSSH private section is not padded to the block size.');
  }

  const reader = new SshReader(secret, 'OpenSSH private key');
  if (reader.uint32('check') !== reader.uint32('check')) {
    throw new SshFormatError('The OpenSSH private key check bytes differ (corrupt file).');
  }
  const type = reader.text('the key type');
  if (type !== publicKey.type) {
    throw new SshFormatError(
      `The OpenSSH private key is ${type} but its public key ${publicKey.type}.`,
    );
  }
  const parts = readPrivateKeyParts(reader, publicKey.type);
  if (!encodeKeyParts(parts).equals(publicKey.blob)) {
    throw new SshFormatError('The OpenSSH private key does not match its public key.');
  }
  const privateKey = readPrivate(reader, parts);
  const comment = reader.text('the comment');
  // Padding is 1, 2, 3, ... (PROTOCOL.key); anything else means we misparsed.
  for (let i = 1; reader.remaining > 0; i++) {
    if (reader.uint8('padding') !== (i & 0xff)) {
      throw new SshFormatError('The OpenSSH private key has invalid padding.');
    }
  }
  return { privateKey, publicKeyBlob: publicKey.blob, comment };
}

/** Formats a node private key as an unencrypted OpenSSH private key (PEM-like text). */
export function formatOpenSshPrivateKey(privateKey: KeyObject, comment = ''): string {
  const parts = keyObjectToParts(privateKey);
  const jwk = privateKey.export({ format: 'jwk' });
  const inner = new SshWriter();
  const check = randomBytes(4).readUInt32BE(0);
  inner.uint32(check).uint32(check).bytes(parts.type);
  // The private section stores RSA keys as n, e (the public blob has e, n).
  if (parts.type === 'ssh-rsa') inner.mpint(parts.n).mpint(parts.e);
  else writeKeyParts(inner, parts);
  if (parts.type === 'ssh-ed25519') {
    inner.bytes(Buffer.concat([fromB64url(jwk.d), parts.publicKey]));
  } else if (parts.type === 'ssh-rsa') {
    inner.mpint(fromB64url(jwk.d)).mpint(fromB64url(jwk.qi));
    inner.mpint(fromB64url(jwk.p)).mpint(fromB64url(jwk.q));
  } else {
    inner.mpint(fromB64url(jwk.d));
  }
  inner.bytes(comment);
  let secret = inner.toBuffer();
  const pad = (BLOCK - (secret.length % BLOCK)) % BLOCK;
  secret = Buffer.concat([secret, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);

  const body = new SshWriter().raw(MAGIC).bytes('none').bytes('none').bytes('');
  body.uint32(1).bytes(encodeKeyParts(parts)).bytes(secret);
  const lines =
    body
      .toBuffer()
      .toString('base64')
      .match(/.{1,70}/g) ?? [];
  return `${BEGIN}\n${lines.join('\n')}\n${END}\n`;
}
