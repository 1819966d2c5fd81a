/**
 * A whole site on this machine for SSH tests: a user CA and a host CA (ssh-keygen), a jump sshd
 * that presents only a host certificate (like a Teleport proxy), target sshds, and an issuer that
 * hands the core a certificate from that user CA — the sign-in flows themselves are tested in
 * test/signin; here the SSH side is what matters, and it is all real OpenSSH.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parsePrivateKey } from '../../src/main/core/credentials/sshKeys';
import type { Issuer } from '../../src/main/core/signin/issuer';
import {
  generateKey,
  signUserKey,
  startSshd,
  type KeyPair,
  type SshdOptions,
  type SshdServer,
} from './sshd';

/**
 * Credentials as the vault keeps them (PKCS#8 key + certificate line) for `key`, certified by
 * `ca` for `principals` (default root) — what the engine gets after a sign-in.
 */
export async function certificateCredentials(options: {
  ca: KeyPair;
  key: KeyPair;
  principals?: string[];
  validity?: string;
}): Promise<{ privateKeyPem: string; certificate: string }> {
  const cert = await signUserKey({
    ca: options.ca,
    publicKeyPath: options.key.publicKeyPath,
    principals: options.principals ?? ['root'],
    ...(options.validity ? { validity: options.validity } : {}),
  });
  const parsed = parsePrivateKey(readFileSync(options.key.privateKeyPath, 'utf8'));
  return {
    privateKeyPem: parsed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificate: cert.certificate.trim(),
  };
}

export const CERT_ONLY = 'HostKeyAlgorithms ssh-ed25519-cert-v01@openssh.com';

export interface SshSite {
  dir: string;
  userCa: KeyPair;
  hostCa: KeyPair;
  jump: SshdServer;
  /** Starts a target sshd trusting the user CA (host certificate from the host CA unless `plainHostKey`). */
  startTarget(options?: { plainHostKey?: boolean } & SshdOptions): Promise<SshdServer>;
  /** An issuer for `createCore({ issuers: { teleport } })` handing out certificates of this site. */
  issuer(options?: {
    validity?: string;
    principals?: string[];
    sshProxy?: string;
    tlsRouting?: boolean;
  }): Issuer;
  stop(): Promise<void>;
}

export async function startSshSite(options: { jump?: SshdOptions } = {}): Promise<SshSite> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-site-'));
  const [userCa, hostCa] = await Promise.all([
    generateKey(dir, 'user_ca'),
    generateKey(dir, 'host_ca'),
  ]);
  const common = { trustedUserCaKeys: [userCa.publicKey], authorizedKeysFile: 'none' };
  const jump = await startSshd({ ...common, hostCa, extraConfig: [CERT_ONLY], ...options.jump });
  const servers: SshdServer[] = [jump];
  let serial = 0;
  return {
    dir,
    userCa,
    hostCa,
    jump,
    async startTarget(targetOptions = {}) {
      const { plainHostKey, ...sshd } = targetOptions;
      const server = await startSshd({
        ...common,
        ...(plainHostKey ? {} : { hostCa, extraConfig: [CERT_ONLY] }),
        ...sshd,
      });
      servers.push(server);
      return server;
    },
    issuer(issued = {}) {
      return {
        kind: 'teleport',
        async signIn() {
          const key = await generateKey(dir, `id_${String(++serial)}`);
          const issuedKey = await certificateCredentials({
            ca: userCa,
            key,
            ...(issued.principals ? { principals: issued.principals } : {}),
            ...(issued.validity ? { validity: issued.validity } : {}),
          });
          return {
            credentials: {
              issuer: 'teleport',
              username: 'tester',
              ...issuedKey,
              hostSigners: [
                { clusterName: 'test-cluster', checkingKeys: [hostCa.publicKey], tlsCerts: [] },
              ],
              extra: {
                sshProxy: issued.sshProxy ?? `127.0.0.1:${String(jump.port)}`,
                ...(issued.tlsRouting ? { sshProxyTlsRouting: 'alpn' } : {}),
              },
            },
          };
        },
      };
    },
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
