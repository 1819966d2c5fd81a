import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTools } from '../../../../../test/support/tools';
import {
  certificateMatchesKey,
  FOREVER,
  isCertificateValidAt,
  parseCertificateBlob,
  parseCertificateLine,
  verifyCertificateSignature,
  type SshCertificate,
} from './certificate';
import { generateKeyPair, type SshKeyPair } from './keyPair';
import type { SshKeyType } from './keyTypes';
import { fingerprintSha256, parsePublicKeyLine } from './publicKey';
import { listingOf, parseListing, readVector, sshKeygen, vectorPath } from './vectors.testkit';
import { SshFormatError, SshWriter } from './wire';

const tools = requireTools(['ssh-keygen']);
const certFiles = readdirSync(vectorPath()).filter((f) => f.endsWith('-cert.pub'));
const certOf = (file: string) => parseCertificateLine(readVector(file));

describe('OpenSSH certificate vectors', () => {
  it('finds the ed25519, ecdsa and rsa certificates', () => {
    expect(certFiles.sort()).toEqual(['ecdsa_1-cert.pub', 'ed25519_1-cert.pub', 'rsa_1-cert.pub']);
  });

  it.each(certFiles)('%s: fields, fingerprints and signature', (file) => {
    const cert = certOf(file);
    expect(cert).toMatchObject({ type: 'host', keyId: 'julius', principals: ['host1', 'host2'] });
    expect(cert.validAfter?.toISOString()).toBe('1998-12-31T23:00:00.000Z');
    expect(cert.validBefore?.toISOString()).toBe('2010-12-31T23:00:00.000Z');
    expect(fingerprintSha256(cert.publicKey.blob)).toBe(
      readVector(file.replace('.pub', '.fp')).trim(),
    );
    const key = parsePublicKeyLine(readVector(file.replace('-cert.pub', '.pub')));
    expect(certificateMatchesKey(cert, key)).toBe(true);
    expect(certificateMatchesKey(cert, parsePublicKeyLine(readVector('ed25519_2.pub')))).toBe(
      false,
    );
    expect(verifyCertificateSignature(cert)).toEqual({
      valid: true,
      algorithm: cert.signatureAlgorithm,
      sha1: false,
    });
    expect(isCertificateValidAt(cert, new Date('2005-01-01'))).toBe(true);
    expect(isCertificateValidAt(cert, new Date('2010-12-31T23:00:00Z'))).toBe(false);
    expect(isCertificateValidAt(cert)).toBe(false);
  });

  it.each(certFiles)('%s: any flipped byte in the signed part fails verification', (file) => {
    const { blob, signedData } = certOf(file);
    for (let i = 0; i < signedData.length; i++) {
      const bad = Buffer.from(blob);
      bad[i] = (bad[i] ?? 0) ^ 0x01;
      let cert: SshCertificate;
      try {
        cert = parseCertificateBlob(bad);
      } catch (error) {
        expect(error, `byte ${i}`).toBeInstanceOf(SshFormatError);
        continue;
      }
      let valid = false;
      try {
        valid = verifyCertificateSignature(cert).valid;
      } catch (error) {
        expect(error, `byte ${i}`).toBeInstanceOf(SshFormatError);
      }
      expect(valid, `byte ${i}`).toBe(false);
    }
  });

  it('a flipped byte in the signature itself fails verification', () => {
    const { blob } = certOf('ed25519_1-cert.pub');
    const bad = Buffer.from(blob);
    bad[bad.length - 5] = (bad[bad.length - 5] ?? 0) ^ 0x80;
    expect(verifyCertificateSignature(parseCertificateBlob(bad)).valid).toBe(false);
  });

  it('every truncation throws SshFormatError', () => {
    const { blob } = certOf('rsa_1-cert.pub');
    for (let length = 0; length < blob.length; length++) {
      expect(() => parseCertificateBlob(blob.subarray(0, length)), `length ${length}`).toThrow(
        SshFormatError,
      );
    }
  });

  it('garbage throws SshFormatError', () => {
    const { blob } = certOf('ed25519_1-cert.pub');
    const prefix = blob.subarray(0, 4 + 'ssh-ed25519-cert-v01@openssh.com'.length);
    for (let round = 0; round < 200; round++) {
      const junk = randomBytes(round % 300);
      const data = round % 2 === 0 ? junk : Buffer.concat([prefix, junk]);
      expect(() => parseCertificateBlob(data)).toThrow(SshFormatError);
    }
    expect(() => parseCertificateBlob(Buffer.concat([blob, Buffer.of(0)]))).toThrow(/trailing/);
    expect(() => parseCertificateLine(readVector('ed25519_1.pub'))).toThrow(/not supported/);
    const plain = new SshWriter().bytes('sk-ssh-ed25519-cert-v01@openssh.com').toBuffer();
    expect(() => parseCertificateBlob(plain)).toThrow(/not supported/);
  });

  describe.skipIf(tools.skip)(`ssh-keygen -L agrees${tools.marker}`, () => {
    it.each(certFiles)('%s', (file) => {
      const cert = certOf(file);
      expect(listingOf(cert)).toEqual(parseListing(sshKeygen(['-L', '-f', vectorPath(file)])));
      expect(sshKeygen(['-l', '-f', vectorPath(file)]).split(' ')[1]).toBe(
        fingerprintSha256(cert.publicKey.blob),
      );
    });
  });
});

describe.skipIf(tools.skip)(`certificates signed by ssh-keygen${tools.marker}`, () => {
  let dir = '';
  const cas: Record<string, string> = {};

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-sshcerts-'));
    const caTypes = { ed25519: ['-t', 'ed25519'], ecdsa384: ['-t', 'ecdsa', '-b', '384'] };
    const more = { ecdsa521: ['-t', 'ecdsa', '-b', '521'], rsa: ['-t', 'rsa', '-b', '2048'] };
    for (const [name, args] of Object.entries({ ...caTypes, ...more })) {
      cas[name] = path.join(dir, `ca-${name}`);
      sshKeygen(['-q', ...args, '-N', '', '-C', `ca-${name}`, '-f', cas[name]]);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let counter = 0;
  /** Signs `pair` with ssh-keygen and returns our parse and ssh-keygen's listing. */
  function sign(pair: SshKeyPair, ca: string, args: string[]) {
    const base = path.join(dir, `user${++counter}`);
    writeFileSync(`${base}.pub`, `${pair.publicKeyLine}\n`);
    sshKeygen(['-q', '-s', cas[ca] ?? '', ...args, `${base}.pub`]);
    const line = readFileSync(`${base}-cert.pub`, 'utf8');
    const listing = parseListing(sshKeygen(['-L', '-f', `${base}-cert.pub`]));
    return { cert: parseCertificateLine(line), listing };
  }

  const cases: [SshKeyType, string, string[], string][] = [
    ['ssh-ed25519', 'ed25519', [], 'ssh-ed25519'],
    ['ssh-rsa', 'rsa', [], 'rsa-sha2-512'],
    ['ecdsa-sha2-nistp256', 'rsa', ['-t', 'rsa-sha2-256'], 'rsa-sha2-256'],
    ['ecdsa-sha2-nistp384', 'ecdsa384', [], 'ecdsa-sha2-nistp384'],
    ['ecdsa-sha2-nistp521', 'ecdsa521', [], 'ecdsa-sha2-nistp521'],
    ['ssh-ed25519', 'rsa', ['-t', 'ssh-rsa'], 'ssh-rsa'],
  ];

  it.each(cases)('%s key, %s CA %j', async (type, ca, args, algorithm) => {
    const pair = await generateKeyPair({ type, comment: 'alice@onehop' });
    const other = await generateKeyPair({ type });
    const validity = ['-V', '20240101123456:20350101'];
    const { cert, listing } = sign(pair, ca, [
      ...args,
      '-I',
      'alice',
      '-n',
      'alice,root',
      ...validity,
    ]);
    expect(listingOf(cert)).toEqual(listing);
    expect(cert.signatureAlgorithm).toBe(algorithm);
    expect(verifyCertificateSignature(cert)).toEqual({
      valid: true,
      algorithm,
      sha1: algorithm === 'ssh-rsa',
    });
    expect(certificateMatchesKey(cert, pair.publicKeyBlob)).toBe(true);
    expect(certificateMatchesKey(cert, other.publicKey)).toBe(false);
    expect(cert.type).toBe('user');
    expect(cert.validAfter?.toISOString()).toBe('2024-01-01T12:34:56.000Z');
  });

  it('decodes options, extensions, serials and unbounded validity like ssh-keygen', async () => {
    const pair = await generateKeyPair({ type: 'ssh-ed25519' });
    const options = ['-O', 'critical:source-address=10.0.0.0/8', '-O', 'force-command=/bin/true'];
    options.push('-O', 'verify-required', '-O', 'extension:teleport-roles@x={"roles":["a b"]}');
    options.push('-O', 'extension:flag@x', '-O', 'critical:custom=välue');
    const { cert, listing } = sign(pair, 'ed25519', [
      ...options,
      ...[
        '-I',
        'id "quoted" x',
        '-n',
        'a,b c',
        '-z',
        '18446744073709551615',
        '-V',
        'always:forever',
      ],
    ]);
    expect(listingOf(cert)).toEqual(listing);
    expect(cert.serial).toBe(FOREVER);
    expect(cert.validAfter).toBeNull();
    expect(cert.validBefore).toBeNull();
    expect(isCertificateValidAt(cert)).toBe(true);
    expect(Object.fromEntries(cert.criticalOptions)).toEqual({
      custom: 'välue',
      'force-command': '/bin/true',
      'source-address': '10.0.0.0/8',
      'verify-required': '',
    });
    expect(cert.extensions.get('teleport-roles@x')).toBe('{"roles":["a b"]}');
    expect(cert.extensions.get('flag@x')).toBe('');
    expect(cert.extensions.get('permit-pty')).toBe('');
    expect(verifyCertificateSignature(cert).valid).toBe(true);
  });

  it.each([
    ['after', '20200101:forever'],
    ['before', 'always:20300101'],
  ])('prints "valid %s" like ssh-keygen', async (_label, validity) => {
    const pair = await generateKeyPair({ type: 'ecdsa-sha2-nistp256' });
    const { cert, listing } = sign(pair, 'ecdsa384', ['-h', '-I', 'h', '-V', validity]);
    expect(listingOf(cert)).toEqual(listing);
    expect(cert.type).toBe('host');
    expect(cert.principals).toEqual([]);
  });
});
