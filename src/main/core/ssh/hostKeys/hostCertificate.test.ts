import { execFile } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateKey,
  signHostKey,
  signUserKey,
  type KeyPair,
} from '../../../../../test/support/sshd';
import { requireTools } from '../../../../../test/support/tools';
import {
  fingerprintSha256,
  parseCertificateLine,
  parsePrivateKey,
  parsePublicKeyLine,
  SshWriter,
  type SshPublicKey,
} from '../../credentials/sshKeys';
import { checkHostCertificate, type HostCertificateCheck } from './hostCertificate';

const tools = requireTools(['ssh-keygen']);
const execFileAsync = promisify(execFile);
const HOST = 'hpc-login.example.org';

describe.skipIf(tools.skip)(`host certificates signed by ssh-keygen${tools.marker}`, () => {
  let dir: string;
  let edCa: KeyPair;
  let ecdsaCa: KeyPair;
  let rsaCa: KeyPair;
  let otherCa: KeyPair;
  let hostKey: KeyPair;
  let n = 0;

  const keyOf = (pair: KeyPair): SshPublicKey => parsePublicKeyLine(pair.publicKey);

  /** A fresh copy of the host key so each certificate gets its own `-cert.pub` file. */
  async function freshHostKey(type: 'ed25519' | 'rsa' | 'ecdsa' = 'ed25519'): Promise<KeyPair> {
    n += 1;
    return generateKey(dir, `host${n}`, type);
  }

  /** ssh-keygen with options signHostKey does not have (no `-n`, `-t ssh-rsa`). */
  async function signRaw(ca: KeyPair, key: KeyPair, extra: string[]): Promise<string> {
    const args = ['-q', '-s', ca.privateKeyPath, '-h', '-I', 'raw-id', ...extra, key.publicKeyPath];
    await execFileAsync(tools.paths['ssh-keygen'] ?? 'ssh-keygen', args, { timeout: 30_000 });
    return readFileSync(key.publicKeyPath.replace(/\.pub$/, '-cert.pub'), 'utf8').trim();
  }

  async function hostCert(ca: KeyPair, principals = [HOST], validity?: string): Promise<string> {
    const key = await freshHostKey();
    const options = { ca, publicKeyPath: key.publicKeyPath, principals, identity: 'hpc-login' };
    const cert = await signHostKey(validity === undefined ? options : { ...options, validity });
    return cert.certificate;
  }

  function check(certificate: string | Uint8Array, trusted: KeyPair[], host = HOST) {
    return checkHostCertificate({
      certificate,
      dialledHost: host,
      trustedCas: trusted.map(keyOf),
    });
  }

  function refusal(result: HostCertificateCheck): { reason: string; message: string } {
    if (result.ok) throw new Error('expected a refusal');
    return result;
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-hostcert-'));
    [edCa, ecdsaCa, rsaCa, otherCa, hostKey] = await Promise.all([
      generateKey(dir, 'ca-ed25519', 'ed25519'),
      generateKey(dir, 'ca-ecdsa', 'ecdsa'),
      generateKey(dir, 'ca-rsa', 'rsa'),
      generateKey(dir, 'ca-other', 'ed25519'),
      generateKey(dir, 'host', 'ed25519'),
    ]);
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['ed25519', () => edCa],
    ['ecdsa', () => ecdsaCa],
    ['rsa (rsa-sha2-512)', () => rsaCa],
  ])('accepts a valid certificate from a trusted %s CA', async (_label, ca) => {
    const line = await hostCert(ca());
    const parsed = parseCertificateLine(line);
    if (ca() === rsaCa) expect(parsed.signatureAlgorithm).toBe('rsa-sha2-512');
    const result = check(line, [otherCa, ca()]);
    expect(result).toMatchObject({
      ok: true,
      caFingerprint: fingerprintSha256(keyOf(ca()).blob),
      keyId: 'hpc-login',
      plainKey: { type: 'ssh-ed25519', blob: parsed.publicKey.blob },
    });
    // The blob as sent in key exchange gives the same answer as the line.
    expect(check(parsed.blob, [ca()]).ok).toBe(true);
  });

  it('matches the principal case-insensitively and refuses other names', async () => {
    const line = await hostCert(edCa, ['HPC-Login.Example.org', '10.0.0.5']);
    expect(check(line, [edCa]).ok).toBe(true);
    expect(check(line, [edCa], '10.0.0.5').ok).toBe(true);
    const wrong = refusal(check(line, [edCa], 'ecs-login.example.org'));
    expect(wrong.reason).toBe('wrong-principal');
    expect(wrong.message).toBe(
      'The host certificate presented by ecs-login.example.org is not valid for that name; ' +
        'it names only HPC-Login.Example.org, 10.0.0.5.',
    );
    // No wildcards and no prefix matches in host principals (OpenSSH compares exactly).
    expect(refusal(check(line, [edCa], 'hpc-login')).reason).toBe('wrong-principal');
  });

  it('refuses a certificate without principals instead of letting it match any host', async () => {
    const line = await signRaw(edCa, await freshHostKey(), ['-V', '+1h']);
    expect(parseCertificateLine(line).principals).toEqual([]);
    const result = refusal(check(line, [edCa]));
    expect(result.reason).toBe('wrong-principal');
    expect(result.message).toContain('it names no hosts at all');
  });

  it('refuses an expired certificate, and says when it expired', async () => {
    const line = await hostCert(edCa, [HOST], '-2h:-1h');
    const result = refusal(check(line, [edCa]));
    expect(result.reason).toBe('expired');
    expect(result.message).toMatch(
      /^The host certificate of hpc-login\.example\.org expired at \d{4}-\d\d-\d\d \d\d:\d\d UTC; /,
    );
  });

  it('refuses a certificate that is not valid yet', async () => {
    const line = await hostCert(edCa, [HOST], '+1h:+2h');
    const result = refusal(check(line, [edCa]));
    expect(result.reason).toBe('not-yet-valid');
    expect(result.message).toContain("check your computer's clock");
  });

  it('uses the half-open validity window at the given time', async () => {
    const line = await hostCert(edCa, [HOST], '+1h:+2h');
    const cert = parseCertificateLine(line);
    const at = (date: Date | null) => {
      if (date === null) throw new Error('bounded validity expected');
      return checkHostCertificate({
        certificate: line,
        dialledHost: HOST,
        trustedCas: [keyOf(edCa)],
        now: date,
      });
    };
    expect(at(cert.validAfter).ok).toBe(true);
    expect(refusal(at(cert.validBefore)).reason).toBe('expired');
  });

  it('refuses a user certificate presented as a host key', async () => {
    const key = await freshHostKey();
    const { certificate } = await signUserKey({
      ca: edCa,
      publicKeyPath: key.publicKeyPath,
      principals: [HOST],
    });
    const result = refusal(check(certificate, [edCa]));
    expect(result.reason).toBe('not-host-cert');
    expect(result.message).toContain('presented a user certificate as its host key');
  });

  it('names an unknown CA and hands back the plain key for known_hosts', async () => {
    const key = await freshHostKey();
    const { certificate } = await signHostKey({
      ca: otherCa,
      publicKeyPath: key.publicKeyPath,
      principals: [HOST],
    });
    const caFingerprint = fingerprintSha256(keyOf(otherCa).blob);
    const result = check(certificate, [edCa, rsaCa]);
    expect(result).toMatchObject({ ok: false, reason: 'untrusted-ca', caFingerprint });
    if (result.ok || result.reason !== 'untrusted-ca') throw new Error('expected untrusted-ca');
    expect(result.plainKey.blob.equals(keyOf(key).blob)).toBe(true);
    expect(result.message).toBe(
      `The host certificate of ${HOST} was signed by an unknown authority (${caFingerprint}); ` +
        "it is not one of the site's host CAs.",
    );
    expect(refusal(check(certificate, [])).message).toContain(
      'no host CAs are known for this site',
    );
  });

  it.each([
    ['ed25519', () => edCa],
    ['rsa', () => rsaCa],
  ])('refuses a tampered %s signature, even from an unknown CA', async (_label, ca) => {
    const blob = parseCertificateLine(await hostCert(ca())).blob;
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 0x01;
    for (const trusted of [[ca()], [otherCa], []]) {
      const result = refusal(check(tampered, trusted));
      expect(result.reason).toBe('bad-signature');
      expect(result.message).toContain('signature that does not verify');
    }
  });

  it('refuses a certificate whose signed fields were changed', async () => {
    const line = await hostCert(edCa, ['hpc-login']);
    const blob = Buffer.from(parseCertificateLine(line).blob);
    // Rename the principal hpc-login → hpc-logim: same length, so the blob still parses.
    const at = blob.lastIndexOf('hpc-login');
    blob[at + 8] = 'm'.charCodeAt(0);
    expect(refusal(check(blob, [edCa], 'hpc-logim')).reason).toBe('bad-signature');
  });

  it('refuses a SHA-1 (ssh-rsa) CA signature from a trusted CA', async () => {
    // OpenSSH 9.2 still signs with SHA-1 when asked (`-t ssh-rsa`), so no hand-built certificate.
    const line = await signRaw(rsaCa, await freshHostKey(), ['-t', 'ssh-rsa', '-n', HOST]);
    expect(parseCertificateLine(line).signatureAlgorithm).toBe('ssh-rsa');
    const result = refusal(check(line, [rsaCa]));
    expect(result.reason).toBe('sha1-signature');
    expect(result.message).toContain('SHA-1');
  });

  it('refuses a host certificate with a critical option, like OpenSSH', async () => {
    // ssh-keygen will not put critical options on host certificates: rebuild one from a real
    // certificate and re-sign it with the ed25519 CA through node:crypto.
    const cert = parseCertificateLine(await hostCert(edCa));
    const keyFields = cert.publicKey.blob.subarray(4 + cert.publicKey.type.length);
    const signedData = (criticalOptions: Buffer) =>
      new SshWriter()
        .bytes(cert.certType)
        .bytes(cert.nonce)
        .raw(keyFields)
        .uint64(cert.serial)
        .uint32(2)
        .bytes(cert.keyId)
        .bytes(Buffer.concat(cert.principals.map((p) => new SshWriter().bytes(p).toBuffer())))
        .uint64(cert.validAfterSeconds)
        .uint64(cert.validBeforeSeconds)
        .bytes(criticalOptions)
        .bytes(Buffer.alloc(0))
        .bytes('')
        .bytes(cert.signatureKey.blob)
        .toBuffer();
    // Without the option the rebuild is byte-identical to what ssh-keygen signed.
    expect(signedData(Buffer.alloc(0)).equals(cert.signedData)).toBe(true);
    const option = new SshWriter()
      .bytes('force-command')
      .bytes(new SshWriter().bytes('true').toBuffer());
    const signed = signedData(option.toBuffer());
    const caKey = parsePrivateKey(readFileSync(edCa.privateKeyPath)).privateKey;
    const signature = new SshWriter().bytes('ssh-ed25519').bytes(sign(null, signed, caKey));
    const blob = new SshWriter().raw(signed).bytes(signature.toBuffer()).toBuffer();
    const result = refusal(check(blob, [edCa]));
    expect(result.reason).toBe('unsupported-critical-option');
    expect(result.message).toContain('"force-command"');
  });

  it('reports unreadable input as malformed', () => {
    const result = refusal(check('ssh-ed25519-cert-v01@openssh.com AAAA', [edCa]));
    expect(result.reason).toBe('malformed');
    expect(result.message).toMatch(
      /^The host certificate of hpc-login\.example\.org cannot be read: /,
    );
    // A plain key is not a certificate at all.
    expect(refusal(check(hostKey.publicKey, [edCa])).reason).toBe('malformed');
  });
});
