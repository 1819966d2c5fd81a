/**
 * A self-signed TLS certificate for the emulator's web port on 127.0.0.1, so clients can be
 * tested the way they meet a real proxy: https, trusted through NODE_EXTRA_CA_CERTS.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface WebTls {
  key: string;
  cert: string;
  /** The certificate's file: point NODE_EXTRA_CA_CERTS at it. */
  certPath: string;
  dispose(): void;
}

export async function createWebTls(): Promise<WebTls> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-emulator-tls-'));
  const keyPath = path.join(dir, 'web.key');
  const certPath = path.join(dir, 'web.crt');
  await execFileAsync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { timeout: 30_000 },
  );
  return {
    key: fs.readFileSync(keyPath, 'utf8'),
    cert: fs.readFileSync(certPath, 'utf8'),
    certPath,
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
