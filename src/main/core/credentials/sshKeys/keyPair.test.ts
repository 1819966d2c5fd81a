import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTools } from '../../../../../test/support/tools';
import { generateKeyPair, parsePrivateKey } from './keyPair';
import type { SshKeyType } from './keyTypes';
import { KeyPassphraseError } from './openSshPrivateKey';
import { fingerprintSha256, parsePublicKeyLine } from './publicKey';
import { readVector, sshKeygen } from './vectors.testkit';
import { SshFormatError } from './wire';

const tools = requireTools(['ssh-keygen']);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'onehop-sshkeys-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes a key where ssh-keygen accepts it (it refuses private keys readable by others). */
function keyFile(name: string, text: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

const stripComment = (line: string) => line.trim().split(/\s+/).slice(0, 2).join(' ');

// Private key vector → the .pub holding its public key (the _n files are _1 in OpenSSH format).
const PRIVATE_VECTORS: Record<string, string> = {
  ecdsa_1: 'ecdsa_1.pub',
  ecdsa_2: 'ecdsa_2.pub',
  ecdsa_n: 'ecdsa_1.pub',
  ed25519_1: 'ed25519_1.pub',
  ed25519_2: 'ed25519_2.pub',
  rsa_1: 'rsa_1.pub',
  rsa_1_sha1: 'rsa_1.pub',
  rsa_2: 'rsa_2.pub',
  rsa_n: 'rsa_1.pub',
};

describe('private keys from OpenSSH vectors', () => {
  it.each(Object.entries(PRIVATE_VECTORS))('%s derives %s', (name, pub) => {
    const parsed = parsePrivateKey(readVector(name), name);
    const expected = parsePublicKeyLine(readVector(pub));
    expect(parsed.publicKey.blob).toEqual(expected.blob);
    expect(stripComment(parsed.publicKeyLine)).toBe(stripComment(readVector(pub)));
  });

  it('keeps the comment of OpenSSH-format keys', () => {
    expect(parsePrivateKey(readVector('ed25519_1')).comment).toBe('ED25519 test key #1');
    expect(parsePrivateKey(readVector('rsa_1')).comment).toBe('');
  });

  it.each(['ecdsa_1_pw', 'ecdsa_n_pw', 'ed25519_1_pw', 'rsa_1_pw', 'rsa_n_pw'])(
    '%s is reported as protected by a passphrase',
    (name) => {
      const parse = () => parsePrivateKey(readVector(name), `~/.ssh/${name}`);
      expect(parse).toThrow(KeyPassphraseError);
      expect(parse).toThrow(
        `The private key ~/.ssh/${name} is protected by a passphrase; use an unencrypted key.`,
      );
    },
  );

  it('throws SshFormatError for every truncation of an OpenSSH key body', () => {
    const text = readVector('ed25519_1');
    const body = Buffer.from(text.split('\n').slice(1, -2).join(''), 'base64');
    for (let length = 0; length < body.length; length++) {
      const cut = body.subarray(0, length).toString('base64');
      const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${cut}\n-----END OPENSSH PRIVATE KEY-----\n`;
      expect(() => parsePrivateKey(pem), `length ${length}`).toThrow(SshFormatError);
    }
  });

  it('refuses an OpenSSH key whose secret does not belong to its public key', () => {
    const text = readVector('ed25519_1');
    const body = Buffer.from(text.split('\n').slice(1, -2).join(''), 'base64');
    const publicKey = parsePublicKeyLine(readVector('ed25519_1.pub')).blob.subarray(-32);
    // The secret is seed || public key; change the seed.
    const seedStart = body.lastIndexOf(publicKey) - 32;
    body[seedStart] = (body[seedStart] ?? 0) ^ 1;
    const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.toString('base64')}\n-----END OPENSSH PRIVATE KEY-----\n`;
    expect(() => parsePrivateKey(pem, 'id_test')).toThrow(
      'The private key id_test does not match the public key stored with it.',
    );
  });

  it('refuses private keys of algorithms SSH does not use', () => {
    const { privateKey } = generateKeyPairSync('ed448');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => parsePrivateKey(pem)).toThrow('Keys of type ed448 cannot be used for SSH.');
  });

  it('refuses things that are not private keys', () => {
    expect(() => parsePrivateKey(readVector('ed25519_1.pub'))).toThrow(SshFormatError);
    expect(() =>
      parsePrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'),
    ).toThrow(SshFormatError);
  });
});

const TYPES: SshKeyType[] = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
];

describe('generated key pairs', () => {
  it.each(TYPES)('%s: every form describes the same key', async (type) => {
    const pair = await generateKeyPair({ type, comment: 'onehop@test' });
    expect(pair.type).toBe(type);
    const line = parsePublicKeyLine(pair.publicKeyLine);
    expect(line.comment).toBe('onehop@test');
    expect(line.blob).toEqual(pair.publicKeyBlob);
    expect(pair.fingerprint).toBe(fingerprintSha256(pair.publicKeyBlob));
    expect(pair.publicKeyPkixPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(createPublicKey(pair.publicKeyPkixPem).equals(createPublicKey(pair.privateKey))).toBe(
      true,
    );
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(parsePrivateKey(pair.privateKeyPem).publicKey.blob).toEqual(pair.publicKeyBlob);
    const fromOpenSsh = parsePrivateKey(pair.privateKeyOpenSsh);
    expect(fromOpenSsh.publicKey.blob).toEqual(pair.publicKeyBlob);
    expect(fromOpenSsh.comment).toBe('onehop@test');
  });

  it('makes 2048-bit RSA keys by default and refuses weak sizes', async () => {
    const pair = await generateKeyPair({ type: 'ssh-rsa' });
    expect(pair.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    await expect(generateKeyPair({ type: 'ssh-rsa', rsaBits: 1024 })).rejects.toThrow(RangeError);
  });

  describe.skipIf(tools.skip)(`ssh-keygen reads what we write${tools.marker}`, () => {
    it.each(TYPES)('%s', async (type) => {
      const pair = await generateKeyPair({ type, comment: 'c' });
      const file = keyFile(`gen-${type}`, pair.privateKeyOpenSsh);
      expect(stripComment(sshKeygen(['-y', '-f', file]))).toBe(stripComment(pair.publicKeyLine));
      expect(sshKeygen(['-l', '-f', file]).split(' ')[1]).toBe(pair.fingerprint);
      if (type !== 'ssh-ed25519') {
        // OpenSSH reads PKCS#8 too, except for Ed25519 (why privateKeyOpenSsh exists).
        const pkcs8 = keyFile(`gen-${type}.pem`, pair.privateKeyPem);
        expect(stripComment(sshKeygen(['-y', '-f', pkcs8]))).toBe(stripComment(pair.publicKeyLine));
      }
    });
  });
});
