/**
 * Key pairs for sign-in: fresh ones for the Teleport suites (teleport-sso.md §5a: RSA-2048
 * for `legacy`, Ed25519 for `balanced-v1`/`hsm-v1`, ECDSA P-256 for `fips-v1`), and the user's
 * existing unencrypted keys read from PEM or OpenSSH files.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair as generateNodeKeyPair,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { ECDSA_CURVES, isEcdsaKeyType, type SshKeyType } from './keyTypes';
import {
  formatOpenSshPrivateKey,
  isOpenSshPrivateKeyPem,
  KeyPassphraseError,
  parseOpenSshPrivateKey,
} from './openSshPrivateKey';
import {
  fingerprintSha256,
  formatPublicKeyLine,
  publicKeyFromKeyObject,
  publicKeyToKeyObject,
  type SshPublicKey,
} from './publicKey';
import { SshFormatError } from './wire';

export interface SshKeyPair {
  type: SshKeyType;
  privateKey: KeyObject;
  /** PKCS#8 PEM (`PRIVATE KEY`): what node, Go and Teleport's key store read. */
  privateKeyPem: string;
  /** `OPENSSH PRIVATE KEY`: what `ssh -i` needs (OpenSSH cannot read PKCS#8 Ed25519). */
  privateKeyOpenSsh: string;
  publicKey: SshPublicKey;
  /** authorized_keys line `type base64 comment`, e.g. Teleport's `ssh_pub_key`. */
  publicKeyLine: string;
  publicKeyBlob: Buffer;
  /** SPKI PEM (`PUBLIC KEY`), e.g. Teleport's `tls_pub_key`. */
  publicKeyPkixPem: string;
  /** `SHA256:...` as ssh-keygen -l prints it. */
  fingerprint: string;
}

export interface GenerateKeyOptions {
  type: SshKeyType;
  /** RSA modulus size; default 2048 (Teleport's legacy suite). Ignored for other types. */
  rsaBits?: number;
  comment?: string;
}

function generate(type: SshKeyType, rsaBits: number): Promise<KeyObject> {
  // The async form runs in libuv's thread pool: RSA generation would block the UI otherwise.
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, _publicKey: KeyObject, privateKey: KeyObject) => {
      if (error) reject(error);
      else resolve(privateKey);
    };
    if (type === 'ssh-ed25519') generateNodeKeyPair('ed25519', {}, done);
    else if (type === 'ssh-rsa') generateNodeKeyPair('rsa', { modulusLength: rsaBits }, done);
    else generateNodeKeyPair('ec', { namedCurve: ECDSA_CURVES[type].jwk }, done);
  });
}

/** Describes a private key: its public halves in every form callers send to servers. */
export function describeKeyPair(privateKey: KeyObject, comment = ''): SshKeyPair {
  const publicKey = publicKeyFromKeyObject(privateKey, comment);
  return {
    type: publicKey.type,
    privateKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    privateKeyOpenSsh: formatOpenSshPrivateKey(privateKey, comment),
    publicKey,
    publicKeyLine: formatPublicKeyLine(publicKey, comment),
    publicKeyBlob: publicKey.blob,
    publicKeyPkixPem: createPublicKey(privateKey)
      .export({ type: 'spki', format: 'pem' })
      .toString(),
    fingerprint: fingerprintSha256(publicKey.blob),
  };
}

export async function generateKeyPair(options: GenerateKeyOptions): Promise<SshKeyPair> {
  const rsaBits = options.rsaBits ?? 2048;
  if (options.type === 'ssh-rsa' && (rsaBits < 2048 || rsaBits > 8192)) {
    throw new RangeError(`An RSA key size of ${rsaBits} bits is not allowed; use 2048 to 8192.`);
  }
  return describeKeyPair(await generate(options.type, rsaBits), options.comment ?? '');
}

export interface ParsedPrivateKey {
  type: SshKeyType;
  privateKey: KeyObject;
  publicKey: SshPublicKey;
  publicKeyLine: string;
  /** The comment stored in an OpenSSH key file; '' for PEM keys, which have none. */
  comment: string;
}

/** Proves the private and public halves belong together (a corrupt file could mix them). */
function checkPair(type: SshKeyType, privateKey: KeyObject, publicKey: SshPublicKey): void {
  const hash =
    type === 'ssh-ed25519' ? null : isEcdsaKeyType(type) ? ECDSA_CURVES[type].hash : 'sha256';
  const probe = Buffer.from('onehop key pair check');
  const signature = sign(hash, probe, privateKey);
  if (!verify(hash, probe, publicKeyToKeyObject(publicKey), signature)) {
    throw new SshFormatError('The private key does not match its public key (corrupt file).');
  }
}

const PEM_PRIVATE = /-----BEGIN (PRIVATE KEY|RSA PRIVATE KEY|EC PRIVATE KEY)-----/;

/**
 * Reads an unencrypted private key: PKCS#8, PKCS#1 (RSA), SEC1 (EC) PEM, or OpenSSH format.
 * `what` names the key (usually its path) in errors. Encrypted keys throw KeyPassphraseError.
 */
export function parsePrivateKey(text: string | Buffer, what = 'key'): ParsedPrivateKey {
  const pem = typeof text === 'string' ? text : text.toString('utf8');
  let privateKey: KeyObject;
  let comment = '';
  let storedPublicKey: Buffer | undefined;
  if (isOpenSshPrivateKeyPem(pem)) {
    ({ privateKey, comment, publicKeyBlob: storedPublicKey } = parseOpenSshPrivateKey(pem, what));
  } else if (pem.includes('ENCRYPTED PRIVATE KEY') || /Proc-Type:\s*4,ENCRYPTED/.test(pem)) {
    throw new KeyPassphraseError(what);
  } else if (PEM_PRIVATE.test(pem)) {
    try {
      privateKey = createPrivateKey({ key: pem, format: 'pem' });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SshFormatError(`The private key ${what} could not be read (${reason}).`);
    }
  } else {
    throw new SshFormatError(`The file ${what} is not a PEM or OpenSSH private key.`);
  }
  const publicKey = publicKeyFromKeyObject(privateKey, comment);
  if (storedPublicKey !== undefined && !storedPublicKey.equals(publicKey.blob)) {
    throw new SshFormatError(
      `The private key ${what} does not match the public key stored with it.`,
    );
  }
  checkPair(publicKey.type, privateKey, publicKey);
  return {
    type: publicKey.type,
    privateKey,
    publicKey,
    publicKeyLine: formatPublicKeyLine(publicKey, comment),
    comment,
  };
}
