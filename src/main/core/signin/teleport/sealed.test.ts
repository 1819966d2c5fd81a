import { describe, expect, it } from 'vitest';
import { TeleportSignInError } from './errors';
import { parseLoginResponse } from './loginResponse';
import { newSecretKey, open, seal } from './sealed';
import {
  HOST_CA_LINE,
  loginResponseJson,
  SSH_CERT_LINE,
  TLS_CERT_PEM,
} from './testing/loginFixture';

function thrown(fn: () => unknown): TeleportSignInError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TeleportSignInError);
    return error as TeleportSignInError;
  }
  throw new Error('expected a throw');
}

const MALFORMED =
  'The sign-in response from the proxy is malformed (not the sealed JSON Teleport sends); sign in again.';
const UNDECRYPTABLE =
  'The sign-in response could not be decrypted: it was altered on the way or sealed for another sign-in; sign in again.';

describe('sealed box', () => {
  it('makes 64-char lowercase hex keys', () => {
    expect(newSecretKey()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('round-trips with Teleport’s layout: 12-byte nonce, tag appended, standard base64', () => {
    const key = newSecretKey();
    const sealed = seal('hello', key);
    const box = JSON.parse(sealed) as { ciphertext: string; nonce: string };
    expect(Object.keys(box)).toEqual(['ciphertext', 'nonce']);
    expect(Buffer.from(box.nonce, 'base64')).toHaveLength(12);
    expect(Buffer.from(box.ciphertext, 'base64')).toHaveLength(5 + 16);
    expect(open(sealed, key).toString()).toBe('hello');
  });

  it('refuses a tampered ciphertext or another key', () => {
    const key = newSecretKey();
    const box = JSON.parse(seal('secret data', key)) as { ciphertext: string; nonce: string };
    const bytes = Buffer.from(box.ciphertext, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    const tampered = JSON.stringify({ ...box, ciphertext: bytes.toString('base64') });
    expect(thrown(() => open(tampered, key)).message).toBe(UNDECRYPTABLE);
    expect(thrown(() => open(seal('x', key), newSecretKey())).message).toBe(UNDECRYPTABLE);
  });

  it.each([
    ['not JSON', 'garbage'],
    ['no nonce', '{"ciphertext":"AAAAAAAAAAAAAAAAAAAAAA=="}'],
    ['short nonce', '{"ciphertext":"AAAAAAAAAAAAAAAAAAAAAA==","nonce":"AAAA"}'],
    ['url-safe base64', '{"ciphertext":"AAAA-_AAAAAAAAAAAAAAAA==","nonce":"AAAAAAAAAAAAAAAA"}'],
    ['short ciphertext', '{"ciphertext":"AAAA","nonce":"AAAAAAAAAAAAAAAA"}'],
  ])('calls %s malformed', (_title, sealed) => {
    const error = thrown(() => open(sealed, newSecretKey()));
    expect(error.code).toBe('callback');
    expect(error.message).toBe(MALFORMED);
  });
});

describe('parseLoginResponse', () => {
  it('decodes the Go []byte fields and tolerates unknown fields and null lists', () => {
    expect(parseLoginResponse(loginResponseJson())).toEqual({
      username: 'alice@example.com',
      sshCertificate: SSH_CERT_LINE,
      tlsCertificatePem: TLS_CERT_PEM,
      hostSigners: [
        {
          clusterName: 'example-cluster',
          checkingKeys: [HOST_CA_LINE],
          tlsCertsPem: [TLS_CERT_PEM],
        },
        { clusterName: 'leaf', checkingKeys: [], tlsCertsPem: [] },
      ],
    });
  });

  it.each([
    ['not JSON', '{', 'not JSON'],
    ['no username', loginResponseJson({ username: '' }), '"username" is empty'],
    ['no cert', loginResponseJson({ cert: undefined }), '"cert" is missing'],
    ['bad base64', loginResponseJson({ cert: 'not base64!' }), '"cert" is not standard base64'],
    [
      'not a certificate',
      loginResponseJson({ cert: Buffer.from('ssh-ed25519 AAAA').toString('base64') }),
      '"cert" is not an OpenSSH certificate',
    ],
    [
      'no TLS certificate',
      loginResponseJson({ tls_cert: '' }),
      '"tls_cert" is not a PEM certificate',
    ],
  ])('refuses %s', (_title, json, detail) => {
    expect(() => parseLoginResponse(json)).toThrow(
      `The sign-in response from the proxy is incomplete (${detail}); sign in again, and ask your administrators if it keeps failing.`,
    );
  });
});
