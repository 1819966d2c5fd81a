/**
 * The signed-in credential where OpenSSH finds it:
 *   - agent mode: key + certificate in the running ssh-agent, with a lifetime equal to the
 *     certificate's remaining validity and the comment `onehop:<site>:<user>`; only the
 *     certificate (public) is written to disk, for IdentityFile/CertificateFile to select it;
 *   - file mode: `~/.ssh/onehop/<site>/id` (OpenSSH format) and `id-cert.pub`, 0600 in a 0700
 *     directory.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  formatOpenSshPrivateKey,
  parseCertificateLine,
  parsePrivateKey,
} from '../credentials/sshKeys';
import type { SiteCredentials } from '../credentials/vault';
import { AgentError, createAgentClient, type AgentClient } from '../ssh/agent';
import { ensurePrivateDir, writeFileAtomic } from './files';

export interface IdentityPaths {
  dir: string;
  /** The private key (file mode only). */
  key: string;
  certificate: string;
}

export function identityPaths(onehopDir: string, site: string): IdentityPaths {
  const dir = path.join(onehopDir, site);
  return { dir, key: path.join(dir, 'id'), certificate: path.join(dir, 'id-cert.pub') };
}

export function agentComment(site: string, username: string): string {
  return `onehop:${site}:${username}`;
}

/** Writes the certificate, and in file mode the private key too (removing it in agent mode). */
export async function writeIdentityFiles(
  paths: IdentityPaths,
  credentials: SiteCredentials,
  mode: 'agent' | 'file',
  site: string,
): Promise<void> {
  await ensurePrivateDir(paths.dir);
  const comment = agentComment(site, credentials.username);
  const certificate = credentials.certificate.trim().split(/\s+/).slice(0, 2).join(' ');
  if (mode === 'file') {
    const { privateKey } = parsePrivateKey(credentials.privateKeyPem, `for ${site}`);
    await writeFileAtomic(paths.key, formatOpenSshPrivateKey(privateKey, comment));
  } else {
    await fs.rm(paths.key, { force: true });
  }
  await writeFileAtomic(paths.certificate, `${certificate} ${comment}\n`);
}

export async function removeIdentityFiles(paths: IdentityPaths): Promise<void> {
  await fs.rm(paths.dir, { recursive: true, force: true });
}

/**
 * The agent at `socketPath` if one answers, else null with the reason ("no agent": no
 * SSH_AUTH_SOCK, or a socket nobody listens on).
 */
export async function findAgent(
  socketPath: string | undefined,
  timeoutMs = 3_000,
): Promise<{ agent: AgentClient } | { agent: null; reason: string }> {
  try {
    const agent = createAgentClient({
      env: { SSH_AUTH_SOCK: socketPath ?? '' },
      timeoutMs,
    });
    await agent.listIdentities();
    return { agent };
  } catch (error) {
    if (error instanceof AgentError) return { agent: null, reason: error.message };
    throw error;
  }
}

/** Seconds until the certificate expires (undefined: never), or an error when it already has. */
export function remainingLifetime(certificate: string, now: Date): number | undefined {
  const cert = parseCertificateLine(certificate);
  if (cert.validBefore === null) return undefined;
  const seconds = Math.floor((cert.validBefore.getTime() - now.getTime()) / 1000);
  if (seconds < 1) {
    throw new Error('The certificate has expired; sign in again before handing it to OpenSSH.');
  }
  return Math.min(seconds, 0xffff_ffff);
}

/** Replaces the site's earlier OneHop entries with this key and certificate. */
export async function addToAgent(
  agent: AgentClient,
  site: string,
  credentials: SiteCredentials,
  now: Date,
): Promise<{ lifetimeSeconds: number | undefined }> {
  const lifetimeSeconds = remainingLifetime(credentials.certificate, now);
  await agent.removeByCommentPrefix(`onehop:${site}:`);
  await agent.addCertificateIdentity({
    privateKeyPem: credentials.privateKeyPem,
    certificate: credentials.certificate,
    comment: agentComment(site, credentials.username),
    ...(lifetimeSeconds === undefined ? {} : { lifetimeSeconds }),
  });
  return { lifetimeSeconds };
}

export function removeFromAgent(agent: AgentClient, site: string): Promise<number> {
  return agent.removeByCommentPrefix(`onehop:${site}:`);
}
