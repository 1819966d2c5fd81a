import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { publicKeyFromKeyObject } from './publicKey';
import { verifySshSignature } from './signature';
import { SshFormatError, SshWriter } from './wire';

const data = Buffer.from('session data');
const sigBlob = (algorithm: string, signature: Uint8Array) =>
  new SshWriter().bytes(algorithm).bytes(signature).toBuffer();

describe('verifySshSignature', () => {
  const ed = generateKeyPairSync('ed25519');
  const edBlob = publicKeyFromKeyObject(ed.publicKey).blob;
  const edSig = sign(null, data, ed.privateKey);

  it('accepts a good Ed25519 signature and refuses other data', () => {
    expect(verifySshSignature(edBlob, sigBlob('ssh-ed25519', edSig), data).valid).toBe(true);
    const other = verifySshSignature(edBlob, sigBlob('ssh-ed25519', edSig), Buffer.from('x'));
    expect(other).toMatchObject({ valid: false, reason: 'The Ed25519 signature does not verify.' });
  });

  it('refuses an algorithm that does not fit the key', () => {
    const result = verifySshSignature(edBlob, sigBlob('rsa-sha2-256', edSig), data);
    expect(result).toMatchObject({
      valid: false,
      reason: 'A ssh-ed25519 key cannot make rsa-sha2-256 signatures.',
    });
    expect(verifySshSignature(edBlob, sigBlob('ssh-ed25519', edSig.subarray(1)), data).valid).toBe(
      false,
    );
  });

  it('refuses ECDSA signatures with zero or oversized values', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const blob = publicKeyFromKeyObject(ec.publicKey).blob;
    const p1363 = sign('sha256', data, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' });
    const good = new SshWriter().mpint(p1363.subarray(0, 32)).mpint(p1363.subarray(32)).toBuffer();
    const alg = 'ecdsa-sha2-nistp256';
    expect(verifySshSignature(blob, sigBlob(alg, good), data).valid).toBe(true);
    const zero = new SshWriter().mpint(Buffer.alloc(0)).mpint(p1363.subarray(32)).toBuffer();
    expect(verifySshSignature(blob, sigBlob(alg, zero), data).valid).toBe(false);
    const big = new SshWriter().mpint(Buffer.alloc(33, 1)).mpint(p1363.subarray(32)).toBuffer();
    expect(verifySshSignature(blob, sigBlob(alg, big), data).valid).toBe(false);
    expect(() => verifySshSignature(blob, sigBlob(alg, good.subarray(0, 10)), data)).toThrow(
      SshFormatError,
    );
  });

  it('accepts RSA signatures whose leading zero byte was dropped, as OpenSSH does', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const blob = publicKeyFromKeyObject(rsa.publicKey).blob;
    // About one signature in 256 starts with a zero byte; the loop is bounded.
    for (let i = 0; i < 5000; i++) {
      const message = Buffer.from(`message ${i}`);
      const signature = sign('sha512', message, rsa.privateKey);
      if (signature[0] !== 0) continue;
      const stripped = signature.subarray(1);
      expect(verifySshSignature(blob, sigBlob('rsa-sha2-512', stripped), message).valid).toBe(true);
      return;
    }
    throw new Error('No RSA signature with a leading zero byte in 5000 tries.');
  });

  it('flags ssh-rsa (SHA-1) signatures', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const blob = publicKeyFromKeyObject(rsa.publicKey).blob;
    const result = verifySshSignature(
      blob,
      sigBlob('ssh-rsa', sign('sha1', data, rsa.privateKey)),
      data,
    );
    expect(result).toEqual({ valid: true, algorithm: 'ssh-rsa', sha1: true });
  });
});
