/**
 * Test support for the sshKeys tests: OpenSSH's own test vectors and `ssh-keygen` as the oracle.
 * Not imported by production code.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type SshCertificate } from './certificate';
import { fingerprintSha256 } from './publicKey';

const repoRoot = path.resolve(import.meta.dirname, '../../../../..');
/** CI clones the repository with shared/ beside it. */
const VECTORS = path.resolve(repoRoot, '../shared/testdata/openssh/sshkey');

export function vectorPath(name = ''): string {
  if (!existsSync(VECTORS)) {
    throw new Error(
      `OpenSSH test vectors are missing at ${VECTORS}: put shared/testdata beside the repository, as CI does.`,
    );
  }
  return path.join(VECTORS, name);
}

export function readVector(name: string): string {
  return readFileSync(vectorPath(name), 'utf8');
}

/** Runs ssh-keygen with TZ=UTC so the dates it prints are comparable. */
export function sshKeygen(args: string[], input?: string): string {
  return execFileSync('ssh-keygen', args, {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    timeout: 30_000,
    ...(input === undefined ? {} : { input }),
  });
}

export interface Listing {
  type: string;
  certificateKind: string;
  publicKeyFingerprint: string;
  caFingerprint: string;
  signatureAlgorithm: string;
  keyId: string;
  serial: string;
  valid: string;
  principals: string[];
  criticalOptions: string[];
  extensions: string[];
}

/** Parses `ssh-keygen -L` output into the fields we compare. */
export function parseListing(text: string): Listing {
  const lines = text.split('\n');
  const field = (name: string): string => {
    const line = lines.find((l) => l.trimStart().startsWith(`${name}:`));
    if (line === undefined) throw new Error(`ssh-keygen -L printed no "${name}" line:\n${text}`);
    return line
      .trimStart()
      .slice(name.length + 1)
      .trim();
  };
  const list = (name: string): string[] => {
    const start = lines.findIndex((l) => l.trimStart().startsWith(`${name}:`));
    if (field(name) === '(none)') return [];
    const out: string[] = [];
    for (const line of lines.slice(start + 1)) {
      if (!line.startsWith('                ')) break;
      out.push(line.trim());
    }
    return out;
  };
  const [type = '', certificateKind = ''] = field('Type').split(' ');
  const ca = /^\S+ (SHA256:\S+) \(using (\S+)\)$/.exec(field('Signing CA'));
  return {
    type,
    certificateKind,
    publicKeyFingerprint: field('Public key').split(' ')[1] ?? '',
    caFingerprint: ca?.[1] ?? '',
    signatureAlgorithm: ca?.[2] ?? '',
    keyId: field('Key ID').replace(/^"(.*)"$/, '$1'),
    serial: field('Serial'),
    valid: field('Valid'),
    principals: list('Principals'),
    criticalOptions: list('Critical Options'),
    extensions: list('Extensions'),
  };
}

const KNOWN_FLAG_EXTENSIONS = new Set([
  'permit-X11-forwarding',
  'permit-agent-forwarding',
  'permit-port-forwarding',
  'permit-pty',
  'permit-user-rc',
  'no-touch-required',
]);

/** Formats one option the way ssh-keygen -L does (show_options in ssh-keygen.c). */
function formatOption(name: string, value: string, critical: boolean): string {
  if (!critical && KNOWN_FLAG_EXTENSIONS.has(name)) return name;
  if (critical && (name === 'force-command' || name === 'source-address'))
    return `${name} ${value}`;
  if (critical && name === 'verify-required') return name;
  if (value === '') return `${name} UNKNOWN FLAG OPTION`;
  const inner = Buffer.alloc(4 + Buffer.byteLength(value));
  inner.writeUInt32BE(Buffer.byteLength(value), 0);
  inner.write(value, 4);
  return `${name} UNKNOWN OPTION: ${inner.toString('hex')} (len ${inner.length})`;
}

const keygenTime = (date: Date): string => date.toISOString().slice(0, 19);

/** Our parse of a certificate, printed in ssh-keygen -L's terms. */
export function listingOf(cert: SshCertificate): Listing {
  let valid: string;
  if (cert.validAfter === null && cert.validBefore === null) valid = 'forever';
  else if (cert.validAfter === null) valid = `before ${keygenTime(cert.validBefore ?? new Date())}`;
  else if (cert.validBefore === null) valid = `after ${keygenTime(cert.validAfter)}`;
  else valid = `from ${keygenTime(cert.validAfter)} to ${keygenTime(cert.validBefore)}`;
  return {
    type: cert.certType,
    certificateKind: cert.type,
    publicKeyFingerprint: fingerprintSha256(cert.publicKey.blob),
    caFingerprint: cert.signatureKeyFingerprint,
    signatureAlgorithm: cert.signatureAlgorithm,
    keyId: cert.keyId,
    serial: cert.serial.toString(),
    valid,
    principals: cert.principals,
    criticalOptions: [...cert.criticalOptions].map(([n, v]) => formatOption(n, v, true)),
    extensions: [...cert.extensions].map(([n, v]) => formatOption(n, v, false)),
  };
}
