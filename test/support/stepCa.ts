/**
 * A step-ca compatible SSH CA emulator on 127.0.0.1 for tests, e2e and the sandbox.
 *
 *   const ca = await startStepCa({ idpIssuer: idp.issuer, audience: 'onehop' });
 *   ca.url;                  // http://127.0.0.1:<port>
 *   ca.userCa.publicKey;     // `ssh-ed25519 AAAA…`: trust it in sshd (TrustedUserCAKeys)
 *   ca.signRequests;         // POST /1.0/ssh/sign requests seen (accepted or not)
 *   ca.misbehave('other-key'); // the next signature certifies a different key (error tests)
 *   await ca.close();
 *
 * `POST /1.0/ssh/sign` verifies the `ott` as step-ca's OIDC provisioner does — signature through
 * the IdP's JWKS (found by discovery), `iss`, `aud` (= the client id) and `exp` — BEFORE signing,
 * and refuses with 401 `{"status":401,"message":"…"}`. Requested principals must be the token's
 * `preferred_username` or the local part of its `email` (403 otherwise); none requested means
 * those. It signs with the real `ssh-keygen -s <user CA> -I <email> -n <principals> -V +<ttl>`
 * and answers `{"crt": base64(certificate blob)}`. `GET /1.0/ssh/roots` lists the host and user
 * CA public keys. Only the loopback IdP is contacted.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { parseGoDuration } from '../../src/main/core/signin/teleport/duration';
import { generateKey, type KeyPair } from './sshd';
import { findTool, installHint } from './tools';

const execFileAsync = promisify(execFile);

export interface StepCaOptions {
  /** The IdP issuer (loopback http); its discovery names the JWKS. */
  idpIssuer: string;
  /** Expected `aud` of the ID token: the OneHop client id at the IdP. */
  audience: string;
  /** User CA key pair (generated when absent). */
  userCa?: KeyPair;
  /** Host CA key pair listed in /1.0/ssh/roots (generated when absent). */
  hostCa?: KeyPair;
  /** Lifetime when `validBefore` is empty (step-ca's default is 16h). */
  defaultTtlMs?: number;
  /** Longest lifetime granted (step-ca: maxUserSSHCertDuration, 24h). */
  maxTtlMs?: number;
}

/** Ways to break the next signature on purpose. */
export type Misbehaviour = 'other-key' | 'host-cert' | 'garbage' | 'server-error';

export interface SignRecord {
  principals: string[];
  keyId: string;
  validBefore: string;
  status: number;
}

export interface StepCa {
  url: string;
  port: number;
  userCa: KeyPair;
  hostCa: KeyPair;
  /** POST /1.0/ssh/sign requests seen, accepted or not. */
  readonly signRequests: number;
  /** What each sign request asked for and how it ended. */
  readonly log: SignRecord[];
  misbehave(next: Misbehaviour): void;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

function ssh_keygen(): string {
  const found = findTool('ssh-keygen');
  if (!found) throw new Error(`ssh-keygen is missing: ${installHint('ssh-keygen')}.`);
  return found;
}

function blobOf(line: string): string {
  return line.trim().split(/\s+/)[1] ?? '';
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function allowedPrincipals(claims: JWTPayload): string[] {
  const names = new Set<string>();
  const local = (v: unknown) => (typeof v === 'string' && v ? v.split('@')[0] : undefined);
  const preferred = local(claims.preferred_username);
  const email = local(claims.email);
  if (preferred) names.add(preferred);
  if (email) names.add(email);
  return [...names];
}

export async function startStepCa(options: StepCaOptions): Promise<StepCa> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-stepca-'));
  const userCa = options.userCa ?? (await generateKey(dir, 'user_ca'));
  const hostCa = options.hostCa ?? (await generateKey(dir, 'host_ca'));
  const defaultTtl = options.defaultTtlMs ?? 16 * 3600_000;
  const maxTtl = options.maxTtlMs ?? 24 * 3600_000;
  const log: SignRecord[] = [];
  let signRequests = 0;
  let misbehaviour: Misbehaviour | undefined;
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

  const issuer = options.idpIssuer.replace(/\/+$/, '');
  if (!/^http:\/\/(127\.\d+\.\d+\.\d+|\[::1\]|localhost)(:\d+)?$/.test(issuer)) {
    throw new Error(`The step-ca emulator only talks to a loopback IdP, not ${issuer}.`);
  }

  const keySet = async () => {
    if (jwks) return jwks;
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    const discovery = (await res.json()) as { jwks_uri?: unknown };
    if (typeof discovery.jwks_uri !== 'string') throw new Error('IdP discovery has no jwks_uri');
    const uri = new URL(discovery.jwks_uri);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(uri.hostname)) {
      throw new Error(`refusing non-loopback jwks_uri ${uri.origin}`);
    }
    jwks = createRemoteJWKSet(uri);
    return jwks;
  };

  const sign = async (body: unknown): Promise<{ crt: string }> => {
    const req = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (typeof req.ott !== 'string' || !req.ott) throw new Refusal(400, 'missing ott');
    if (typeof req.publicKey !== 'string' || !req.publicKey) {
      throw new Refusal(400, 'missing publicKey');
    }
    if (req.certType !== 'user')
      throw new Refusal(400, `certType "${String(req.certType)}" not allowed`);
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(req.ott, await keySet(), {
        issuer,
        audience: options.audience,
        requiredClaims: ['exp', 'iat', 'sub'],
      }));
    } catch (error) {
      throw new Refusal(
        401,
        `validateToken: ${error instanceof Error ? error.message : 'invalid token'}`,
      );
    }
    const allowed = allowedPrincipals(claims);
    const requested = Array.isArray(req.principals) ? req.principals.map(String) : [];
    const principals = requested.length ? requested : allowed;
    const denied = principals.find((p) => !allowed.includes(p));
    if (denied !== undefined || principals.length === 0) {
      throw new Refusal(403, `principal "${denied ?? ''}" is not allowed for this token`);
    }
    let ttl = defaultTtl;
    if (typeof req.validBefore === 'string' && req.validBefore) {
      try {
        ttl = parseGoDuration(req.validBefore);
      } catch {
        throw new Refusal(400, `invalid validBefore "${req.validBefore}"`);
      }
    }
    ttl = Math.min(Math.max(ttl, 60_000), maxTtl);

    const work = mkdtempSync(path.join(dir, 'sign-'));
    try {
      const keyPath = path.join(work, 'key.pub');
      let keyBlob = req.publicKey;
      const mode = misbehaviour;
      misbehaviour = undefined;
      if (mode === 'server-error') throw new Refusal(500, 'internal error');
      if (mode === 'garbage') return { crt: randomBytes(64).toString('base64') };
      if (mode === 'other-key') keyBlob = blobOf((await generateKey(work, 'other')).publicKey);
      // The key type comes from the blob itself (SSH string: uint32 length, name).
      const blob = Buffer.from(keyBlob, 'base64');
      const typeLength = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
      const keyType = blob.subarray(4, 4 + typeLength).toString('latin1');
      if (!/^[a-z0-9@.-]+$/.test(keyType) || blob.toString('base64') !== keyBlob) {
        throw new Refusal(400, 'publicKey is not an SSH public key');
      }
      writeFileSync(keyPath, `${keyType} ${keyBlob}\n`);
      const keyId = typeof claims.email === 'string' ? claims.email : String(claims.sub);
      const args = ['-q', '-s', userCa.privateKeyPath, '-I', keyId, '-n', principals.join(',')];
      if (mode === 'host-cert') args.push('-h');
      args.push('-V', `-1m:+${Math.round(ttl / 1000)}s`, '-z', String(signRequests), keyPath);
      try {
        await execFileAsync(ssh_keygen(), args, { timeout: 30_000 });
      } catch (error) {
        throw new Refusal(400, `cannot sign: ${error instanceof Error ? error.message : 'failed'}`);
      }
      const crt = blobOf(readFileSync(path.join(work, 'key-cert.pub'), 'utf8'));
      log.push({
        principals,
        keyId,
        validBefore: typeof req.validBefore === 'string' ? req.validBefore : '',
        status: 201,
      });
      return { crt };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/1.0/ssh/roots' && req.method === 'GET') {
      json(res, 200, { hostKey: [blobOf(hostCa.publicKey)], userKey: [blobOf(userCa.publicKey)] });
      return;
    }
    if (url.pathname === '/health') return json(res, 200, { status: 'ok' });
    if (url.pathname !== '/1.0/ssh/sign' || req.method !== 'POST') {
      return json(res, 404, { status: 404, message: 'not found' });
    }
    signRequests += 1;
    void (async () => {
      const text = await readBody(req);
      if (text === undefined) throw new Refusal(413, 'request too large');
      let body: unknown;
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        throw new Refusal(400, 'error decoding json');
      }
      json(res, 201, await sign(body));
    })().catch((error: unknown) => {
      const status = error instanceof Refusal ? error.status : 500;
      const message = error instanceof Error ? error.message : 'internal error';
      log.push({ principals: [], keyId: '', validBefore: '', status });
      if (!res.headersSent) json(res, status, { status, message });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    userCa,
    hostCa,
    get signRequests() {
      return signRequests;
    },
    log,
    misbehave(next) {
      misbehaviour = next;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
