/**
 * The key algorithms OneHop handles and the per-algorithm fields of their SSH wire form
 * (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4), shared by public keys, certificates and the
 * OpenSSH private key format, plus conversion to and from node:crypto `KeyObject`s via JWK.
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { SshFormatError, SshReader, SshWriter } from './wire';

export const ECDSA_CURVES = {
  'ecdsa-sha2-nistp256': { curve: 'nistp256', jwk: 'P-256', size: 32, hash: 'sha256' },
  'ecdsa-sha2-nistp384': { curve: 'nistp384', jwk: 'P-384', size: 48, hash: 'sha384' },
  'ecdsa-sha2-nistp521': { curve: 'nistp521', jwk: 'P-521', size: 66, hash: 'sha512' },
} as const;

export type EcdsaKeyType = keyof typeof ECDSA_CURVES;
export type SshKeyType = 'ssh-ed25519' | 'ssh-rsa' | EcdsaKeyType;

export const SSH_KEY_TYPES: readonly SshKeyType[] = [
  'ssh-ed25519',
  'ssh-rsa',
  ...(Object.keys(ECDSA_CURVES) as EcdsaKeyType[]),
];

export function isSshKeyType(value: string): value is SshKeyType {
  return (SSH_KEY_TYPES as readonly string[]).includes(value);
}

export function isEcdsaKeyType(value: string): value is EcdsaKeyType {
  return Object.hasOwn(ECDSA_CURVES, value);
}

/** The public fields of a key, as unsigned big-endian byte strings. */
export type KeyParts =
  | { type: 'ssh-ed25519'; publicKey: Buffer }
  | { type: EcdsaKeyType; point: Buffer }
  | { type: 'ssh-rsa'; e: Buffer; n: Buffer };

const ED25519_KEY_BYTES = 32;

/** Reads the fields that follow the type name (and, in certificates, the nonce). */
export function readKeyParts(reader: SshReader, type: SshKeyType): KeyParts {
  if (type === 'ssh-ed25519') {
    const publicKey = reader.bytes('the Ed25519 key');
    if (publicKey.length !== ED25519_KEY_BYTES) {
      throw new SshFormatError(`An Ed25519 key must be 32 bytes, not ${publicKey.length}.`);
    }
    return { type, publicKey };
  }
  if (type === 'ssh-rsa') {
    const e = reader.mpint('the RSA exponent');
    const n = reader.mpint('the RSA modulus');
    if (e.length === 0 || n.length === 0) throw new SshFormatError('An RSA key has a zero field.');
    return { type, e, n };
  }
  const spec = ECDSA_CURVES[type];
  const curve = reader.text('the curve name');
  if (curve !== spec.curve) {
    throw new SshFormatError(`A ${type} key names the curve "${curve}" instead of ${spec.curve}.`);
  }
  const point = reader.bytes('the EC point');
  // Only uncompressed points (0x04 || X || Y) are used in SSH, as in OpenSSH.
  if (point.length !== 1 + 2 * spec.size || point[0] !== 0x04) {
    throw new SshFormatError(`A ${type} key has a malformed EC point.`);
  }
  return { type, point };
}

export function writeKeyParts(writer: SshWriter, parts: KeyParts): SshWriter {
  if (parts.type === 'ssh-ed25519') return writer.bytes(parts.publicKey);
  if (parts.type === 'ssh-rsa') return writer.mpint(parts.e).mpint(parts.n);
  return writer.bytes(ECDSA_CURVES[parts.type].curve).bytes(parts.point);
}

export function encodeKeyParts(parts: KeyParts): Buffer {
  return writeKeyParts(new SshWriter().bytes(parts.type), parts).toBuffer();
}

const b64url = (data: Buffer): string => data.toString('base64url');

/** The public JWK for these parts; node checks EC points are on the curve when importing. */
export function keyPartsToJwk(parts: KeyParts): JsonWebKey {
  if (parts.type === 'ssh-ed25519')
    return { kty: 'OKP', crv: 'Ed25519', x: b64url(parts.publicKey) };
  if (parts.type === 'ssh-rsa') return { kty: 'RSA', n: b64url(parts.n), e: b64url(parts.e) };
  const { size, jwk } = ECDSA_CURVES[parts.type];
  const x = parts.point.subarray(1, 1 + size);
  const y = parts.point.subarray(1 + size);
  return { kty: 'EC', crv: jwk, x: b64url(x), y: b64url(y) };
}

export function keyPartsToKeyObject(parts: KeyParts): KeyObject {
  try {
    return createPublicKey({ key: keyPartsToJwk(parts), format: 'jwk' });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SshFormatError(`The ${parts.type} key is not a valid public key (${reason}).`);
  }
}

function jwkField(jwk: JsonWebKey, name: 'x' | 'y' | 'n' | 'e'): Buffer {
  const value = jwk[name];
  if (typeof value !== 'string') throw new SshFormatError(`The key has no JWK field "${name}".`);
  return Buffer.from(value, 'base64url');
}

/** Left-pads a big-endian number to a fixed width (JWK EC coordinates may be shorter). */
export function padStart(data: Buffer, size: number): Buffer {
  if (data.length >= size) return data;
  return Buffer.concat([Buffer.alloc(size - data.length), data]);
}

/** The SSH parts of a node public (or private) key; unsupported algorithms throw. */
export function keyObjectToParts(key: KeyObject): KeyParts {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    return { type: 'ssh-ed25519', publicKey: jwkField(jwk, 'x') };
  }
  if (jwk.kty === 'RSA') return { type: 'ssh-rsa', e: jwkField(jwk, 'e'), n: jwkField(jwk, 'n') };
  if (jwk.kty === 'EC') {
    const entry = Object.entries(ECDSA_CURVES).find(([, spec]) => spec.jwk === jwk.crv);
    if (entry) {
      const [type, { size }] = entry as [EcdsaKeyType, (typeof ECDSA_CURVES)[EcdsaKeyType]];
      const x = padStart(jwkField(jwk, 'x'), size);
      const y = padStart(jwkField(jwk, 'y'), size);
      return { type, point: Buffer.concat([Buffer.of(0x04), x, y]) };
    }
  }
  const name = jwk.kty === 'EC' ? `EC ${String(jwk.crv)}` : String(publicKey.asymmetricKeyType);
  throw new SshFormatError(`Keys of type ${name} cannot be used for SSH.`);
}
