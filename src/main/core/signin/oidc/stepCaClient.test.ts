import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../credentials/sshKeys';
import { OidcSignInError } from './errors';
import { principalsFromClaims, usernameFromClaims } from './principals';
import { fetchSshRoots, goDuration, signUserKey } from './stepCaClient';

async function fakeCa(
  handler: (path: string, body: string) => { status: number; body: unknown },
): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const answer = handler(req.url ?? '', body);
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => server.close(),
  };
}

describe('step-ca client', () => {
  it('formats durations as Go does', () => {
    expect(goDuration(12 * 3600_000)).toBe('12h0m0s');
    expect(goDuration(90 * 60_000)).toBe('1h30m0s');
    expect(goDuration(30 * 60_000)).toBe('30m0s');
    expect(goDuration(45_000)).toBe('45s');
    expect(goDuration(1)).toBe('1s');
  });

  it('sends the step-ca request body and shows the CA message on refusal', async () => {
    let seen: Record<string, unknown> = {};
    const ca = await fakeCa((path, body) => {
      seen = { path, ...(JSON.parse(body) as Record<string, unknown>) };
      return { status: 401, body: { status: 401, message: 'token is expired' } };
    });
    const keys = await generateKeyPair({ type: 'ssh-ed25519' });
    const error = await signUserKey({
      caUrl: ca.url,
      publicKeyBlob: keys.publicKeyBlob,
      ott: 'a.b.c',
      principals: ['ada'],
      ttlMs: 12 * 3600_000,
    }).catch((e: unknown) => e);
    ca.close();
    expect(seen).toEqual({
      path: '/1.0/ssh/sign',
      publicKey: keys.publicKeyBlob.toString('base64'),
      ott: 'a.b.c',
      certType: 'user',
      principals: ['ada'],
      validAfter: '',
      validBefore: '12h0m0s',
    });
    expect(error).toBeInstanceOf(OidcSignInError);
    expect((error as OidcSignInError).message).toBe(
      "The SSH CA refused to sign the certificate (HTTP 401: token is expired); sign in again, or ask the CA's administrators.",
    );
  });

  it('reads roots as authorized_keys lines and refuses junk', async () => {
    const host = await generateKeyPair({ type: 'ssh-ed25519' });
    let junk = false;
    const ca = await fakeCa(() =>
      junk
        ? { status: 200, body: { hostKey: ['!!'] } }
        : { status: 200, body: { hostKey: [host.publicKeyBlob.toString('base64')], userKey: [] } },
    );
    const roots = await fetchSshRoots(ca.url);
    expect(roots.hostKeys).toEqual([host.publicKeyLine.split(' ').slice(0, 2).join(' ')]);
    junk = true;
    await expect(fetchSshRoots(ca.url)).rejects.toThrow(/listed unusable keys/);
    ca.close();
  });
});

describe('principals from the ID token', () => {
  it('prefers preferred_username, else the local part of email', () => {
    expect(principalsFromClaims({ preferred_username: 'ada', email: 'x@y' })).toEqual(['ada']);
    expect(principalsFromClaims({ preferred_username: 'ada@corp.example' })).toEqual(['ada']);
    expect(principalsFromClaims({ email: 'grace.h@example.org' })).toEqual(['grace.h']);
    expect(() => principalsFromClaims({ sub: 'x' })).toThrow(/no preferred_username or email/);
    expect(() => principalsFromClaims({ preferred_username: 'a,b' })).toThrow(
      /not a valid login name/,
    );
    expect(usernameFromClaims({ sub: 's', email: 'e@x' })).toBe('e@x');
    expect(usernameFromClaims({ sub: 's' })).toBe('s');
  });
});
