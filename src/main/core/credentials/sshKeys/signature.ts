/**
 * Verifies SSH signatures (RFC 4253 §6.6, RFC 5656 §3.1.2, RFC 8332, RFC 8709) with node:crypto.
 * Used for certificate CA signatures now and for host keys in the SSH issue.
 */
import { verify, type KeyObject } from 'node:crypto';
import { ECDSA_CURVES, isEcdsaKeyType, keyPartsToKeyObject, padStart } from './keyTypes';
import { decodePublicKeyBlob } from './publicKey';
import { SshReader } from './wire';

export interface SignatureCheck {
  valid: boolean;
  /** The algorithm named in the signature, e.g. `rsa-sha2-512`, `ssh-ed25519`. */
  algorithm: string;
  /** True for `ssh-rsa` (RSA with SHA-1): callers should refuse it like OpenSSH 8.8+ does. */
  sha1: boolean;
  /** Why `valid` is false, one sentence; absent when valid. */
  reason?: string;
}

const RSA_HASHES: Record<string, string> = {
  'ssh-rsa': 'sha1',
  'rsa-sha2-256': 'sha256',
  'rsa-sha2-512': 'sha512',
};

/** Splits a signature blob (`string algorithm, string signature`) into its two parts. */
export function parseSignatureBlob(blob: Uint8Array): { algorithm: string; signature: Buffer } {
  const reader = new SshReader(Buffer.from(blob), 'signature');
  const algorithm = reader.text('the signature algorithm');
  const signature = reader.bytes('the signature');
  reader.end();
  return { algorithm, signature };
}

/** ECDSA signatures are `mpint r, mpint s`; node wants fixed-width r || s (IEEE P1363). */
function ecdsaToP1363(signature: Buffer, size: number): Buffer | undefined {
  const reader = new SshReader(signature, 'ECDSA signature');
  const r = reader.mpint('r');
  const s = reader.mpint('s');
  reader.end();
  if (r.length === 0 || s.length === 0 || r.length > size || s.length > size) return undefined;
  return Buffer.concat([padStart(r, size), padStart(s, size)]);
}

function check(key: KeyObject, hash: string | null, data: Buffer, sig: Buffer, p1363: boolean) {
  try {
    const target = p1363 ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
    return verify(hash, data, target, sig);
  } catch {
    // OpenSSL rejects some malformed signatures by throwing; that is just "not valid".
    return false;
  }
}

/**
 * Checks `signatureBlob` over `data` with the public key `keyBlob`. Malformed blobs throw
 * SshFormatError; a well-formed signature that does not verify (or whose algorithm does not
 * fit the key) gives `valid: false` with a reason.
 */
export function verifySshSignature(
  keyBlob: Uint8Array,
  signatureBlob: Uint8Array,
  data: Uint8Array,
): SignatureCheck {
  const { type, parts } = decodePublicKeyBlob(keyBlob);
  const { algorithm, signature } = parseSignatureBlob(signatureBlob);
  const sha1 = algorithm === 'ssh-rsa';
  const result = (valid: boolean, reason: string): SignatureCheck =>
    valid ? { valid, algorithm, sha1 } : { valid, algorithm, sha1, reason };
  const key = keyPartsToKeyObject(parts);
  const message = Buffer.from(data);

  if (type === 'ssh-rsa') {
    const hash = RSA_HASHES[algorithm];
    if (hash === undefined) return result(false, `An RSA key cannot make ${algorithm} signatures.`);
    // Signers may drop leading zero bytes; OpenSSH pads them back to the modulus length.
    const modulusBytes = parts.type === 'ssh-rsa' ? parts.n.length : 0;
    if (signature.length > modulusBytes) return result(false, 'The RSA signature is too long.');
    const ok = check(key, hash, message, padStart(signature, modulusBytes), false);
    return result(ok, 'The RSA signature does not verify.');
  }
  if (algorithm !== type) {
    return result(false, `A ${type} key cannot make ${algorithm} signatures.`);
  }
  if (isEcdsaKeyType(type)) {
    const { size, hash } = ECDSA_CURVES[type];
    const p1363 = ecdsaToP1363(signature, size);
    if (p1363 === undefined) return result(false, 'The ECDSA signature values are out of range.');
    return result(check(key, hash, message, p1363, true), 'The ECDSA signature does not verify.');
  }
  if (signature.length !== 64) return result(false, 'The Ed25519 signature is not 64 bytes.');
  return result(
    check(key, null, message, signature, false),
    'The Ed25519 signature does not verify.',
  );
}
