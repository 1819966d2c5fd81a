/**
 * Test-only: key pairs and their OpenSSH public lines, straight from node:crypto (the real key
 * generation lives in credentials/sshKeys and is deliberately not used here).
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { KeyAlgorithm } from '../loginPlan';

function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** RFC 4251 mpint from unsigned big-endian bytes. */
function mpint(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  const first = trimmed[0] ?? 0;
  return sshString(first & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

const fromJwk = (value: string | undefined) => Buffer.from(value ?? '', 'base64url');

export function authorizedKeysLine(publicKey: KeyObject, comment = ''): string {
  const jwk = publicKey.export({ format: 'jwk' });
  let type: string;
  let blob: Buffer;
  if (publicKey.asymmetricKeyType === 'ed25519') {
    type = 'ssh-ed25519';
    blob = Buffer.concat([sshString(type), sshString(fromJwk(jwk.x))]);
  } else if (publicKey.asymmetricKeyType === 'rsa') {
    type = 'ssh-rsa';
    blob = Buffer.concat([sshString(type), mpint(fromJwk(jwk.e)), mpint(fromJwk(jwk.n))]);
  } else {
    type = 'ecdsa-sha2-nistp256';
    const point = Buffer.concat([Buffer.from([4]), fromJwk(jwk.x), fromJwk(jwk.y)]);
    blob = Buffer.concat([sshString(type), sshString('nistp256'), sshString(point)]);
  }
  return `${type} ${blob.toString('base64')}${comment ? ` ${comment}` : ''}`;
}

export interface TestKey {
  sshLine: string;
  pem: string;
}

export function testKey(algorithm: KeyAlgorithm): TestKey {
  const { publicKey } =
    algorithm === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : algorithm === 'rsa-2048'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    sshLine: authorizedKeysLine(publicKey, 'test@onehop'),
    pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
