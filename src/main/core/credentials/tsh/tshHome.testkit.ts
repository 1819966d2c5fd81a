/**
 * Builds throwaway `~/.tsh` trees for tests with the real `ssh-keygen` and `openssl`, in the
 * layouts of teleport-sso.md §6 (tsh ≤ 16 and ≥ 17). Not imported by production code; nothing
 * here is committed, every key is generated per run in a temporary directory.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function tool(name: string, args: string[]): Promise<void> {
  await run(name, args, { timeout: 30_000 });
}

export interface KeyFiles {
  privateKey: string;
  publicKey: string;
  /** The directory holding the key files (certificates are written beside them). */
  file: string;
}

/**
 * `ssh-keygen -t type`; `format: 'pem'` gives PKCS#1 for RSA (tsh ≤ 16 and v17 RSA),
 * 'pkcs8' gives `PRIVATE KEY` (tsh ≤ 16 EC keys), 'openssh' the default (tsh ≥ 17 Ed25519/ECDSA).
 */
export async function sshKey(
  dir: string,
  name: string,
  type: 'rsa' | 'ed25519' | 'ecdsa',
  options: { format?: 'pem' | 'pkcs8' | 'openssh'; passphrase?: string } = {},
): Promise<KeyFiles> {
  const file = path.join(dir, name);
  const args = ['-q', '-t', type, '-N', options.passphrase ?? '', '-C', name, '-f', file];
  if (type === 'rsa') args.push('-b', '2048');
  if (options.format === 'pem') args.push('-m', 'PEM');
  if (options.format === 'pkcs8') args.push('-m', 'PKCS8');
  await tool('ssh-keygen', args);
  return {
    file,
    privateKey: await readFile(file, 'utf8'),
    publicKey: await readFile(`${file}.pub`, 'utf8'),
  };
}

/** `ssh-keygen -s ca -I keyId -n principals -V validity key.pub` → the certificate line. */
export async function signUser(
  ca: KeyFiles,
  key: KeyFiles,
  options: { keyId: string; principals: string[]; validity?: string },
): Promise<string> {
  await tool('ssh-keygen', [
    '-q',
    '-s',
    ca.file,
    '-I',
    options.keyId,
    '-n',
    options.principals.join(','),
    '-V',
    options.validity ?? '-1m:+12h',
    `${key.file}.pub`,
  ]);
  return readFile(`${key.file}-cert.pub`, 'utf8');
}

/** A self-signed P-256 certificate with subject CN=`commonName` (stands in for Teleport's). */
export async function tlsCertificate(dir: string, commonName: string): Promise<string> {
  const base = path.join(dir, `tls-${commonName.replace(/[^A-Za-z0-9]/g, '_')}`);
  await tool('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    `${base}.key`,
    '-out',
    `${base}.pem`,
    '-subj',
    `/CN=${commonName}`,
    '-days',
    '1',
  ]);
  return readFile(`${base}.pem`, 'utf8');
}

/** Writes `files` (relative path → content) under `root`, creating directories as tsh does. */
export async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, content, { mode: 0o600 });
  }
}

/** The `@cert-authority` line tsh writes to `~/.tsh/known_hosts` (§5e). */
export function knownHostsLine(proxyHost: string, cluster: string, caPublicKey: string): string {
  const key = caPublicKey.trim().split(/\s+/).slice(0, 2).join(' ');
  return `@cert-authority ${proxyHost},${cluster},*.${cluster} ${key} type=host\n`;
}

/** Path → type, mode, size, mtime (ns) and sha256 of every file and directory under `root`. */
export async function snapshotTree(root: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    const stats = await stat(dir, { bigint: true });
    result[path.relative(root, dir) || '.'] = `dir ${stats.mode} ${stats.mtimeNs} ${stats.ctimeNs}`;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
      } else {
        const info = await stat(full, { bigint: true });
        const hash = createHash('sha256')
          .update(await readFile(full))
          .digest('hex');
        result[path.relative(root, full)] =
          `file ${info.mode} ${info.size} ${info.mtimeNs} ${info.ctimeNs} ${hash}`;
      }
    }
  };
  await walk(root);
  return result;
}
