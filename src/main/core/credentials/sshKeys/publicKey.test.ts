import { generateKeyPairSync } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { requireTools } from '../../../../../test/support/tools';
import {
  fingerprintSha256,
  formatPublicKeyLine,
  parsePublicKeyBlob,
  parsePublicKeyLine,
  publicKeyFromKeyObject,
  publicKeysEqual,
  publicKeyToKeyObject,
} from './publicKey';
import { readVector, sshKeygen, vectorPath } from './vectors.testkit';
import { SshFormatError, SshWriter } from './wire';

const tools = requireTools(['ssh-keygen']);
const plainKeys = readdirSync(vectorPath()).filter(
  (f) => f.endsWith('.pub') && !f.includes('-cert'),
);

describe('public keys against OpenSSH vectors', () => {
  it('finds the vectors', () => {
    expect(plainKeys.length).toBeGreaterThanOrEqual(6);
  });

  it.each(plainKeys)('%s: fingerprint matches the .fp file', (file) => {
    const key = parsePublicKeyLine(readVector(file));
    const expected = readVector(file.replace(/\.pub$/, '.fp')).trim();
    expect(fingerprintSha256(key.blob)).toBe(expected);
  });

  it.each(plainKeys)('%s: formats back to the same line', (file) => {
    const line = readVector(file).trim();
    const key = parsePublicKeyLine(line);
    expect(formatPublicKeyLine(key, key.comment)).toBe(line);
    expect(line.startsWith(`${key.type} `)).toBe(true);
  });

  it.each(plainKeys)('%s: KeyObject round trip keeps the blob', (file) => {
    const key = parsePublicKeyLine(readVector(file));
    const again = publicKeyFromKeyObject(publicKeyToKeyObject(key));
    expect(publicKeysEqual(again, key)).toBe(true);
    expect(again.type).toBe(key.type);
  });

  describe.skipIf(tools.skip)(`ssh-keygen -l agrees${tools.marker}`, () => {
    it.each(plainKeys)('%s', (file) => {
      const printed = sshKeygen(['-l', '-f', vectorPath(file)]).split(' ')[1];
      expect(fingerprintSha256(parsePublicKeyLine(readVector(file)).blob)).toBe(printed);
    });
  });
});

describe('public keys from node', () => {
  it.each([
    ['ed25519', {}],
    ['ec', { namedCurve: 'P-256' }],
    ['ec', { namedCurve: 'P-384' }],
    ['ec', { namedCurve: 'P-521' }],
    ['rsa', { modulusLength: 1024 }],
  ] as const)('%s %o survives blob and SPKI round trips', (kind, options) => {
    const { publicKey } = generateKeyPairSync(kind as 'ec', options as { namedCurve: string });
    const ssh = publicKeyFromKeyObject(publicKey, 'me@host');
    const spki = publicKeyToKeyObject(ssh).export({ type: 'spki', format: 'der' });
    expect(spki).toEqual(publicKey.export({ type: 'spki', format: 'der' }));
    expect(parsePublicKeyLine(formatPublicKeyLine(ssh, ssh.comment))).toEqual(ssh);
  });

  it('compares keys by blob', () => {
    const a = parsePublicKeyLine(readVector('ed25519_1.pub'));
    const b = parsePublicKeyLine(readVector('ed25519_2.pub'));
    expect(publicKeysEqual(a, a.blob)).toBe(true);
    expect(publicKeysEqual(a, b)).toBe(false);
  });

  it('refuses keys node cannot use for SSH', () => {
    const { publicKey } = generateKeyPairSync('ed448');
    expect(() => publicKeyFromKeyObject(publicKey)).toThrow(/cannot be used for SSH/);
    const { publicKey: k1 } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    expect(() => publicKeyFromKeyObject(k1)).toThrow(SshFormatError);
  });
});

describe('malformed public keys', () => {
  const ed = parsePublicKeyLine(readVector('ed25519_1.pub'));

  it('refuses a type that differs from the blob', () => {
    const line = `ssh-rsa ${ed.blob.toString('base64')}`;
    expect(() => parsePublicKeyLine(line)).toThrow(/says "ssh-rsa" but holds a ssh-ed25519/);
  });

  it('refuses unknown types, short keys, bad points and trailing bytes', () => {
    const blob = (w: SshWriter) => w.toBuffer();
    expect(() => parsePublicKeyBlob(blob(new SshWriter().bytes('ssh-dss')))).toThrow(
      /not supported/,
    );
    expect(() =>
      parsePublicKeyBlob(blob(new SshWriter().bytes('ssh-ed25519').bytes(Buffer.alloc(31)))),
    ).toThrow(/32 bytes/);
    const offCurve = Buffer.concat([Buffer.of(4), Buffer.alloc(64, 1)]);
    const ec = new SshWriter().bytes('ecdsa-sha2-nistp256').bytes('nistp256').bytes(offCurve);
    expect(() => publicKeyToKeyObject(blob(ec))).toThrow(SshFormatError);
    const wrongCurve = new SshWriter().bytes('ecdsa-sha2-nistp256').bytes('nistp384');
    expect(() => parsePublicKeyBlob(blob(wrongCurve.bytes(offCurve)))).toThrow(/names the curve/);
    expect(() => parsePublicKeyBlob(Buffer.concat([ed.blob, Buffer.of(0)]))).toThrow(/trailing/);
  });

  it('throws SshFormatError for every truncation', () => {
    for (let length = 0; length < ed.blob.length; length++) {
      expect(() => parsePublicKeyBlob(ed.blob.subarray(0, length))).toThrow(SshFormatError);
    }
  });

  it('throws SshFormatError for junk lines', () => {
    expect(() => parsePublicKeyLine('')).toThrow(SshFormatError);
    expect(() => parsePublicKeyLine('ssh-ed25519')).toThrow(SshFormatError);
    expect(() => parsePublicKeyLine('ssh-ed25519 !!!!')).toThrow(SshFormatError);
  });
});
