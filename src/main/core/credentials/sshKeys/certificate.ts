/**
 * OpenSSH certificates (PROTOCOL.certkeys, `*-cert-v01@openssh.com`): parsing, CA signature
 * verification, and the check that a certificate certifies the key we generated.
 */
import { isSshKeyType, readKeyParts, encodeKeyParts } from './keyTypes';
import { fingerprintSha256, parsePublicKeyBlob, type SshPublicKey } from './publicKey';
import { verifySshSignature, parseSignatureBlob, type SignatureCheck } from './signature';
import { decodeBase64, SshFormatError, SshReader } from './wire';

const CERT_SUFFIX = '-cert-v01@openssh.com';
/** 0xFFFFFFFFFFFFFFFF in valid_before means the certificate never expires. */
export const FOREVER = 0xffff_ffff_ffff_ffffn;
// The largest instant a JS Date can hold, in seconds.
const MAX_DATE_SECONDS = 8_640_000_000_000n;

export interface SshCertificate {
  /** The certificate type name, e.g. `ssh-ed25519-cert-v01@openssh.com`. */
  certType: string;
  /** The certified key (plain blob, as in the `.pub` file). */
  publicKey: SshPublicKey;
  nonce: Buffer;
  serial: bigint;
  type: 'user' | 'host';
  keyId: string;
  /** Empty means valid for any principal (OpenSSH's rule). */
  principals: string[];
  /** Exact uint64 seconds as signed. */
  validAfterSeconds: bigint;
  validBeforeSeconds: bigint;
  /** null when valid_after is 0 ("always": valid from the beginning of time). */
  validAfter: Date | null;
  /** null when valid_before is 0xFFFFFFFFFFFFFFFF ("forever"). Clamped to the Date range. */
  validBefore: Date | null;
  /** Name → value; flags have ''. Values are the inner string as ssh-keygen and Go encode them. */
  criticalOptions: Map<string, string>;
  extensions: Map<string, string>;
  /** The CA key that signed the certificate. */
  signatureKey: SshPublicKey;
  signatureKeyFingerprint: string;
  /** e.g. `ssh-ed25519`, `rsa-sha2-512`, `ecdsa-sha2-nistp256`. */
  signatureAlgorithm: string;
  /** The signature blob (`string algorithm, string signature`). */
  signature: Buffer;
  /** Every byte before the signature field: what the CA signed. */
  signedData: Buffer;
  /** The whole certificate blob. */
  blob: Buffer;
  comment: string;
}

function toDate(seconds: bigint): Date {
  const clamped = seconds > MAX_DATE_SECONDS ? MAX_DATE_SECONDS : seconds;
  return new Date(Number(clamped) * 1000);
}

/** Reads the options buffer (`string name, string data`)*; data holds one inner string. */
function readOptions(data: Buffer, what: string): Map<string, string> {
  const reader = new SshReader(data, what);
  const options = new Map<string, string>();
  while (reader.remaining > 0) {
    const name = reader.text(`a ${what} name`);
    const raw = reader.bytes(`the ${what} ${name}`);
    let value = '';
    if (raw.length > 0) {
      const inner = new SshReader(raw, `${what} ${name}`);
      value = inner.text('value');
      inner.end();
    }
    if (options.has(name)) throw new SshFormatError(`The certificate repeats the ${what} ${name}.`);
    options.set(name, value);
  }
  return options;
}

/** Parses a certificate blob. Throws SshFormatError for anything malformed or unsupported. */
export function parseCertificateBlob(blob: Uint8Array, comment = ''): SshCertificate {
  const data = Buffer.from(blob);
  const reader = new SshReader(data, 'certificate');
  const certType = reader.text('the certificate type');
  const keyType = certType.endsWith(CERT_SUFFIX) ? certType.slice(0, -CERT_SUFFIX.length) : '';
  if (!isSshKeyType(keyType)) {
    throw new SshFormatError(`The certificate type "${certType}" is not supported.`);
  }
  const nonce = reader.bytes('the nonce');
  const parts = readKeyParts(reader, keyType);
  const serial = reader.uint64('the serial');
  const typeCode = reader.uint32('the certificate type');
  if (typeCode !== 1 && typeCode !== 2) {
    throw new SshFormatError(`The certificate type code ${typeCode} is neither user nor host.`);
  }
  const keyId = reader.text('the key ID');
  const principalReader = new SshReader(reader.bytes('the principals'), 'principal list');
  const principals: string[] = [];
  while (principalReader.remaining > 0) principals.push(principalReader.text('a principal'));
  const validAfterSeconds = reader.uint64('valid after');
  const validBeforeSeconds = reader.uint64('valid before');
  const criticalOptions = readOptions(reader.bytes('the critical options'), 'critical option');
  const extensions = readOptions(reader.bytes('the extensions'), 'extension');
  reader.bytes('the reserved field');
  const signatureKey = parsePublicKeyBlob(reader.bytes('the signature key'));
  const signedData = data.subarray(0, reader.position);
  const signature = reader.bytes('the signature');
  reader.end();
  const { algorithm } = parseSignatureBlob(signature);

  return {
    certType,
    publicKey: { type: keyType, blob: encodeKeyParts(parts), comment: '' },
    nonce,
    serial,
    type: typeCode === 1 ? 'user' : 'host',
    keyId,
    principals,
    validAfterSeconds,
    validBeforeSeconds,
    validAfter: validAfterSeconds === 0n ? null : toDate(validAfterSeconds),
    validBefore: validBeforeSeconds === FOREVER ? null : toDate(validBeforeSeconds),
    criticalOptions,
    extensions,
    signatureKey,
    signatureKeyFingerprint: fingerprintSha256(signatureKey.blob),
    signatureAlgorithm: algorithm,
    signature,
    signedData,
    blob: data,
    comment,
  };
}

/** Parses a `-cert.pub` line: `<type>-cert-v01@openssh.com base64 [comment]`. */
export function parseCertificateLine(line: string): SshCertificate {
  const match = /^(\S+)\s+(\S+)(?:\s+(.*))?$/.exec(line.trim());
  if (!match) throw new SshFormatError('The certificate line must be "type base64 [comment]".');
  const [, type = '', base64 = '', comment = ''] = match;
  const cert = parseCertificateBlob(decodeBase64(base64, 'certificate'), comment.trim());
  if (cert.certType !== type) {
    throw new SshFormatError(`The certificate line says "${type}" but holds a ${cert.certType}.`);
  }
  return cert;
}

/** Checks the CA signature. `sha1: true` (ssh-rsa) verifies but callers should refuse it. */
export function verifyCertificateSignature(cert: SshCertificate): SignatureCheck {
  return verifySshSignature(cert.signatureKey.blob, cert.signature, cert.signedData);
}

/** True when the certificate certifies exactly this public key (blobs compared). */
export function certificateMatchesKey(
  cert: SshCertificate,
  publicKey: Uint8Array | SshPublicKey,
): boolean {
  const blob = publicKey instanceof Uint8Array ? publicKey : publicKey.blob;
  return cert.publicKey.blob.equals(Buffer.from(blob));
}

/** OpenSSH's rule: valid_after <= now < valid_before, in whole seconds. */
export function isCertificateValidAt(cert: SshCertificate, when: Date = new Date()): boolean {
  const now = BigInt(Math.floor(when.getTime() / 1000));
  return cert.validAfterSeconds <= now && now < cert.validBeforeSeconds;
}
