/**
 * The emulator's certificate authorities, as a Teleport auth server holds them (teleport-sso.md
 * §5a, §5b): an SSH user CA, an SSH host CA and a TLS CA, all created and used through the real
 * `ssh-keygen` and `openssl` CLIs in a private temporary directory.
 */
import { execFile } from 'node:child_process';
import { createPublicKey, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findTool, installHint } from '../tools';

const execFileAsync = promisify(execFile);
const TOOL_TIMEOUT_MS = 30_000;

/** Teleport's SSHSessionJoinPrincipal, added to every user certificate. */
export const SESSION_JOIN_PRINCIPAL = '-teleport-internal-join';

export type CaAlgorithm = 'rsa' | 'ed25519' | 'ecdsa';

function tool(name: string): string {
  const found = findTool(name);
  if (!found) throw new Error(`${name} is missing: ${installHint(name)}.`);
  return found;
}

async function run(name: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(tool(name), args, { timeout: TOOL_TIMEOUT_MS });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    const detail = typeof stderr === 'string' && stderr.trim() ? stderr.trim() : String(error);
    throw new Error(`${name} ${args[0] ?? ''} failed: ${detail}`, { cause: error });
  }
}

const firstTwoFields = (line: string) => line.trim().split(/\s+/).slice(0, 2).join(' ');

export interface UserCertificateRequest {
  /** authorized_keys line of the key to certify. */
  sshPublicKey: string;
  /** Teleport username (`KeyId`). */
  username: string;
  /** Principals before the internal join principal. */
  logins: string[];
  validAfter: Date;
  validBefore: Date;
  /** Role names for the `teleport-roles` extension. */
  roles: string[];
  clusterName: string;
}

export interface Authority {
  clusterName: string;
  /** authorized_keys lines (`type base64`) of the CAs. */
  userCaPublicKey: string;
  hostCaPublicKey: string;
  /** The TLS CA certificate (Issuer CN = cluster name). */
  tlsCaPem: string;
  /** Private key files, for tests that need to sign more (e.g. an sshd host key). */
  userCaKeyPath: string;
  hostCaKeyPath: string;
  /** `ssh-keygen -s userCa …`: an OpenSSH user certificate line. */
  signUserKey(request: UserCertificateRequest): Promise<string>;
  /** A TLS client certificate (CN = username) for a PEM public key, signed by the TLS CA. */
  issueTlsCertificate(publicKeyPem: string, username: string, notAfter: Date): Promise<string>;
  /** `ssh-keygen -s hostCa -h`: writes `<key>-cert.pub` beside the key, returns its line. */
  signHostKey(publicKeyPath: string, principals: string[], validity?: string): Promise<string>;
  /** PEM public key (PKIX) of an RSA/ECDSA authorized_keys line, via `ssh-keygen -e`. */
  pemFromSshPublicKey(sshPublicKey: string): Promise<string>;
  close(): void;
}

function sshKeygenType(algorithm: CaAlgorithm): string[] {
  if (algorithm === 'rsa') return ['-t', 'rsa', '-b', '2048'];
  if (algorithm === 'ecdsa') return ['-t', 'ecdsa', '-b', '256'];
  return ['-t', 'ed25519'];
}

/** `ssh-keygen -V` wants `YYYYMMDDHHMMSSZ` for an absolute UTC time. */
function sshTime(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

export async function createAuthority(options: {
  clusterName: string;
  sshCaAlgorithm: CaAlgorithm;
  tlsCaAlgorithm: 'rsa' | 'ecdsa';
}): Promise<Authority> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-teleport-ca-'));
  const file = (name: string) => path.join(dir, name);
  try {
    const keygen = (name: string) =>
      run('ssh-keygen', [
        '-q',
        ...sshKeygenType(options.sshCaAlgorithm),
        '-N',
        '',
        '-C',
        `${options.clusterName}-${name}`,
        '-f',
        file(name),
      ]);
    await Promise.all([keygen('user_ca'), keygen('host_ca')]);
    const tlsKeyArgs =
      options.tlsCaAlgorithm === 'rsa'
        ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']
        : ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    await run('openssl', ['genpkey', ...tlsKeyArgs, '-out', file('tls_ca.key')]);
    writeFileSync(
      file('ca.ext'),
      [
        '[user]',
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=clientAuth,serverAuth',
        '',
      ].join('\n'),
    );
    // `req -x509` applies the default config's v3_ca section: a CA:TRUE certificate.
    await run('openssl', [
      'req',
      '-x509',
      '-new',
      '-key',
      file('tls_ca.key'),
      '-subj',
      `/O=${options.clusterName}/CN=${options.clusterName}`,
      '-days',
      '30',
      '-out',
      file('tls_ca.crt'),
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const userCaPublicKey = firstTwoFields(readFileSync(file('user_ca.pub'), 'utf8'));
  const hostCaPublicKey = firstTwoFields(readFileSync(file('host_ca.pub'), 'utf8'));
  const tlsCaPem = readFileSync(file('tls_ca.crt'), 'utf8');

  const signUserKey = async (request: UserCertificateRequest): Promise<string> => {
    const name = `user-${randomUUID()}`;
    const pubPath = file(`${name}.pub`);
    writeFileSync(pubPath, `${firstTwoFields(request.sshPublicKey)}\n`);
    const roles = JSON.stringify({ version: 'v1', roles: request.roles });
    await run('ssh-keygen', [
      '-q',
      '-s',
      file('user_ca'),
      '-I',
      request.username,
      '-n',
      [...request.logins, SESSION_JOIN_PRINCIPAL].join(','),
      '-V',
      `${sshTime(request.validAfter)}:${sshTime(request.validBefore)}`,
      // Teleport grants only what the roles allow; ssh-keygen's default grants everything.
      '-O',
      'clear',
      '-O',
      'permit-pty',
      '-O',
      'permit-port-forwarding',
      '-O',
      'permit-agent-forwarding',
      '-O',
      `extension:teleport-roles=${roles}`,
      '-O',
      `extension:teleport-route-to-cluster=${request.clusterName}`,
      pubPath,
    ]);
    const certPath = file(`${name}-cert.pub`);
    const line = firstTwoFields(readFileSync(certPath, 'utf8'));
    rmSync(pubPath, { force: true });
    rmSync(certPath, { force: true });
    return line;
  };

  const issueTlsCertificate = async (
    publicKeyPem: string,
    username: string,
    notAfter: Date,
  ): Promise<string> => {
    const name = `tls-${randomUUID()}`;
    // Normalise PKCS#1 and friends to PKIX so openssl -force_pubkey reads any form the client sent.
    writeFileSync(
      file(`${name}.pub.pem`),
      createPublicKey(publicKeyPem).export({ type: 'spki', format: 'pem' }),
    );
    // `x509 -days` counts whole days; Teleport's NotAfter is the SSH ValidBefore.
    const days = Math.max(1, Math.ceil((notAfter.getTime() - Date.now()) / 86_400_000));
    await run('openssl', [
      'x509',
      '-new',
      '-force_pubkey',
      file(`${name}.pub.pem`),
      '-subj',
      `/O=${options.clusterName}/CN=${username}`,
      '-CA',
      file('tls_ca.crt'),
      '-CAkey',
      file('tls_ca.key'),
      '-days',
      String(days),
      '-extfile',
      file('ca.ext'),
      '-extensions',
      'user',
      '-out',
      file(`${name}.crt`),
    ]);
    const pem = readFileSync(file(`${name}.crt`), 'utf8');
    rmSync(file(`${name}.pub.pem`), { force: true });
    rmSync(file(`${name}.crt`), { force: true });
    return pem;
  };

  const signHostKey = async (
    publicKeyPath: string,
    principals: string[],
    validity = '+1d',
  ): Promise<string> => {
    await run('ssh-keygen', [
      '-q',
      '-s',
      file('host_ca'),
      '-h',
      '-I',
      `${options.clusterName}-host`,
      '-n',
      principals.join(','),
      '-V',
      validity,
      publicKeyPath,
    ]);
    const certPath = `${publicKeyPath.replace(/\.pub$/, '')}-cert.pub`;
    return readFileSync(certPath, 'utf8').trim();
  };

  const pemFromSshPublicKey = async (sshPublicKey: string): Promise<string> => {
    const pubPath = file(`convert-${randomUUID()}.pub`);
    writeFileSync(pubPath, `${firstTwoFields(sshPublicKey)}\n`);
    try {
      return await run('ssh-keygen', ['-e', '-m', 'PKCS8', '-f', pubPath]);
    } finally {
      rmSync(pubPath, { force: true });
    }
  };

  return {
    clusterName: options.clusterName,
    userCaPublicKey,
    hostCaPublicKey,
    tlsCaPem,
    userCaKeyPath: file('user_ca'),
    hostCaKeyPath: file('host_ca'),
    signUserKey,
    issueTlsCertificate,
    signHostKey,
    pemFromSshPublicKey,
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
