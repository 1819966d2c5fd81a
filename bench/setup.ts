/**
 * The bench's servers and files: a user CA and a host CA, a jump sshd that presents only a host
 * certificate (like Teleport's proxy) and a target sshd, a user certificate for both, ssh_config
 * files for OpenSSH with the same trust, and the 100 MiB text file the terminals stream.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parsePrivateKey } from '../src/main/core/credentials/sshKeys';
import { generateKey, signUserKey, startSshd, type SshdServer } from '../test/support/sshd';
import { CIPHER, JUMP_ALIAS, KEX, TLS_JUMP_ALIAS, type OpenSshConfig } from './openssh';
import type { HostInit } from './protocol';

export const PAYLOAD_BYTES = 100 * 1024 * 1024;
/** 63 base64 characters and a newline: text a terminal would show. */
const LINE = 64;

export interface BenchSetup {
  dir: string;
  jump: SshdServer;
  target: SshdServer;
  openssh: OpenSshConfig;
  host: HostInit;
  payloadPath: string;
  /** Lines in the payload (a pty turns each \n into \r\n). */
  payloadLines: number;
  stop(): Promise<void>;
}

/**
 * Lets `ssh -J ${TLS_JUMP_ALIAS}` reach the jump through the TLS-routing stand-in, the way OpenSSH
 * users reach a Teleport proxy in TLS routing mode without tsh: `openssl s_client` with the ALPN
 * protocol as ProxyCommand.
 */
export function addTlsRoutedJump(setup: BenchSetup, tlsPort: number): void {
  const block = [
    `Host ${TLS_JUMP_ALIAS}`,
    '  HostName 127.0.0.1',
    `  Port ${String(tlsPort)}`,
    '  ProxyCommand openssl s_client -quiet -verify_quiet -alpn teleport-proxy-ssh -connect %h:%p',
  ].join('\n');
  for (const file of [setup.openssh.configPath, setup.openssh.controlConfigPath]) {
    writeFileSync(file, `${readFileSync(file, 'utf8')}${block}\n`);
  }
}

function writePayload(file: string): number {
  const lines = (1024 * 1024) / LINE;
  const block = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < lines; i++) {
    block.write(
      randomBytes(48)
        .toString('base64')
        .slice(0, LINE - 1) + '\n',
      i * LINE,
      'latin1',
    );
  }
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < PAYLOAD_BYTES; written += block.length) writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
  return PAYLOAD_BYTES / LINE;
}

function sshConfig(dir: string, control: boolean, jumpPort: number): string {
  const lines = [
    ...(control
      ? [
          `Host ${JUMP_ALIAS}`,
          '  HostName 127.0.0.1',
          `  Port ${String(jumpPort)}`,
          `  ControlPath ${path.join(dir, 'cm-jump')}`,
          '  ControlMaster no',
        ]
      : []),
    'Host *',
    '  User root',
    `  IdentityFile ${path.join(dir, 'id_user')}`,
    `  CertificateFile ${path.join(dir, 'id_user-cert.pub')}`,
    '  IdentitiesOnly yes',
    '  IdentityAgent none',
    `  UserKnownHostsFile ${path.join(dir, 'known_hosts')}`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking yes',
    '  CheckHostIP no',
    '  UpdateHostKeys no',
    `  Ciphers ${CIPHER}`,
    `  KexAlgorithms ${KEX}`,
    '  Compression no',
    '  BatchMode yes',
    '  LogLevel ERROR',
    '  ControlMaster no',
    '  ControlPath none',
    '  ServerAliveInterval 0',
    '  ExitOnForwardFailure yes',
  ];
  return `${lines.join('\n')}\n`;
}

export async function setUp(): Promise<BenchSetup> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'onehop-bench-'));
  const servers: SshdServer[] = [];
  try {
    const [userCa, hostCa, userKey] = await Promise.all([
      generateKey(dir, 'user_ca'),
      generateKey(dir, 'host_ca'),
      generateKey(dir, 'id_user'),
    ]);
    const cert = await signUserKey({
      ca: userCa,
      publicKeyPath: userKey.publicKeyPath,
      principals: ['root'],
      validity: '+2h',
    });
    const common = { trustedUserCaKeys: [userCa.publicKey], authorizedKeysFile: 'none', hostCa };
    const jump = await startSshd({
      ...common,
      extraConfig: ['HostKeyAlgorithms ssh-ed25519-cert-v01@openssh.com'],
    });
    servers.push(jump);
    const target = await startSshd(common);
    servers.push(target);

    writeFileSync(path.join(dir, 'known_hosts'), `@cert-authority * ${hostCa.publicKey}\n`);
    const configPath = path.join(dir, 'ssh_config');
    const controlConfigPath = path.join(dir, 'ssh_config_master');
    writeFileSync(configPath, sshConfig(dir, false, jump.port));
    writeFileSync(controlConfigPath, sshConfig(dir, true, jump.port));

    const payloadPath = path.join(dir, 'payload.txt');
    const payloadLines = writePayload(payloadPath);
    const parsed = parsePrivateKey(readFileSync(userKey.privateKeyPath, 'utf8'));
    return {
      dir,
      jump,
      target,
      openssh: {
        configPath,
        controlConfigPath,
        controlPath: path.join(dir, 'cm-jump'),
        jumpPort: jump.port,
        targetPort: target.port,
      },
      host: {
        jumpPort: jump.port,
        targetPort: target.port,
        privateKeyPem: parsed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        certificate: cert.certificate,
        hostCaPublicKey: hostCa.publicKey,
      },
      payloadPath,
      payloadLines,
      stop: async () => {
        await Promise.all(servers.map((server) => server.stop()));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
